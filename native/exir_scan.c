/*
 * exir's native byte search: which records of a batch hold one of the pre-filter's needles,
 * compared with ASCII letters folded (the needles are ASCII and already lower-cased). It does what
 * src/sources/bytes/literals.ts's markCandidates does in JavaScript, and must give the same marks:
 * the JavaScript path stays as the fallback and the tests compare the two.
 *
 * Search, in two steps. First a Teddy-style SIMD filter (the pshufb nibble-mask prefilter of
 * Hyperscan and Rust's aho-corasick) says at which positions a needle may start: the needles are
 * put in 16 buckets, and for each of the first four bytes of a needle, two 16-entry tables (the
 * byte's low and high nibble) give the buckets whose needles may have that byte there; a position
 * is a candidate when one bucket is in all four bytes' answers. Both cases of a letter are entered,
 * so the input is not folded first; a needle shorter than four bytes lets any byte through past its
 * end. It runs 16 positions a step with SSSE3 or 32 with AVX2, chosen when the addon loads
 * (`simd()` can force a lower level, for the tests and to measure). Then each candidate goes through
 * the exact check: a 64 Kibit filter of the needles' folded first four bytes (hashed), the needles
 * sharing that hash compared byte by byte, and needles shorter than four bytes through a table of
 * their first byte. Without SIMD (other CPUs, other architectures) every position goes through the
 * exact check, which is the whole search. A batch whose records are in order is searched in one
 * sweep; a candidate counts only for the record it starts in, and a needle only when it ends in it,
 * so a needle never spans two.
 *
 * `hits` does the pre-filter's second step (src/sources/bytes/record-needs.ts) on the records the
 * first let through: which clauses of the rules' needs the record meets, each needle carrying the
 * bits of the clauses it satisfies. It uses the same two steps, a record at a time.
 *
 * `split` cuts a buffer's plain lines into the record scanner's items (see its comment below), so
 * that the scanner's JavaScript touches only the lines that need it; `plain` counts and times the
 * runs of records a reader takes without a look (no literal, the expected values, the time in place).
 *
 * `picks` and `hashFile` read whole files on Node's thread pool, off the JavaScript thread: the
 * first to say which logs may name the attackers, and what of them the follow pass is to read, before
 * it reads any again; the second to hash a large log while the scan reads it.
 */
/* open's O_CLOEXEC and posix_memalign: POSIX 2008, hidden by -std=c11 alone. */
#define _POSIX_C_SOURCE 200809L
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* EXIR_NO_SIMD builds what other architectures get, to check that it still compiles. */
#if (defined(__x86_64__) || defined(__i386__)) && !defined(EXIR_NO_SIMD)
#include <immintrin.h>
#define EXIR_X86 1
#endif

#define MARK_EXACT 1
#define MARK_CHECK 2
#define HASH_BITS 16
#define HASH_SIZE (1u << HASH_BITS)
/* The SIMD filter looks at a needle's first four bytes, the same as the exact check's hash. */
#define TEDDY_BYTES 4
#define TEDDY_BUCKETS 16

/* What the search may use: set once when the addon loads, lowered by `simd()`. */
enum { LEVEL_SCALAR = 0, LEVEL_SSSE3 = 1, LEVEL_AVX2 = 2 };
static int supported_level = LEVEL_SCALAR;
static int search_level = LEVEL_SCALAR;

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
  /*
   * Teddy tables: teddy_lo[k][16 * g + v] has bit b set when a needle of bucket 8g + b may have a
   * byte whose low nibble is v at its k-th place (teddy_hi the same for the high nibble).
   */
  uint8_t teddy_lo[TEDDY_BYTES][32];
  uint8_t teddy_hi[TEDDY_BYTES][32];
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

