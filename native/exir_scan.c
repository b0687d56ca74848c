/*
 * exir's native byte search: which records of a batch hold one of the pre-filter's needles,
 * compared with ASCII letters folded (the needles are ASCII and already lower-cased). It does what
 * src/sources/bytes/literals.ts's markCandidates does in JavaScript, and must give the same marks:
 * the JavaScript path stays as the fallback and the tests compare the two.
 *
 * Search: every position of a record is tested against a 64 Kibit filter of the needles' folded
 * first four bytes (hashed), so most positions cost a table load and a bit test; a hit is verified
 * against the needles sharing that hash. Needles shorter than four bytes go through a table of
 * their first byte instead. Each record is searched on its own, so a needle never spans two.
 *
 * `hits` does the pre-filter's second step (src/sources/bytes/record-needs.ts) on the records the
 * first let through: which clauses of the rules' needs the record meets, each needle carrying the
 * bits of the clauses it satisfies.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MARK_EXACT 1
#define MARK_CHECK 2
#define HASH_BITS 16
#define HASH_SIZE (1u << HASH_BITS)

typedef struct {
  uint32_t offset; /* into bytes */
  uint32_t length;
  uint8_t exact;
  /* For `hits`: the clauses of the pre-filter's check this needle satisfies (bits 0-31, 32-63). */
  uint32_t mask_lo, mask_hi;
} needle_t;

typedef struct {
  uint8_t *bytes; /* all needles' bytes, lower-cased */
  needle_t *needles;
  uint32_t count;
  /* Needles of four bytes or more, grouped by the hash of their first four: ids[first[h] .. first[h+1]). */
  uint32_t *first;
  uint32_t *ids;
  uint8_t filter[HASH_SIZE / 8];
  /* Needles of one to three bytes, grouped by their first byte: short_ids[short_first[c] .. short_first[c+1]). */
  uint32_t short_first[257];
  uint32_t *short_ids;
  int has_short;
} matcher_t;

/* ASCII letters to lower case, other bytes as they are; no table, so no state shared by threads. */
static inline uint8_t fold(uint8_t c) { return (uint8_t)(c + ((unsigned)(c - 'A') < 26u ? 32 : 0)); }

static inline uint32_t hash4(uint32_t w) { return (w * 0x9E3779B1u) >> (32 - HASH_BITS); }

static inline uint32_t folded4(const uint8_t *p) {
  return (uint32_t)fold(p[0]) | ((uint32_t)fold(p[1]) << 8) | ((uint32_t)fold(p[2]) << 16) | ((uint32_t)fold(p[3]) << 24);
}

static void matcher_free(matcher_t *m) {
  if (!m) return;
  free(m->bytes);
  free(m->needles);
  free(m->first);
  free(m->ids);
  free(m->short_ids);
  free(m);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  matcher_free((matcher_t *)data);
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

/* A typed array's data and element count; returns 0 when `value` is not a typed array of `type`. */
static int typed(napi_env env, napi_value value, napi_typedarray_type type, void **data, size_t *length) {
  bool is;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return 0;
  napi_typedarray_type got;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &got, length, data, &buffer, &offset) != napi_ok) return 0;
  return got == type;
}