static int by_key(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The nibbles a byte of a needle admits at one place, both cases of a letter. */
static void admit(uint16_t *lo, uint16_t *hi, uint8_t c) {
  *lo |= (uint16_t)(1u << (c & 15));
  *hi |= (uint16_t)(1u << (c >> 4));
  if (c >= 'a' && c <= 'z') *hi |= (uint16_t)(1u << ((c - 32) >> 4));
}

/* The share of random bytes a bucket's sets let through, up to a constant: the product of their sizes. */
static double bucket_cost(const uint16_t lo[TEDDY_BYTES], const uint16_t hi[TEDDY_BYTES]) {
  double cost = 1;
  for (int k = 0; k < TEDDY_BYTES; k++) cost *= (double)__builtin_popcount(lo[k]) * (double)__builtin_popcount(hi[k]);
  return cost;
}

/*
 * Puts each needle in the bucket its bytes widen least (needles in the order of their first bytes,
 * so that those sharing a prefix tend to share a bucket), then writes the nibble tables. Any
 * placement gives the same marks: it only decides how many positions the exact check sees.
 */
static int teddy_build(matcher_t *m) {
  uint16_t lo[TEDDY_BUCKETS][TEDDY_BYTES], hi[TEDDY_BUCKETS][TEDDY_BYTES];
  memset(lo, 0, sizeof lo);
  memset(hi, 0, sizeof hi);
  memset(m->teddy_lo, 0, sizeof m->teddy_lo);
  memset(m->teddy_hi, 0, sizeof m->teddy_hi);
  uint64_t *keys = malloc((m->count ? m->count : 1) * sizeof(uint64_t));
  if (!keys) return 0;
  for (uint32_t i = 0; i < m->count; i++) {
    const needle_t *n = &m->needles[i];
    uint64_t key = 0;
    for (uint32_t k = 0; k < TEDDY_BYTES; k++) key = (key << 8) | (k < n->length ? m->bytes[n->offset + k] : 0);
    keys[i] = (key << 32) | i;
  }
  qsort(keys, m->count, sizeof(uint64_t), by_key);
  for (uint32_t o = 0; o < m->count; o++) {
    const needle_t *n = &m->needles[(uint32_t)keys[o]];
    int best = 0;
    double best_growth = 0;
    uint16_t want_lo[TEDDY_BUCKETS][TEDDY_BYTES], want_hi[TEDDY_BUCKETS][TEDDY_BYTES];
    for (int b = 0; b < TEDDY_BUCKETS; b++) {
      for (uint32_t k = 0; k < TEDDY_BYTES; k++) {
        want_lo[b][k] = lo[b][k];
        want_hi[b][k] = hi[b][k];
        if (k < n->length) admit(&want_lo[b][k], &want_hi[b][k], m->bytes[n->offset + k]);
        else want_lo[b][k] = want_hi[b][k] = 0xffff; /* past a short needle's end, any byte */
      }
      double growth = bucket_cost(want_lo[b], want_hi[b]) - bucket_cost(lo[b], hi[b]);
      if (b == 0 || growth < best_growth) {
        best = b;
        best_growth = growth;
      }
    }
    memcpy(lo[best], want_lo[best], sizeof lo[best]);
    memcpy(hi[best], want_hi[best], sizeof hi[best]);
  }
  free(keys);
  for (int b = 0; b < TEDDY_BUCKETS; b++) {
    uint8_t bit = (uint8_t)(1u << (b & 7));
    int g = b >> 3;
    for (int k = 0; k < TEDDY_BYTES; k++) {
      for (int v = 0; v < 16; v++) {
        if (lo[b][k] >> v & 1) m->teddy_lo[k][16 * g + v] |= bit;
        if (hi[b][k] >> v & 1) m->teddy_hi[k][16 * g + v] |= bit;
      }
    }
  }
  return 1;
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
  if (!teddy_build(m)) {
    matcher_free(m);
    return throw_error(env, "compile: out of memory");
  }

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

/*
 * The exact check at one position s of a record ending at `end`: 1 when an exact needle starts
 * there; else sets *mark to MARK_CHECK when another one does (checked only while *mark is 0).
 */
static inline int check_at(const matcher_t *m, const uint8_t *s, const uint8_t *end, uint8_t *mark) {
  if (end - s >= 4) {
    uint32_t h = hash4(folded4(s));
    if (m->filter[h >> 3] & (1u << (h & 7))) {
      for (uint32_t k = m->first[h]; k < m->first[h + 1]; k++) {
        const needle_t *n = &m->needles[m->ids[k]];
        if ((n->exact || !*mark) && at_needle(m, n, s, (size_t)(end - s))) {
          if (n->exact) return 1;
          *mark = MARK_CHECK;
        }
      }
    }
  }
  return m->has_short && short_at(m, s, end, mark);
}

/* The scalar search of one record: MARK_EXACT when an exact needle is in [p, end), else MARK_CHECK when another one is, else 0. */
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

/* A batch as `mark` is given it. */
typedef struct {
  const uint8_t *bytes;
  const int32_t *starts, *ends;
  const uint8_t *is_record;
  uint32_t count;
  uint8_t *marks;
} batch_t;

/* A record's result, as the scalar search has always written it: MARK_EXACT replaces, MARK_CHECK is added, nothing leaves the mark as it was. */
static inline void put_mark(uint8_t *marks, uint32_t i, uint8_t found) {
  if (found == MARK_EXACT) marks[i] = MARK_EXACT;
  else marks[i] |= found;
}

/* The first record at or after i, or count. */
static inline uint32_t next_record(const batch_t *b, uint32_t i) {
  while (i < b->count && b->is_record[i] != 1) i++;
  return i;
}

/*
 * The sweep over a batch whose records are in order: the positions of [first start, last end) that
 * BLOCK lets through (W at a time) go through the exact check of the record they start in; the
 * last few positions, where BLOCK would read past the last record, all go through it. A record
 * settled by an exact needle is left at once. Candidates between records are dropped.
 */
#define DEFINE_SWEEP(NAME, TARGET, W, TABLES_T, TABLES_LOAD, BLOCK)                                  \
  TARGET static void NAME(const matcher_t *m, const batch_t *b) {                                    \
    TABLES_T tables;                                                                                 \
    TABLES_LOAD(&tables, m);                                                                         \
    uint32_t r = next_record(b, 0);                                                                  \
    if (r >= b->count) return;                                                                       \
    uint32_t last = r;                                                                               \
    for (uint32_t i = r; i < b->count; i++)                                                          \
      if (b->is_record[i] == 1) last = i;                                                            \
    const uint8_t *s0 = b->bytes + b->starts[r], *hi = b->bytes + b->ends[last];                     \
    const uint8_t *rec_start = b->bytes + b->starts[r], *rec_end = b->bytes + b->ends[r];            \
    uint8_t found = 0;                                                                               \
    const uint8_t *p = s0;                                                                           \
    while (r < b->count) {                                                                           \
      uint32_t bits;                                                                                 \
      int scalar = (size_t)(hi - p) < (size_t)(W + TEDDY_BYTES - 1);                                 \
      if (scalar) {                                                                                  \
        if (p >= hi) break;                                                                          \
        bits = 1; /* the tail: every position */                                                     \
      } else {                                                                                       \
        bits = BLOCK(&tables, p);                                                                    \
      }                                                                                              \
      const uint8_t *next = scalar ? p + 1 : p + W;                                                  \
      while (bits) {                                                                                 \
        const uint8_t *s = p + __builtin_ctz(bits);                                                  \
        bits &= bits - 1;                                                                            \
        while (s >= rec_end) { /* past the record: done with it */                                   \
          if (found) put_mark(b->marks, r, found);                                                   \
          found = 0;                                                                                 \
          r = next_record(b, r + 1);                                                                 \
          if (r >= b->count) return;                                                                 \
          rec_start = b->bytes + b->starts[r];                                                       \
          rec_end = b->bytes + b->ends[r];                                                           \
        }                                                                                            \
        if (s < rec_start) continue;                                                                 \
        if (check_at(m, s, rec_end, &found)) {                                                       \
          b->marks[r] = MARK_EXACT;                                                                  \
          found = 0;                                                                                 \
          next = rec_end; /* the rest of the record cannot change its mark */                        \
          r = next_record(b, r + 1);                                                                 \
          if (r >= b->count) return;                                                                 \
          rec_start = b->bytes + b->starts[r];                                                       \
          rec_end = b->bytes + b->ends[r];                                                           \
          break;                                                                                     \
        }                                                                                            \
      }                                                                                              \
      p = next;                                                                                      \
    }                                                                                                \
    if (found && r < b->count) put_mark(b->marks, r, found);                                         \
  }

/* Without SIMD every position is a candidate (for `hits`; `mark` keeps its rolling-hash search). */
typedef int no_tables_t;
static inline void no_tables_load(no_tables_t *t, const matcher_t *m) {
  (void)m;
  *t = 0;
}
static inline uint32_t every_position(const no_tables_t *t, const uint8_t *p) {
  (void)t;
  (void)p;
  return 0xffffffffu;
}

#ifdef EXIR_X86
typedef struct {
  __m128i lo[TEDDY_BYTES][2], hi[TEDDY_BYTES][2];
} tables128_t;

__attribute__((target("ssse3"))) static inline void tables128_load(tables128_t *t, const matcher_t *m) {
  for (int k = 0; k < TEDDY_BYTES; k++) {
    for (int g = 0; g < 2; g++) {
      t->lo[k][g] = _mm_loadu_si128((const __m128i *)(m->teddy_lo[k] + 16 * g));
      t->hi[k][g] = _mm_loadu_si128((const __m128i *)(m->teddy_hi[k] + 16 * g));
    }
  }
}

/* Bit j set when position p + j may start a needle (16 positions; reads p[0 .. 18]). */
__attribute__((target("ssse3"))) static inline uint32_t block128(const tables128_t *t, const uint8_t *p) {
  const __m128i nibble = _mm_set1_epi8(0x0f);
  __m128i a = _mm_set1_epi8(-1), c = a;
  for (int k = 0; k < TEDDY_BYTES; k++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
    __m128i lo = _mm_and_si128(v, nibble), hi = _mm_and_si128(_mm_srli_epi16(v, 4), nibble);
    a = _mm_and_si128(a, _mm_and_si128(_mm_shuffle_epi8(t->lo[k][0], lo), _mm_shuffle_epi8(t->hi[k][0], hi)));
    c = _mm_and_si128(c, _mm_and_si128(_mm_shuffle_epi8(t->lo[k][1], lo), _mm_shuffle_epi8(t->hi[k][1], hi)));
  }
  __m128i none = _mm_cmpeq_epi8(_mm_or_si128(a, c), _mm_setzero_si128());
  return (uint32_t)_mm_movemask_epi8(none) ^ 0xffffu;
}
DEFINE_SWEEP(sweep_ssse3, __attribute__((target("ssse3"))), 16, tables128_t, tables128_load, block128)

typedef struct {
  __m256i lo[TEDDY_BYTES][2], hi[TEDDY_BYTES][2];
} tables256_t;

__attribute__((target("avx2"))) static inline void tables256_load(tables256_t *t, const matcher_t *m) {
  for (int k = 0; k < TEDDY_BYTES; k++) {
    for (int g = 0; g < 2; g++) {
      t->lo[k][g] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(m->teddy_lo[k] + 16 * g)));
      t->hi[k][g] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(m->teddy_hi[k] + 16 * g)));
    }
  }
}

/* The same for 32 positions (reads p[0 .. 34]). */
__attribute__((target("avx2"))) static inline uint32_t block256(const tables256_t *t, const uint8_t *p) {
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  __m256i a = _mm256_set1_epi8(-1), c = a;
  for (int k = 0; k < TEDDY_BYTES; k++) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(p + k));
    __m256i lo = _mm256_and_si256(v, nibble), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
    a = _mm256_and_si256(a, _mm256_and_si256(_mm256_shuffle_epi8(t->lo[k][0], lo), _mm256_shuffle_epi8(t->hi[k][0], hi)));
    c = _mm256_and_si256(c, _mm256_and_si256(_mm256_shuffle_epi8(t->lo[k][1], lo), _mm256_shuffle_epi8(t->hi[k][1], hi)));
  }
  __m256i none = _mm256_cmpeq_epi8(_mm256_or_si256(a, c), _mm256_setzero_si256());
  return ~(uint32_t)_mm256_movemask_epi8(none);
}
DEFINE_SWEEP(sweep_avx2, __attribute__((target("avx2"))), 32, tables256_t, tables256_load, block256)
#endif

/* Whether the batch's records are in order and apart, so that one sweep can search them all. */
static int in_order(const batch_t *b) {
  int32_t at = INT32_MIN;
  for (uint32_t i = 0; i < b->count; i++) {
    if (b->is_record[i] != 1) continue;
    if (b->starts[i] < at) return 0;
    at = b->ends[i];
  }
  return 1;
}

static void search_batch(const matcher_t *m, const batch_t *b) {
  if (search_level == LEVEL_SCALAR || !in_order(b)) {
    for (uint32_t i = 0; i < b->count; i++) {
      if (b->is_record[i] == 1) put_mark(b->marks, i, search_record(m, b->bytes + b->starts[i], b->bytes + b->ends[i]));
    }
    return;
  }
#ifdef EXIR_X86
  if (search_level == LEVEL_AVX2) sweep_avx2(m, b);
  else sweep_ssse3(m, b);
#endif
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
  /* Every range is checked before any is read, so a bad batch marks nothing. */
  for (uint32_t i = 0; i < count; i++) {
    if (is_record[i] != 1) continue;
    int32_t s = starts[i], e = ends[i];
    if (s < 0 || e < s || (size_t)e > bytes_len) return throw_error(env, "mark: a record's range is outside the bytes");
  }
  batch_t b = {bytes, starts, ends, is_record, count, marks};
  search_batch(m, &b);
  return NULL;
}

/* Every needle at s (the room left from s is end - s), their masks ORed into lo, hi. */
static inline void hits_at(const matcher_t *m, const uint8_t *s, const uint8_t *end, uint32_t *lo, uint32_t *hi) {
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

/*
 * The masks of every needle in [p, end), ORed: no needle stops the search, each may settle another
 * clause. BLOCK may read W + 3 bytes from any position before end: the caller's copy has that
 * much slack, and candidates from it are dropped.
 */
#define DEFINE_HITS(NAME, TARGET, W, TABLES_T, TABLES_LOAD, BLOCK)                                \
  TARGET static void NAME(const matcher_t *m, const uint8_t *p, const uint8_t *end, uint32_t *lo, \
                          uint32_t *hi) {                                                         \
    TABLES_T tables;                                                                              \
    TABLES_LOAD(&tables, m);                                                                      \
    for (; p < end; p += W) {                                                                     \
      uint32_t bits = BLOCK(&tables, p);                                                          \
      if ((size_t)(end - p) < (size_t)W) bits &= (1u << (end - p)) - 1;                           \
      while (bits) {                                                                              \
        hits_at(m, p + __builtin_ctz(bits), end, lo, hi);                                         \
        bits &= bits - 1;                                                                         \
      }                                                                                           \
    }                                                                                             \
  }

DEFINE_HITS(hits_scalar, , 32, no_tables_t, no_tables_load, every_position)
#ifdef EXIR_X86
DEFINE_HITS(hits_ssse3, __attribute__((target("ssse3"))), 16, tables128_t, tables128_load, block128)
DEFINE_HITS(hits_avx2, __attribute__((target("avx2"))), 32, tables256_t, tables256_load, block256)
#endif

/* The slack after a record's copy that the widest BLOCK may read. */
#define PAD_SLACK 64

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
  void (*hits_in)(const matcher_t *, const uint8_t *, const uint8_t *, uint32_t *, uint32_t *) = hits_scalar;
#ifdef EXIR_X86
  if (search_level == LEVEL_AVX2) hits_in = hits_avx2;
  else if (search_level == LEVEL_SSSE3) hits_in = hits_ssse3;
#endif
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
    if (len + PAD_SLACK > pad_cap) {
      uint8_t *grown = realloc(pad, len + PAD_SLACK);
      if (!grown) {
        free(pad);
        return throw_error(env, "hits: out of memory");
      }
      pad = grown;
      pad_cap = len + PAD_SLACK;
    }
    pad[0] = ' ';
    memcpy(pad + 1, bytes + s, len - 2);
    pad[len - 1] = ' ';
    memset(pad + len, 0, PAD_SLACK);
    uint32_t lo = 0, hi = 0;
    hits_in(m, pad, pad + len, &lo, &hi);
    out[2 * i] = lo;
    out[2 * i + 1] = hi;
  }
  free(pad);
  return NULL;
}

/*
 * split: the record scanner's line splitting (src/sources/bytes/record-scanner.ts's `parse`) for
 * the plain lines of a buffer, so that JavaScript does no work per line. From `from`, each line
 * ended by a line feed becomes an item of the batch as the scanner would push it: an empty line
 * (after its CR) is skipped, a line starting with `#` is a directive, any other a record with its
 * separators counted; in CSV a record with a quote before its line end is read with its quotes
 * (take_quoted). It stops, leaving the line to the scanner's own code, at a line that needs it: one
 * holding a NUL, a quoted record it cannot take whole, one longer than the record limit, and the
 * last line when it has no line end yet; and when the batch is full. Lines are found 32 bytes a
 * step: masks of the line feeds, separators and stop bytes.
 */

typedef struct {
  uint32_t lf, sep, stop;
} line_masks_t;

typedef struct {
  const uint8_t *bytes;
  uint32_t end;
  uint8_t sep;
  int quotes;
  uint32_t max_record;
  double line, base;
  uint8_t *kinds, *flags, *marks, *records;
  int32_t *starts, *ends, *seps;
  double *lines, *offsets;
  uint32_t count, cap;
} split_t;

#define KIND_RECORD 1
#define KIND_DIRECTIVE 2
#define FLAG_QUOTED 1
#define SPLIT_END 0  /* every whole line taken; what is left has no line end yet (or nothing is left) */
#define SPLIT_LINE 1 /* the line at the returned position is the scanner's to read */
#define SPLIT_FULL 2 /* the batch is full */

/* The masks of n <= 32 bytes at p, one byte at a time: the tail of a buffer, and machines without SIMD. */
static inline void line_masks_bytes(const split_t *s, const uint8_t *p, uint32_t n, line_masks_t *m) {
  uint32_t lf = 0, sep = 0, stop = 0;
  for (uint32_t k = 0; k < n; k++) {
    uint8_t c = p[k];
    if (c == '\n') lf |= 1u << k;
    else if (c == s->sep) sep |= 1u << k;
    else if (c == 0 || (s->quotes && c == '"')) stop |= 1u << k;
  }
  m->lf = lf;
  m->sep = sep;
  m->stop = stop;
}

static inline void line_masks_scalar(const split_t *s, const uint8_t *p, line_masks_t *m) { line_masks_bytes(s, p, 32, m); }

#ifdef EXIR_X86
/* SSE2 is part of x86-64: no check needed. */
__attribute__((target("sse2"))) static inline void line_masks_sse2(const split_t *s, const uint8_t *p, line_masks_t *m) {
  const __m128i lf = _mm_set1_epi8('\n'), sep = _mm_set1_epi8((char)s->sep), zero = _mm_setzero_si128();
  const __m128i quote = _mm_set1_epi8(s->quotes ? '"' : 0);
  __m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16));
  m->lf = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, lf)) | ((uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, lf)) << 16);
  m->sep = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, sep)) | ((uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, sep)) << 16);
  __m128i sa = _mm_or_si128(_mm_cmpeq_epi8(a, zero), _mm_cmpeq_epi8(a, quote));
  __m128i sb = _mm_or_si128(_mm_cmpeq_epi8(b, zero), _mm_cmpeq_epi8(b, quote));
  m->stop = (uint32_t)_mm_movemask_epi8(sa) | ((uint32_t)_mm_movemask_epi8(sb) << 16);
}

__attribute__((target("avx2"))) static inline void line_masks_avx2(const split_t *s, const uint8_t *p, line_masks_t *m) {
  __m256i v = _mm256_loadu_si256((const __m256i *)p);
  m->lf = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')));
  m->sep = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)s->sep)));
  /* Without quotes the quote's place is taken by NUL again. */
  __m256i stop = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_setzero_si256()), _mm256_cmpeq_epi8(v, _mm256_set1_epi8(s->quotes ? '"' : 0)));
  m->stop = (uint32_t)_mm256_movemask_epi8(stop);
}
#endif

/*
 * Adds an item [start, end) of the given kind to a batch that has room for it; it starts on the
 * current line and spans `lines` lines, line end included.
 */
static inline void push_item(split_t *s, uint8_t kind, uint32_t start, uint32_t end, int32_t seps, uint8_t flags, double lines) {
  uint32_t i = s->count++;
  s->kinds[i] = kind;
  s->starts[i] = (int32_t)start;
  s->ends[i] = (int32_t)end;
  s->lines[i] = s->line;
  s->offsets[i] = s->base + start;
  s->seps[i] = seps;
  s->flags[i] = flags;
  s->marks[i] = 0;
  s->records[i] = kind == KIND_RECORD;
  s->line += lines;
}

/* Takes the line [start, nl) as the scanner would; 0 when the batch has no room for it. */
static inline int take_line(split_t *s, uint32_t start, uint32_t nl, int32_t seps) {
  uint32_t content_end = nl;
  if (content_end > start && s->bytes[content_end - 1] == '\r') content_end--;
  if (content_end == start) {
    /* An empty line carries nothing; it is neither a record nor damage. */
    s->line += 1;
    return 1;
  }
  if (s->count == s->cap) return 0;
  int directive = s->bytes[start] == '#';
  push_item(s, directive ? KIND_DIRECTIVE : KIND_RECORD, start, content_end, directive ? 0 : seps, 0, 1);
  return 1;
}

#define QUOTED_LEFT 0  /* the scanner's code must read it */
#define QUOTED_TAKEN 1 /* taken; *next is past its line end */
#define QUOTED_FULL 2  /* the batch is full */