/* compile(bytes: Uint8Array, lengths: Int32Array, exact: Uint8Array, masks?: Uint32Array (two per needle)) -> handle */
static napi_value compile(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) return throw_error(env, "compile: three arguments expected");
  uint8_t *src;
  int32_t *lengths;
  uint8_t *exact;
  size_t src_len, count, exact_len;
  if (!typed(env, argv[0], napi_uint8_array, (void **)&src, &src_len)) return throw_error(env, "compile: bytes must be a Uint8Array");
  if (!typed(env, argv[1], napi_int32_array, (void **)&lengths, &count)) return throw_error(env, "compile: lengths must be an Int32Array");
  if (!typed(env, argv[2], napi_uint8_array, (void **)&exact, &exact_len) || exact_len != count) {
    return throw_error(env, "compile: exact must be a Uint8Array as long as lengths");
  }
  uint32_t *masks = NULL;
  size_t masks_len = 0;
  if (argc >= 4) {
    napi_valuetype mt;
    if (napi_typeof(env, argv[3], &mt) != napi_ok) return throw_error(env, "compile: bad masks");
    if (mt != napi_undefined && (!typed(env, argv[3], napi_uint32_array, (void **)&masks, &masks_len) || masks_len != 2 * count)) {
      return throw_error(env, "compile: masks must be a Uint32Array of two per needle");
    }
  }
  size_t total = 0;
  for (size_t i = 0; i < count; i++) {
    if (lengths[i] <= 0) return throw_error(env, "compile: a needle is empty");
    total += (size_t)lengths[i];
  }
  if (total != src_len || count > UINT32_MAX / 2) return throw_error(env, "compile: lengths do not add up to the bytes");

  matcher_t *m = calloc(1, sizeof(matcher_t));
  if (!m) return throw_error(env, "compile: out of memory");
  m->count = (uint32_t)count;
  m->bytes = malloc(src_len ? src_len : 1);
  m->needles = calloc(count ? count : 1, sizeof(needle_t));
  m->first = calloc(HASH_SIZE + 1, sizeof(uint32_t));
  m->ids = calloc(count ? count : 1, sizeof(uint32_t));
  m->short_ids = calloc(count ? count : 1, sizeof(uint32_t));
  if (!m->bytes || !m->needles || !m->first || !m->ids || !m->short_ids) {
    matcher_free(m);
    return throw_error(env, "compile: out of memory");
  }
  for (size_t i = 0; i < src_len; i++) m->bytes[i] = fold(src[i]);
  uint32_t at = 0;
  for (uint32_t i = 0; i < m->count; i++) {
    m->needles[i].offset = at;
    m->needles[i].length = (uint32_t)lengths[i];
    m->needles[i].exact = exact[i] ? 1 : 0;
    m->needles[i].mask_lo = masks ? masks[2 * i] : 0;
    m->needles[i].mask_hi = masks ? masks[2 * i + 1] : 0;
    at += (uint32_t)lengths[i];
  }
  /* Counting sort of the needles into their buckets: long ones by hash, short ones by first byte. */
  uint32_t short_count[256] = {0};
  for (uint32_t i = 0; i < m->count; i++) {
    const needle_t *n = &m->needles[i];
    const uint8_t *p = m->bytes + n->offset;
    if (n->length >= 4) {
      uint32_t h = hash4(folded4(p));
      m->first[h + 1]++;
      m->filter[h >> 3] |= (uint8_t)(1u << (h & 7));
    } else {
      short_count[p[0]]++;
      m->has_short = 1;
    }
  }
  for (uint32_t h = 0; h < HASH_SIZE; h++) m->first[h + 1] += m->first[h];
  m->short_first[0] = 0;
  for (int c = 0; c < 256; c++) m->short_first[c + 1] = m->short_first[c] + short_count[c];
  uint32_t *fill = calloc(HASH_SIZE, sizeof(uint32_t));
  if (!fill) {
    matcher_free(m);
    return throw_error(env, "compile: out of memory");
  }
  uint32_t short_fill[256] = {0};
  for (uint32_t i = 0; i < m->count; i++) {
    const needle_t *n = &m->needles[i];
    const uint8_t *p = m->bytes + n->offset;
    if (n->length >= 4) {
      uint32_t h = hash4(folded4(p));
      m->ids[m->first[h] + fill[h]++] = i;
    } else {
      m->short_ids[m->short_first[p[0]] + short_fill[p[0]]++] = i;
    }
  }
  free(fill);

  napi_value handle;
  if (napi_create_external(env, m, finalize, NULL, &handle) != napi_ok) {
    matcher_free(m);
    return throw_error(env, "compile: cannot create the handle");
  }
  return handle;
}

/* Whether needle `n` is at `p`, with `room` bytes left in the record. */
static inline int at_needle(const matcher_t *m, const needle_t *n, const uint8_t *p, size_t room) {
  if (n->length > room) return 0;
  const uint8_t *q = m->bytes + n->offset;
  for (uint32_t k = 0; k < n->length; k++) {
    if (fold(p[k]) != q[k]) return 0;
  }
  return 1;
}