/*
 * A CSV record with a quote before its first line end, from its start: as the scanner's
 * resumeQuoted reads it (a quote opens a quoted value only at the start of a value, `""` inside one
 * is a quote, separators and line ends inside one do not count), taken only when it ends, whole and
 * within the record limit, inside the bytes with no NUL in it; anything else is left to the scanner.
 * Byte by byte: such records are a few in a hundred.
 */
static inline int take_quoted(split_t *s, uint32_t start, uint32_t *next) {
  const uint8_t *b = s->bytes;
  if (b[start] == '#') return QUOTED_LEFT; /* a directive: the quote is text */
  int in_quote = 0, field_start = 1;
  int32_t seps = 0;
  double lines = 0;
  for (uint32_t i = start; i < s->end; i++) {
    if (i - start > s->max_record) return QUOTED_LEFT;
    uint8_t c = b[i];
    if (c == 0) return QUOTED_LEFT;
    if (in_quote) {
      if (c == '"') {
        if (i + 1 >= s->end) return QUOTED_LEFT;
        if (b[i + 1] == '"') i++;
        else in_quote = 0;
      } else if (c == '\n') {
        lines += 1;
      }
      continue;
    }
    if (c == '\n') {
      if (s->count == s->cap) return QUOTED_FULL;
      uint32_t content_end = i > start && b[i - 1] == '\r' ? i - 1 : i;
      push_item(s, KIND_RECORD, start, content_end, seps, FLAG_QUOTED, lines + 1);
      *next = i + 1;
      return QUOTED_TAKEN;
    }
    if (c == s->sep) {
      seps++;
      field_start = 1;
      continue;
    }
    if (c == '"' && field_start) in_quote = 1;
    field_start = 0;
  }
  return QUOTED_LEFT;
}

/* Sets *at to where the scanner goes on; returns SPLIT_END, SPLIT_LINE or SPLIT_FULL. */
#define DEFINE_SPLIT(NAME, TARGET, MASKS)                                                  \
  TARGET static int NAME(split_t *s, uint32_t from, uint32_t *at) {                        \
    uint32_t start = from, pos = from;                                                     \
    int32_t seps = 0;                                                                      \
    while (pos < s->end) {                                                                 \
      line_masks_t m;                                                                      \
      int restart = 0;                                                                     \
      uint32_t n = s->end - pos;                                                           \
      if (n >= 32) {                                                                       \
        MASKS(s, s->bytes + pos, &m);                                                      \
        n = 32;                                                                            \
      } else {                                                                             \
        line_masks_bytes(s, s->bytes + pos, n, &m);                                        \
      }                                                                                    \
      for (;;) {                                                                           \
        uint32_t events = m.lf | m.stop;                                                   \
        if (events == 0) {                                                                 \
          seps += __builtin_popcount(m.sep);                                               \
          break;                                                                           \
        }                                                                                  \
        uint32_t k = (uint32_t)__builtin_ctz(events);                                      \
        if (m.stop >> k & 1) {                                                             \
          /* A quote (CSV) may start a quoted record, read here; a NUL is the scanner's. */ \
          uint32_t next = 0;                                                               \
          int got = s->bytes[pos + k] == '"' ? take_quoted(s, start, &next) : QUOTED_LEFT; \
          if (got != QUOTED_TAKEN) {                                                       \
            *at = start;                                                                   \
            return got == QUOTED_FULL ? SPLIT_FULL : SPLIT_LINE;                           \
          }                                                                                \
          start = pos = next;                                                              \
          seps = 0;                                                                        \
          restart = 1;                                                                     \
          break;                                                                           \
        }                                                                                  \
        uint32_t below = (1u << k) - 1;                                                    \
        seps += __builtin_popcount(m.sep & below);                                         \
        m.sep &= ~below;                                                                   \
        m.lf &= m.lf - 1;                                                                  \
        uint32_t nl = pos + k;                                                             \
        if (nl - start > s->max_record) {                                                  \
          *at = start;                                                                     \
          return SPLIT_LINE;                                                               \
        }                                                                                  \
        if (!take_line(s, start, nl, seps)) {                                              \
          *at = start;                                                                     \
          return SPLIT_FULL;                                                               \
        }                                                                                  \
        start = nl + 1;                                                                    \
        seps = 0;                                                                          \
      }                                                                                    \
      if (!restart) pos += n;                                                              \
    }                                                                                      \
    *at = start;                                                                           \
    return SPLIT_END;                                                                      \
  }

DEFINE_SPLIT(split_scalar, , line_masks_scalar)
#ifdef EXIR_X86
DEFINE_SPLIT(split_sse2, __attribute__((target("sse2"))), line_masks_sse2)
DEFINE_SPLIT(split_avx2, __attribute__((target("avx2"))), line_masks_avx2)
#endif

/*
 * split(bytes, from, end, sep, quotes, maxRecord, line, base, kinds, starts, ends, lines, offsets,
 * separators, flags, marks, records, count, state): items from index `count` on, into the batch's
 * arrays (as long as kinds); state (a Float64Array of 4) gets the position to go on from, the new
 * count, the next line's number and SPLIT_END / SPLIT_LINE / SPLIT_FULL.
 */
static napi_value split(napi_env env, napi_callback_info info) {
  size_t argc = 19;
  napi_value argv[19];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 19) return throw_error(env, "split: nineteen arguments expected");
  split_t s;
  memset(&s, 0, sizeof s);
  uint8_t *bytes;
  size_t bytes_len, cap, n;
  uint32_t from, end, sep, quotes, max_record, count;
  if (!typed(env, argv[0], napi_uint8_array, (void **)&bytes, &bytes_len)) return throw_error(env, "split: bytes must be a Uint8Array");
  if (napi_get_value_uint32(env, argv[1], &from) != napi_ok || napi_get_value_uint32(env, argv[2], &end) != napi_ok ||
      napi_get_value_uint32(env, argv[3], &sep) != napi_ok || napi_get_value_uint32(env, argv[4], &quotes) != napi_ok ||
      napi_get_value_uint32(env, argv[5], &max_record) != napi_ok || napi_get_value_double(env, argv[6], &s.line) != napi_ok ||
      napi_get_value_double(env, argv[7], &s.base) != napi_ok || napi_get_value_uint32(env, argv[17], &count) != napi_ok) {
    return throw_error(env, "split: positions, separator, limit, line, base and count must be numbers");
  }
  if (from > end || end > bytes_len) return throw_error(env, "split: the range is outside the bytes");
  if (sep == '\n' || sep == '\r' || sep == '"' || sep == 0 || sep > 255) return throw_error(env, "split: the separator cannot be a line end, quote or NUL");
  if (!typed(env, argv[8], napi_uint8_array, (void **)&s.kinds, &cap)) return throw_error(env, "split: kinds must be a Uint8Array");
  int ok = typed(env, argv[9], napi_int32_array, (void **)&s.starts, &n) && n >= cap;
  ok = ok && typed(env, argv[10], napi_int32_array, (void **)&s.ends, &n) && n >= cap;
  ok = ok && typed(env, argv[11], napi_float64_array, (void **)&s.lines, &n) && n >= cap;
  ok = ok && typed(env, argv[12], napi_float64_array, (void **)&s.offsets, &n) && n >= cap;
  ok = ok && typed(env, argv[13], napi_int32_array, (void **)&s.seps, &n) && n >= cap;
  ok = ok && typed(env, argv[14], napi_uint8_array, (void **)&s.flags, &n) && n >= cap;
  ok = ok && typed(env, argv[15], napi_uint8_array, (void **)&s.marks, &n) && n >= cap;
  ok = ok && typed(env, argv[16], napi_uint8_array, (void **)&s.records, &n) && n >= cap;
  if (!ok) return throw_error(env, "split: the batch's arrays are not of their types, or shorter than kinds");
  double *state;
  if (!typed(env, argv[18], napi_float64_array, (void **)&state, &n) || n < 4) return throw_error(env, "split: state must be a Float64Array of 4");
  if (count > cap) return throw_error(env, "split: count is past the batch's end");
  s.bytes = bytes;
  s.end = end;
  s.sep = (uint8_t)sep;
  s.quotes = quotes != 0;
  s.max_record = max_record;
  s.count = count;
  s.cap = (uint32_t)cap;
  uint32_t at = from;
  int why;
#ifdef EXIR_X86
  if (search_level == LEVEL_AVX2) why = split_avx2(&s, from, &at);
  else if (search_level == LEVEL_SSSE3) why = split_sse2(&s, from, &at);
  else why = split_scalar(&s, from, &at);
#else
  why = split_scalar(&s, from, &at);
#endif
  state[0] = at;
  state[1] = s.count;
  state[2] = s.line;
  state[3] = why;
  return NULL;
}

/*
 * plain: the run of records a reader takes without looking at them one by one (RecordScanner's
 * `deliver`, a reader's `plain()`). From item `from`, while each item is a record the search did not
 * mark, with no flag (not quoted, not the file's unended last line), with one of the two accepted
 * separator counts and its time in place in the reader's layout, it is counted and its time joins
 * the run's least and greatest. The run stops at the first item that is anything else.
 */
#define TIME_IIS 1      /* `YYYY-MM-DD HH:MM:SS` leading the record, then a space or the end */
#define TIME_EXCHANGE 2 /* `YYYY-MM-DDTHH:MM:SS.fffZ` leading the record, then a comma or the end */

static inline int digit(uint8_t c) { return c >= '0' && c <= '9'; }

static inline int date_clock_at(const uint8_t *p, uint8_t between) {
  return digit(p[0]) && digit(p[1]) && digit(p[2]) && digit(p[3]) && p[4] == '-' && digit(p[5]) && digit(p[6]) && p[7] == '-' && digit(p[8]) &&
         digit(p[9]) && p[10] == between && digit(p[11]) && digit(p[12]) && p[13] == ':' && digit(p[14]) && digit(p[15]) && p[16] == ':' &&
         digit(p[17]) && digit(p[18]);
}

/* The length of the record's leading time in the layout, or 0 when it has none there. */
static inline uint32_t time_in_place(const uint8_t *p, uint32_t len, int layout) {
  if (layout == TIME_IIS) {
    if (len < 19 || !date_clock_at(p, ' ') || (len > 19 && p[19] != ' ')) return 0;
    return 19;
  }
  if (len < 24 || (len > 24 && p[24] != ',') || !date_clock_at(p, 'T') || p[19] != '.' || !digit(p[20]) || !digit(p[21]) || !digit(p[22]) ||
      p[23] != 'Z') {
    return 0;
  }
  return 24;
}

/*
 * plain(bytes, kinds, starts, ends, separators, flags, marks, from, count, layout, acceptA, acceptB, out):
 * out (a Float64Array of 4) gets the index the run stopped at, the records in it, and the start of
 * its least and greatest time (-1 when the run is empty); every time of a run has the same length.
 */
static napi_value plain(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 13) return throw_error(env, "plain: thirteen arguments expected");
  uint8_t *bytes, *kinds, *flags, *marks;
  int32_t *starts, *ends, *seps;
  double *out;
  size_t bytes_len, cap, n;
  uint32_t from, count, layout;
  int32_t accept_a, accept_b;
  if (!typed(env, argv[0], napi_uint8_array, (void **)&bytes, &bytes_len)) return throw_error(env, "plain: bytes must be a Uint8Array");
  int ok = typed(env, argv[1], napi_uint8_array, (void **)&kinds, &cap);
  ok = ok && typed(env, argv[2], napi_int32_array, (void **)&starts, &n) && n >= cap;
  ok = ok && typed(env, argv[3], napi_int32_array, (void **)&ends, &n) && n >= cap;
  ok = ok && typed(env, argv[4], napi_int32_array, (void **)&seps, &n) && n >= cap;
  ok = ok && typed(env, argv[5], napi_uint8_array, (void **)&flags, &n) && n >= cap;
  ok = ok && typed(env, argv[6], napi_uint8_array, (void **)&marks, &n) && n >= cap;
  if (!ok) return throw_error(env, "plain: the batch's arrays are not of their types, or shorter than kinds");
  if (napi_get_value_uint32(env, argv[7], &from) != napi_ok || napi_get_value_uint32(env, argv[8], &count) != napi_ok ||
      napi_get_value_uint32(env, argv[9], &layout) != napi_ok || napi_get_value_int32(env, argv[10], &accept_a) != napi_ok ||
      napi_get_value_int32(env, argv[11], &accept_b) != napi_ok) {
    return throw_error(env, "plain: from, count, layout and the separator counts must be numbers");
  }
  if (!typed(env, argv[12], napi_float64_array, (void **)&out, &n) || n < 4) return throw_error(env, "plain: out must be a Float64Array of 4");
  if (count > cap || from > count) return throw_error(env, "plain: count is past the batch's end");
  if (layout != TIME_IIS && layout != TIME_EXCHANGE) return throw_error(env, "plain: unknown time layout");
  uint32_t i = from, taken = 0, tlen = layout == TIME_IIS ? 19 : 24;
  int64_t least = -1, greatest = -1;
  for (; i < count; i++) {
    if (kinds[i] != KIND_RECORD || marks[i] != 0 || flags[i] != 0 || (seps[i] != accept_a && seps[i] != accept_b)) break;
    int32_t s = starts[i], e = ends[i];
    if (s < 0 || e < s || (size_t)e > bytes_len) return throw_error(env, "plain: a record's range is outside the bytes");
    if (time_in_place(bytes + s, (uint32_t)(e - s), (int)layout) == 0) break;
    if (greatest < 0) {
      least = greatest = s;
    } else if (memcmp(bytes + s, bytes + greatest, tlen) > 0) {
      greatest = s;
    } else if (memcmp(bytes + s, bytes + least, tlen) < 0) {
      least = s;
    }
    taken++;
  }
  out[0] = i;
  out[1] = taken;
  out[2] = (double)least;
  out[3] = (double)greatest;
  return NULL;
}

static const char *const LEVEL_NAMES[] = {"scalar", "ssse3", "avx2"};

/*
 * simd(level?: 'scalar' | 'ssse3' | 'avx2' | 'auto') -> the level in use. Given a level, the search
 * uses it from then on, or the best this CPU has below it ('auto': the best it has). For the tests
 * (the same marks at every level) and for measuring; the setting is the process's, every thread's.
 */
static napi_value simd(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return throw_error(env, "simd: bad arguments");
  if (argc >= 1) {
    char name[16];
    size_t len;
    if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) return throw_error(env, "simd: the level must be a string");
    int want;
    if (strcmp(name, "auto") == 0) want = supported_level;
    else if (strcmp(name, "scalar") == 0) want = LEVEL_SCALAR;
    else if (strcmp(name, "ssse3") == 0) want = LEVEL_SSSE3;
    else if (strcmp(name, "avx2") == 0) want = LEVEL_AVX2;
    else return throw_error(env, "simd: the level is one of scalar, ssse3, avx2, auto");
    search_level = want < supported_level ? want : supported_level;
  }
  napi_value result;
  if (napi_create_string_utf8(env, LEVEL_NAMES[search_level], NAPI_AUTO_LENGTH, &result) != napi_ok) return NULL;
  return result;
}

/*
 * A JavaScript string path copied for a thread of the pool (free it), or NULL when the value is not
 * a string or memory ran out. A path holding a NUL would name another file: it becomes "", which
 * names none.
 */
static char *path_copy(napi_env env, napi_value value) {
  size_t len;
  napi_valuetype t;
  if (napi_typeof(env, value, &t) != napi_ok || t != napi_string || napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char *path = (char *)malloc(len + 1);
  if (!path) return NULL;
  napi_get_value_string_utf8(env, value, path, len + 1, &len);
  if (strlen(path) != len) path[0] = '\0';
  return path;
}

/* Queues `execute` on the thread pool and `complete` after it, both given `data`; `complete` settles *promise. 0 when it could not. */
static int queue_on_pool(napi_env env, const char *name, napi_async_execute_callback execute, napi_async_complete_callback complete, void *data,
                         napi_async_work *work, napi_deferred *deferred, napi_value *promise) {
  napi_value label;
  if (napi_create_promise(env, deferred, promise) != napi_ok || napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &label) != napi_ok ||
      napi_create_async_work(env, NULL, label, execute, complete, data, work) != napi_ok) {
    return 0;
  }
  if (napi_queue_async_work(env, *work) != napi_ok) {
    napi_delete_async_work(env, *work);
    return 0;
  }
  return 1;
}

/*
 * A file's bytes taken as one record: whether they may hold a needle. The file is read MiB by MiB
 * into one buffer, the last `overlap` bytes (a needle's length less one) carried to the next piece
 * so that no needle is missed across a cut, and left at its first hit.
 */
#define HOLDING_PIECE (1u << 20)
#define HOLDING_MAX_OVERLAP (1u << 16)

/*
 * Whether a file's first bytes look like UTF-16LE text, as looksUtf16le in src/evidence/utf16.ts says
 * (a byte-order mark, or four ASCII characters each followed by a zero): its needles are not its
 * bytes, and the follow pass reads it as the UTF-8 it decodes to.
 */
static int looks_utf16le(const uint8_t *head, size_t n) {
  if (n >= 2 && head[0] == 0xff && head[1] == 0xfe) return 1;
  if (n < 8) return 0;
  for (size_t i = 0; i < 8; i += 2) {
    if (head[i] == 0 || head[i + 1] != 0) return 0;
  }
  return 1;
}