/* Whether a short needle (under four bytes) starts at `s`; sets *mark to MARK_CHECK for one to check. */
static inline int short_at(const matcher_t *m, const uint8_t *s, const uint8_t *end, uint8_t *mark) {
  uint8_t c = fold(*s);
  for (uint32_t k = m->short_first[c]; k < m->short_first[c + 1]; k++) {
    const needle_t *n = &m->needles[m->short_ids[k]];
    if ((n->exact || !*mark) && at_needle(m, n, s, (size_t)(end - s))) {
      if (n->exact) return 1;
      *mark = MARK_CHECK;
    }
  }
  return 0;
}

/* MARK_EXACT when an exact needle is in [p, end), else MARK_CHECK when another one is, else 0. */
static uint8_t search_record(const matcher_t *m, const uint8_t *p, const uint8_t *end) {
  uint8_t mark = 0;
  const uint8_t *s = p;
  if (end - p >= 4) {
    /* The folded four bytes at s, rolled on one byte per step. */
    uint32_t w = (uint32_t)fold(p[0]) | ((uint32_t)fold(p[1]) << 8) | ((uint32_t)fold(p[2]) << 16);
    for (; s + 4 <= end; s++) {
      w |= (uint32_t)fold(s[3]) << 24;
      uint32_t h = hash4(w);
      w >>= 8;
      if (m->filter[h >> 3] & (1u << (h & 7))) {
        for (uint32_t k = m->first[h]; k < m->first[h + 1]; k++) {
          const needle_t *n = &m->needles[m->ids[k]];
          if ((n->exact || !mark) && at_needle(m, n, s, (size_t)(end - s))) {
            if (n->exact) return MARK_EXACT;
            mark = MARK_CHECK;
          }
        }
      }
      if (m->has_short && short_at(m, s, end, &mark)) return MARK_EXACT;
    }
  }
  if (m->has_short) {
    for (; s < end; s++) {
      if (short_at(m, s, end, &mark)) return MARK_EXACT;
    }
  }
  return mark;
}

/* mark(handle, bytes, starts, ends, isRecord, count, marks): marks[i] for every record i < count. */
static napi_value mark(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7) return throw_error(env, "mark: seven arguments expected");
  matcher_t *m;
  napi_valuetype t;
  if (napi_typeof(env, argv[0], &t) != napi_ok || t != napi_external || napi_get_value_external(env, argv[0], (void **)&m) != napi_ok) {
    return throw_error(env, "mark: not a compiled needle set");
  }
  uint8_t *bytes, *is_record, *marks;
  int32_t *starts, *ends;
  size_t bytes_len, starts_len, ends_len, rec_len, marks_len;
  uint32_t count;
  if (!typed(env, argv[1], napi_uint8_array, (void **)&bytes, &bytes_len)) return throw_error(env, "mark: bytes must be a Uint8Array");
  if (!typed(env, argv[2], napi_int32_array, (void **)&starts, &starts_len) || !typed(env, argv[3], napi_int32_array, (void **)&ends, &ends_len)) {
    return throw_error(env, "mark: starts and ends must be Int32Arrays");
  }
  if (!typed(env, argv[4], napi_uint8_array, (void **)&is_record, &rec_len) || !typed(env, argv[6], napi_uint8_array, (void **)&marks, &marks_len)) {
    return throw_error(env, "mark: isRecord and marks must be Uint8Arrays");
  }
  if (napi_get_value_uint32(env, argv[5], &count) != napi_ok) return throw_error(env, "mark: count must be a number");
  if (count > starts_len || count > ends_len || count > rec_len || count > marks_len) return throw_error(env, "mark: count is past the arrays' ends");
  for (uint32_t i = 0; i < count; i++) {
    if (is_record[i] != 1) continue;
    int32_t s = starts[i], e = ends[i];
    if (s < 0 || e < s || (size_t)e > bytes_len) return throw_error(env, "mark: a record's range is outside the bytes");
    uint8_t found = search_record(m, bytes + s, bytes + e);
    if (found == MARK_EXACT) marks[i] = MARK_EXACT;
    else marks[i] |= found;
  }
  return NULL;
}