/* 1 when the file may hold a needle (or is UTF-16LE text), 0 when not, 2 when it could not be read. */
static uint8_t file_holding(const matcher_t *m, const char *path, uint8_t *buf, uint32_t overlap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 2;
  uint32_t carried = 0;
  uint8_t found = 0;
  int first = 1;
  for (;;) {
    ssize_t n = read(fd, buf + carried, HOLDING_PIECE);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      found = 2;
      break;
    }
    if (n == 0) break;
    uint32_t total = carried + (uint32_t)n;
    if (first && looks_utf16le(buf, total)) {
      found = 1;
      break;
    }
    first = 0;
    int32_t start = 0, end = (int32_t)total;
    uint8_t is_record = 1, marks = 0;
    batch_t b = {buf, &start, &end, &is_record, 1, &marks};
    search_batch(m, &b);
    if (marks != 0) {
      found = 1;
      break;
    }
    carried = total < overlap ? total : overlap;
    memmove(buf, buf + total - carried, carried);
  }
  close(fd);
  return found;
}

/*
 * picks(handle, paths, modes, overlap, budget, headBytes, headLines): a promise of one answer per
 * file, made on the thread pool, off the JavaScript thread. The follow pass asks it of every log
 * before it reads any again (src/scan/follow-check.ts): most logs never name the attackers, and
 * reading each one back into JavaScript to learn that was a fifth of a scan's CPU; and of a log
 * that does, the pass needs only a few lines.
 *
 * For a file of mode 0: 1 when its bytes, taken as one record, may hold a needle, 0 when they hold
 * none, 2 when it could not be read. For a W3C log (mode 1) or an Exchange CSV log (mode 2), read
 * once to its end: 0 when no line may hold a needle (the pass finds nothing in it), else
 * { head, bytes, lines }, what the pass would give its reader of the file (LinePicker in
 * src/scan/follow-lines.ts): the lines picked, in order, each whole with its line end, and four
 * numbers for each (its offset in the file, its line number, its length, 1 when it ends with a
 * line end); `head`, how many bytes the file's head has up to the end of its directives among the
 * first headLines lines of its first headBytes bytes (all the pass needs to know the log's
 * reader), which the picks start with. Lines are picked as the pass picks them: a line that may
 * hold a needle (its bytes without the line end, searched as one record), the file's first line,
 * a directive (`#`), and in a CSV log a line starting D, d, T or t (a header row may). The answer
 * is 1 instead, the file left for the pass to read itself, past `budget` bytes of picks in the
 * call, at what stops the pass's own picking (a NUL, a quote in a CSV log; a line longer than a
 * piece), and for a file whose head holds no directive or is not all picked, or that is UTF-16LE
 * text (mode 0 too); 2 when the file could not be read. Two calls at once use two threads.
 */
#define PICK_PIECE (1u << 20)
#define PICK_BLOCK (16u * 1024)

typedef struct {
  int32_t *starts, *ends;
  uint8_t *is_record, *marks;
  uint32_t count, cap;
} ranges_t;

static inline const uint8_t *find_lf(const uint8_t *p, const uint8_t *end) { return (const uint8_t *)memchr(p, '\n', (size_t)(end - p)); }

typedef struct {
  uint8_t *bytes;
  size_t length, room;
  double *lines;
  size_t count, line_room;
  uint32_t head_length;
} picked_t;

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref needles_ref;
  const matcher_t *m;
  char **paths;
  uint8_t *modes;
  uint32_t count;
  uint32_t overlap;
  double budget;
  uint32_t head_bytes, head_lines;
  uint8_t *status;
  picked_t *picked;
} picks_t;

static void ranges_free(ranges_t *r) {
  free(r->starts);
  free(r->ends);
  free(r->is_record);
  free(r->marks);
  memset(r, 0, sizeof *r);
}

static int ranges_add(ranges_t *r, uint32_t start, uint32_t end) {
  if (r->count == r->cap) {
    uint32_t cap = r->cap ? r->cap * 2 : 4096;
    int32_t *starts = (int32_t *)realloc(r->starts, cap * sizeof(int32_t));
    if (starts) r->starts = starts;
    int32_t *ends = (int32_t *)realloc(r->ends, cap * sizeof(int32_t));
    if (ends) r->ends = ends;
    uint8_t *is_record = (uint8_t *)realloc(r->is_record, cap);
    if (is_record) r->is_record = is_record;
    uint8_t *marks = (uint8_t *)realloc(r->marks, cap);
    if (marks) r->marks = marks;
    if (!starts || !ends || !is_record || !marks) return 0;
    memset(r->is_record + r->cap, 1, cap - r->cap);
    r->cap = cap;
  }
  r->starts[r->count] = (int32_t)start;
  r->ends[r->count] = (int32_t)end;
  r->marks[r->count] = 0;
  r->count++;
  return 1;
}

static void ranges_search(const matcher_t *m, const uint8_t *bytes, ranges_t *r) {
  if (r->count == 0) return;
  batch_t b = {bytes, r->starts, r->ends, r->is_record, r->count, r->marks};
  search_batch(m, &b);
}

static void picked_free(picked_t *p) {
  free(p->bytes);
  free(p->lines);
  memset(p, 0, sizeof *p);
}

/* Whether the picks start with the file's first `length` bytes: the lines from the first on, one after another. */
static int picks_begin_file(const picked_t *p, uint32_t length) {
  double covered = 0;
  for (size_t k = 0; k + 3 < p->count && covered < length; k += 4) {
    if (p->lines[k] != covered) return 0;
    covered += p->lines[k + 2];
  }
  return covered >= length;
}

/*
 * Where the directives among the first `lines` lines of a file's first `bytes` bytes end (after a
 * UTF-8 byte-order mark): just past the last of them; 0 when none of those lines is one. What
 * directivesEnd in src/sources/registry.ts says of the same head: the follow pass knows a picked
 * log's reader from these bytes, as it would from the file.
 */
static uint32_t directives_end(const uint8_t *buf, uint32_t bytes, uint32_t lines) {
  uint32_t at = bytes >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf ? 3 : 0, end = 0;
  for (uint32_t n = 0; n < lines && at < bytes; n++) {
    const uint8_t *nl = find_lf(buf + at, buf + bytes);
    if (buf[at] == '#') end = nl ? (uint32_t)(nl - buf) + 1 : bytes;
    if (!nl) break;
    at = (uint32_t)(nl - buf) + 1;
  }
  return end;
}

static int picked_add(picked_t *p, const uint8_t *line, size_t length, double offset, double number, int ends) {
  if (p->length + length > p->room) {
    size_t room = p->room ? p->room : 4096;
    while (room < p->length + length) room *= 2;
    uint8_t *bytes = (uint8_t *)realloc(p->bytes, room);
    if (!bytes) return 0;
    p->bytes = bytes;
    p->room = room;
  }
  if (p->count + 4 > p->line_room) {
    size_t room = p->line_room ? p->line_room * 2 : 64;
    double *lines = (double *)realloc(p->lines, room * sizeof(double));
    if (!lines) return 0;
    p->lines = lines;
    p->line_room = room;
  }
  memcpy(p->bytes + p->length, line, length);
  p->length += length;
  p->lines[p->count++] = offset;
  p->lines[p->count++] = number;
  p->lines[p->count++] = (double)length;
  p->lines[p->count++] = ends ? 1 : 0;
  return 1;
}

/*
 * Marks, in `lines`, the lines of buf[0, end) that may hold a needle: blocks of about PICK_BLOCK bytes
 * cut at line ends are searched first, and the lines of a block that may hold one after.
 */
static int mark_lines(const matcher_t *m, const uint8_t *buf, uint32_t end, ranges_t *blocks, ranges_t *lines) {
  blocks->count = 0;
  lines->count = 0;
  for (uint32_t p = 0; p < end;) {
    uint32_t stop = end;
    if (end - p > PICK_BLOCK) {
      const uint8_t *nl = find_lf(buf + p + PICK_BLOCK, buf + end);
      if (nl) stop = (uint32_t)(nl - buf) + 1;
    }
    if (!ranges_add(blocks, p, stop)) return 0;
    p = stop;
  }
  ranges_search(m, buf, blocks);
  for (uint32_t k = 0; k < blocks->count; k++) {
    if (blocks->marks[k] == 0) continue;
    for (uint32_t p = (uint32_t)blocks->starts[k], stop = (uint32_t)blocks->ends[k]; p < stop;) {
      const uint8_t *nl = find_lf(buf + p, buf + stop);
      uint32_t next = nl ? (uint32_t)(nl - buf) + 1 : stop;
      uint32_t content = nl ? (uint32_t)(nl - buf) : next;
      if (content > p && buf[content - 1] == '\r') content--;
      if (content > p && !ranges_add(lines, p, content)) return 0;
      p = next;
    }
  }
  ranges_search(m, buf, lines);
  return 1;
}

/*
 * One file of a W3C (csv 0) or an Exchange CSV (csv 1) log: 3 when its picks are in `out` (taken from
 * `*budget`), else picks' answer for it (0, 1 or 2).
 */
static uint8_t pick_file(const matcher_t *m, const char *path, int csv, const picks_t *h, uint8_t *buf, ranges_t *blocks, ranges_t *lines, picked_t *out, double *budget) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 2;
  const double budget_before = *budget;
  int failed = 0, left = 0, named = 0, head_seen = 0, picking = *budget > 0;
  uint32_t carried = 0;
  double at = 0, number = 1;
  for (;;) {
    ssize_t n = read(fd, buf + carried, PICK_PIECE - carried);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failed = 1;
      break;
    }
    uint32_t total = carried + (uint32_t)n;
    int last = n == 0;
    if (total == 0) break;
    if (!head_seen) {
      /* The head, as the pass would sniff it: read on until there is as much of it as the file has. */
      if (total < h->head_bytes && !last) {
        carried = total;
        continue;
      }
      head_seen = 1;
      /* UTF-16LE text: the pass reads it decoded. */
      if (looks_utf16le(buf, total)) {
        left = 1;
        break;
      }
      /* Picked, a log is known by its directives in the head's first lines: one with none the pass reads itself. */
      if (picking && !(out->head_length = directives_end(buf, total < h->head_bytes ? total : h->head_bytes, h->head_lines))) {
        left = 1;
        break;
      }
    }
    uint32_t end = total;
    if (!last) {
      uint32_t k = total;
      while (k > 0 && buf[k - 1] != '\n') k--;
      if (k == 0) {
        /* A line longer than a piece: the pass reads such a file itself. */
        if (total == PICK_PIECE) {
          left = 1;
          break;
        }
        carried = total;
        continue;
      }
      end = k;
    }
    /*
     * A NUL, or a quote in a CSV log, ends the picking in the pass, which reads such a file itself
     * from there on. Not picking (for that, or past the budget), whether the file may name a text is
     * asked of its bytes, a round at a time, not of its lines.
     */
    if (picking && (memchr(buf, 0, end) || (csv && memchr(buf, '"', end)))) picking = 0;
    if (!picking) {
      int32_t start = 0, stop = (int32_t)end;
      uint8_t is_record = 1, mark = 0;
      batch_t b = {buf, &start, &stop, &is_record, 1, &mark};
      search_batch(m, &b);
      named |= mark != 0;
    } else if (!mark_lines(m, buf, end, blocks, lines)) {
      left = 1;
      break;
    } else {
      uint32_t marked = 0;
      for (uint32_t p = 0; p < end;) {
        const uint8_t *nl = find_lf(buf + p, buf + end);
        uint32_t next = nl ? (uint32_t)(nl - buf) + 1 : end;
        while (marked < lines->count && (uint32_t)lines->starts[marked] < p) marked++;
        int hit = marked < lines->count && (uint32_t)lines->starts[marked] == p && lines->marks[marked] != 0;
        uint8_t first = buf[p];
        named |= hit;
        if (picking && (hit || (at == 0 && p == 0) || first == '#' || (csv && (first == 'D' || first == 'd' || first == 'T' || first == 't')))) {
          if (*budget < (double)(next - p) || !picked_add(out, buf + p, next - p, at + p, number, nl != NULL)) picking = 0;
          else *budget -= (double)(next - p);
        }
        if (nl) number += 1;
        p = next;
      }
    }
    /* Not picking: the first line that may hold a needle is all the answer needs. */
    if (last || (!picking && named)) break;
    carried = total - end;
    memmove(buf, buf + end, carried);
    at += end;
  }
  close(fd);
  /* The head is given as the start of the picks (its lines are directives, picked): else the pass reads the file. */
  uint8_t answer = failed ? 2 : left ? 1 : !named ? 0 : picking && picks_begin_file(out, out->head_length) ? 3 : 1;
  /* Picks not given back are not kept: what they took goes back to the budget. */
  if (answer != 3) *budget = budget_before;
  return answer;
}

static void picks_execute(napi_env env, void *data) {
  (void)env;
  picks_t *h = (picks_t *)data;
  uint8_t *buf = NULL;
  size_t room = PICK_PIECE > HOLDING_PIECE + h->overlap ? PICK_PIECE : HOLDING_PIECE + h->overlap;
  if (posix_memalign((void **)&buf, 64, room) != 0) buf = NULL;
  ranges_t blocks = {0}, lines = {0};
  double budget = h->budget;
  for (uint32_t i = 0; i < h->count; i++) {
    if (!buf) {
      h->status[i] = 2;
    } else if (h->modes[i] == 0) {
      h->status[i] = file_holding(h->m, h->paths[i], buf, h->overlap);
    } else {
      h->status[i] = pick_file(h->m, h->paths[i], h->modes[i] == 2, h, buf, &blocks, &lines, &h->picked[i], &budget);
      if (h->status[i] != 3) picked_free(&h->picked[i]);
    }
  }
  ranges_free(&blocks);
  ranges_free(&lines);
  free(buf);
}

static void picks_free(napi_env env, picks_t *h) {
  if (h->paths) {
    for (uint32_t i = 0; i < h->count; i++) free(h->paths[i]);
    free(h->paths);
  }
  if (h->picked) {
    for (uint32_t i = 0; i < h->count; i++) picked_free(&h->picked[i]);
    free(h->picked);
  }
  free(h->modes);
  free(h->status);
  if (h->needles_ref) napi_delete_reference(env, h->needles_ref);
  free(h);
}

/* { head, bytes, lines } of one file's picks, or NULL when they cannot be made. */
static napi_value picked_value(napi_env env, const picked_t *p) {
  napi_value object, bytes, buffer, lines, head;
  void *data;
  if (napi_create_object(env, &object) != napi_ok || napi_create_buffer_copy(env, p->length, p->bytes ? (const void *)p->bytes : (const void *)"", NULL, &bytes) != napi_ok ||
      napi_create_uint32(env, p->head_length, &head) != napi_ok ||
      napi_create_arraybuffer(env, p->count * sizeof(double), &data, &buffer) != napi_ok ||
      napi_create_typedarray(env, napi_float64_array, p->count, buffer, 0, &lines) != napi_ok) {
    return NULL;
  }
  if (p->count) memcpy(data, p->lines, p->count * sizeof(double));
  if (napi_set_named_property(env, object, "head", head) != napi_ok || napi_set_named_property(env, object, "bytes", bytes) != napi_ok ||
      napi_set_named_property(env, object, "lines", lines) != napi_ok) {
    return NULL;
  }
  return object;
}

static void picks_complete(napi_env env, napi_status status, void *data) {
  picks_t *h = (picks_t *)data;
  napi_value answers;
  if (napi_create_array_with_length(env, h->count, &answers) == napi_ok) {
    for (uint32_t i = 0; i < h->count; i++) {
      napi_value answer = NULL;
      /* A search that did not run says nothing of any file: each is followed. */
      uint8_t s = status == napi_ok ? h->status[i] : 2;
      if (s == 3) answer = picked_value(env, &h->picked[i]);
      if (!answer && napi_create_uint32(env, s == 3 ? 1 : s, &answer) != napi_ok) answer = NULL;
      if (answer) napi_set_element(env, answers, i, answer);
    }
    napi_resolve_deferred(env, h->deferred, answers);
  } else {
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    napi_reject_deferred(env, h->deferred, undefined);
  }
  napi_delete_async_work(env, h->work);
  picks_free(env, h);
}