/* The masks of every needle in [p, end), ORed: no needle stops the search, each may settle another clause. */
static void hits_in(const matcher_t *m, const uint8_t *p, const uint8_t *end, uint32_t *lo, uint32_t *hi) {
  for (const uint8_t *s = p; s < end; s++) {
    size_t room = (size_t)(end - s);
    if (room >= 4) {
      uint32_t h = hash4(folded4(s));
      if (m->filter[h >> 3] & (1u << (h & 7))) {
        for (uint32_t k = m->first[h]; k < m->first[h + 1]; k++) {
          const needle_t *n = &m->needles[m->ids[k]];
          if (at_needle(m, n, s, room)) {
            *lo |= n->mask_lo;
            *hi |= n->mask_hi;
          }
        }
      }
    }
    if (m->has_short) {
      uint8_t c = fold(*s);
      for (uint32_t k = m->short_first[c]; k < m->short_first[c + 1]; k++) {
        const needle_t *n = &m->needles[m->short_ids[k]];
        if (at_needle(m, n, s, room)) {
          *lo |= n->mask_lo;
          *hi |= n->mask_hi;
        }
      }
    }
  }
}

/*
 * hits(handle, bytes, starts, ends, wanted, count, out): for each record i < count with wanted[i] != 0,
 * out[2i], out[2i+1] = the masks of the needles found in the record with a space before and after it
 * (so a needle may ask for a value's separator at the record's start or end); other entries untouched.
 */
static napi_value hits(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7) return throw_error(env, "hits: seven arguments expected");
  matcher_t *m;
  napi_valuetype t;
  if (napi_typeof(env, argv[0], &t) != napi_ok || t != napi_external || napi_get_value_external(env, argv[0], (void **)&m) != napi_ok) {
    return throw_error(env, "hits: not a compiled needle set");
  }
  uint8_t *bytes, *wanted;
  int32_t *starts, *ends;
  uint32_t *out;
  size_t bytes_len, starts_len, ends_len, wanted_len, out_len;
  uint32_t count;
  if (!typed(env, argv[1], napi_uint8_array, (void **)&bytes, &bytes_len)) return throw_error(env, "hits: bytes must be a Uint8Array");
  if (!typed(env, argv[2], napi_int32_array, (void **)&starts, &starts_len) || !typed(env, argv[3], napi_int32_array, (void **)&ends, &ends_len)) {
    return throw_error(env, "hits: starts and ends must be Int32Arrays");
  }
  if (!typed(env, argv[4], napi_uint8_array, (void **)&wanted, &wanted_len)) return throw_error(env, "hits: wanted must be a Uint8Array");
  if (!typed(env, argv[6], napi_uint32_array, (void **)&out, &out_len)) return throw_error(env, "hits: out must be a Uint32Array");
  if (napi_get_value_uint32(env, argv[5], &count) != napi_ok) return throw_error(env, "hits: count must be a number");
  if (count > starts_len || count > ends_len || count > wanted_len || (size_t)count * 2 > out_len) return throw_error(env, "hits: count is past the arrays' ends");
  uint8_t *pad = NULL;
  size_t pad_cap = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (wanted[i] == 0) continue;
    int32_t s = starts[i], e = ends[i];
    if (s < 0 || e < s || (size_t)e > bytes_len) {
      free(pad);
      return throw_error(env, "hits: a record's range is outside the bytes");
    }
    size_t len = (size_t)(e - s) + 2;
    if (len > pad_cap) {
      uint8_t *grown = realloc(pad, len);
      if (!grown) {
        free(pad);
        return throw_error(env, "hits: out of memory");
      }
      pad = grown;
      pad_cap = len;
    }
    pad[0] = ' ';
    memcpy(pad + 1, bytes + s, len - 2);
    pad[len - 1] = ' ';
    uint32_t lo = 0, hi = 0;
    hits_in(m, pad, pad + len, &lo, &hi);
    out[2 * i] = lo;
    out[2 * i + 1] = hi;
  }
  free(pad);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"compile", NULL, compile, NULL, NULL, NULL, napi_default, NULL},
      {"mark", NULL, mark, NULL, NULL, NULL, napi_default, NULL},
      {"hits", NULL, hits, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, 3, props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