static napi_value picks(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7) return throw_error(env, "picks: seven arguments expected");
  matcher_t *m;
  napi_valuetype t;
  if (napi_typeof(env, argv[0], &t) != napi_ok || t != napi_external || napi_get_value_external(env, argv[0], (void **)&m) != napi_ok) {
    return throw_error(env, "picks: not a compiled needle set");
  }
  bool is_array;
  uint32_t count;
  if (napi_is_array(env, argv[1], &is_array) != napi_ok || !is_array || napi_get_array_length(env, argv[1], &count) != napi_ok) {
    return throw_error(env, "picks: paths must be an array");
  }
  uint8_t *modes;
  size_t modes_len;
  if (!typed(env, argv[2], napi_uint8_array, (void **)&modes, &modes_len) || modes_len < count) return throw_error(env, "picks: modes must be a Uint8Array as long as paths");
  uint32_t overlap;
  if (napi_get_value_uint32(env, argv[3], &overlap) != napi_ok || overlap > HOLDING_MAX_OVERLAP) return throw_error(env, "picks: overlap must be a number up to 65536");
  double budget;
  if (napi_get_value_double(env, argv[4], &budget) != napi_ok) return throw_error(env, "picks: budget must be a number");
  uint32_t head_bytes, head_lines;
  if (napi_get_value_uint32(env, argv[5], &head_bytes) != napi_ok || head_bytes == 0 || head_bytes > PICK_PIECE || napi_get_value_uint32(env, argv[6], &head_lines) != napi_ok) {
    return throw_error(env, "picks: the head's bytes (up to a piece) and lines must be numbers");
  }
  picks_t *h = (picks_t *)calloc(1, sizeof(picks_t));
  if (!h) return throw_error(env, "picks: out of memory");
  h->m = m;
  h->overlap = overlap;
  h->budget = budget;
  h->head_bytes = head_bytes;
  h->head_lines = head_lines;
  size_t n = count ? count : 1;
  h->paths = (char **)calloc(n, sizeof(char *));
  h->modes = (uint8_t *)malloc(n);
  h->status = (uint8_t *)calloc(n, 1);
  h->picked = (picked_t *)calloc(n, sizeof(picked_t));
  if (!h->paths || !h->modes || !h->status || !h->picked) {
    picks_free(env, h);
    return throw_error(env, "picks: out of memory");
  }
  h->count = count;
  /* The modes are copied: the pool reads them after this call returns. */
  memcpy(h->modes, modes, count);
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    if (napi_get_element(env, argv[1], i, &item) != napi_ok || !(h->paths[i] = path_copy(env, item))) {
      picks_free(env, h);
      return throw_error(env, "picks: every path must be a string");
    }
  }
  napi_value promise;
  if (napi_create_reference(env, argv[0], 1, &h->needles_ref) != napi_ok ||
      !queue_on_pool(env, "exir:picks", picks_execute, picks_complete, h, &h->work, &h->deferred, &promise)) {
    picks_free(env, h);
    return throw_error(env, "picks: could not start the search");
  }
  return promise;
}

/*
 * hashFile(path, digest, state): a promise, settled once the file is read to its end and its SHA-256
 * is in digest (32 bytes); state[0] gets the bytes hashed, state[1] 0, or 1 when the file could not
 * be read to its end. A scan hashes a large log here, on the thread pool, while it reads the same
 * file in its own thread (src/scan/scan-entry.ts): the hash was a sixth of the reading thread's work
 * on a large .evtx. SHA-256 is Node's own OpenSSL; built without its headers, the addon has no
 * hashFile and the scan hashes as it reads.
 */
#if defined(__has_include)
#if __has_include(<openssl/evp.h>)
#include <openssl/evp.h>
#define EXIR_HASH_FILE 1
#endif
#endif

#ifdef EXIR_HASH_FILE
#define HASH_PIECE (1u << 20)

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref digest_ref, state_ref;
  char *path;
  uint8_t *digest;
  double *state;
} hash_file_t;

static void hash_file_free(napi_env env, hash_file_t *h) {
  free(h->path);
  if (h->digest_ref) napi_delete_reference(env, h->digest_ref);
  if (h->state_ref) napi_delete_reference(env, h->state_ref);
  free(h);
}

static void hash_file_execute(napi_env env, void *data) {
  (void)env;
  hash_file_t *h = (hash_file_t *)data;
  double hashed = 0;
  int failed = 1;
  uint8_t *buf = (uint8_t *)malloc(HASH_PIECE);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  int fd = buf && ctx ? open(h->path, O_RDONLY | O_CLOEXEC) : -1;
  if (fd >= 0 && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1) {
    for (;;) {
      ssize_t n = read(fd, buf, HASH_PIECE);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || (n > 0 && EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)) break;
      if (n == 0) {
        failed = EVP_DigestFinal_ex(ctx, h->digest, NULL) != 1;
        break;
      }
      hashed += (double)n;
    }
  }
  if (fd >= 0) close(fd);
  EVP_MD_CTX_free(ctx);
  free(buf);
  h->state[0] = hashed;
  h->state[1] = failed;
}

static void hash_file_complete(napi_env env, napi_status status, void *data) {
  hash_file_t *h = (hash_file_t *)data;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  if (status != napi_ok) h->state[1] = 1;
  napi_resolve_deferred(env, h->deferred, undefined);
  napi_delete_async_work(env, h->work);
  hash_file_free(env, h);
}

static napi_value hash_file(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) return throw_error(env, "hashFile: three arguments expected");
  uint8_t *digest;
  double *state;
  size_t digest_len, state_len;
  if (!typed(env, argv[1], napi_uint8_array, (void **)&digest, &digest_len) || digest_len < 32) return throw_error(env, "hashFile: digest must be a Uint8Array of 32");
  if (!typed(env, argv[2], napi_float64_array, (void **)&state, &state_len) || state_len < 2) return throw_error(env, "hashFile: state must be a Float64Array of 2");
  hash_file_t *h = (hash_file_t *)calloc(1, sizeof(hash_file_t));
  if (!h) return throw_error(env, "hashFile: out of memory");
  if (!(h->path = path_copy(env, argv[0]))) {
    hash_file_free(env, h);
    return throw_error(env, "hashFile: the path must be a string");
  }
  h->digest = digest;
  h->state = state;
  /* The arrays stay alive, and in place, while the thread pool fills them. */
  napi_value promise;
  if (napi_create_reference(env, argv[1], 1, &h->digest_ref) != napi_ok || napi_create_reference(env, argv[2], 1, &h->state_ref) != napi_ok ||
      !queue_on_pool(env, "exir:hashFile", hash_file_execute, hash_file_complete, h, &h->work, &h->deferred, &promise)) {
    hash_file_free(env, h);
    return throw_error(env, "hashFile: could not start the hash");
  }
  return promise;
}
#endif

/*
 * trim(): gives the memory the C allocator holds free back to the system (glibc's malloc_trim, every
 * arena); returns whether it could. A scan frees most of what it read by the end of a pass, but the
 * allocator keeps freed blocks mapped where they are not at the top of an arena: tens of MiB of a
 * scan's resident memory were free blocks nothing would use again (README, "The end of the scan").
 */
static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#ifdef __GLIBC__
  released = malloc_trim(0);
#endif
  napi_value result;
  if (napi_get_boolean(env, released != 0, &result) != napi_ok) return NULL;
  return result;
}

/*
 * skew(buffer, align): how many bytes from the start of `buffer` its memory is `align`-aligned
 * (align a power of two). The kernel copies a read into memory that is not 64-byte aligned three
 * times slower on the AMD EPYC machines measured (README, "Reads into aligned memory, and an OR's
 * need crossed"); Node's buffers start 16 bytes into what the C allocator gives, so the opener
 * skips this many.
 */
static napi_value skew(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) return NULL;
  void *data = NULL;
  size_t length = 0;
  uint32_t align = 0;
  if (napi_get_buffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "skew: a Buffer");
    return NULL;
  }
  if (napi_get_value_uint32(env, argv[1], &align) != napi_ok || align == 0 || (align & (align - 1)) != 0) {
    napi_throw_range_error(env, NULL, "skew: the alignment is a power of two");
    return NULL;
  }
  uint32_t off = (uint32_t)((align - ((uintptr_t)data & (align - 1))) & (align - 1));
  napi_value result;
  if (napi_create_uint32(env, off, &result) != napi_ok) return NULL;
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  /* Once per process: a worker thread loading the addon must not undo a level set by `simd()`. */
  static int detected = 0;
  if (!detected) {
#ifdef EXIR_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) supported_level = LEVEL_AVX2;
    else if (__builtin_cpu_supports("ssse3")) supported_level = LEVEL_SSSE3;
#endif
    search_level = supported_level;
    detected = 1;
  }
  napi_property_descriptor props[] = {
      {"compile", NULL, compile, NULL, NULL, NULL, napi_default, NULL},
      {"mark", NULL, mark, NULL, NULL, NULL, napi_default, NULL},
      {"hits", NULL, hits, NULL, NULL, NULL, napi_default, NULL},
      {"simd", NULL, simd, NULL, NULL, NULL, napi_default, NULL},
      {"split", NULL, split, NULL, NULL, NULL, napi_default, NULL},
      {"plain", NULL, plain, NULL, NULL, NULL, napi_default, NULL},
      {"trim", NULL, trim, NULL, NULL, NULL, napi_default, NULL},
      {"skew", NULL, skew, NULL, NULL, NULL, napi_default, NULL},
      {"picks", NULL, picks, NULL, NULL, NULL, napi_default, NULL},
#ifdef EXIR_HASH_FILE
      {"hashFile", NULL, hash_file, NULL, NULL, NULL, napi_default, NULL},
#endif
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
