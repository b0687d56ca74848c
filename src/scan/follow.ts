import type { LogRecord, SourceKind, TimelineEntry } from '../core/types.js';
import type { FollowKeys } from '../correlate/sessions.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { peekText, type EvidenceOpener } from '../evidence/open.js';
import { looksUtf16le } from '../evidence/utf16.js';
import { clientIpOf, firstValue, keptFields, summarise, type SourceMapping } from '../detect/mapping.js';
import { mayHold, planLiterals, type LiteralPlan } from '../sources/bytes/literals.js';
import { exchangeCsvReader } from '../sources/exchange-csv/exchange-csv-reader.js';
import { w3cReader } from '../sources/w3c/w3c-reader.js';
import { SNIFF_BYTES, sniffBytes } from '../sources/registry.js';
import type { Engine } from './engine.js';
import { isRealRequestId } from '../core/request-id.js';
import { serverName } from '../core/server-name.js';
import { blocksHolding, LinePicker, placementOf } from './follow-lines.js';
import type { PickedLines } from '../sources/bytes/native.js';

/** Log kinds whose records name no client; they are followed by time, near the attack, instead. */
const BY_TIME: ReadonlySet<SourceKind> = new Set(['rps-cmdlet', 'ecp-server', 'ecp-activity', 'oabgenerator']);

export function followsByTime(kind: SourceKind): boolean {
  return BY_TIME.has(kind);
}

function inWindows(time: string | undefined, windows: { from: string; to: string }[] | undefined): boolean {
  if (!time || !windows) return false;
  return windows.some((w) => time >= w.from && time <= w.to);
}

/**
 * Reads a log again for the attacker's other records: every request from a hostile IP or to a web
 * shell, whether or not a rule matched it, and the cmdlets run near the attack on the same server.
 */
export async function followEntry(
  entry: EvidenceEntry,
  server: string,
  kind: SourceKind,
  engine: Engine,
  opener: EvidenceOpener,
  keys: FollowKeys,
  prepicked?: PickedFollow,
): Promise<TimelineEntry[]> {
  const out: TimelineEntry[] = [];
  const plan = followPlan(keys);
  if (!followsByTime(kind) && plan.literals.length === 0) return out;
  // Picked already (follow-check.ts): only those lines are read.
  if (prepicked && (await readPicked(entry, server, prepicked, engine, keys, plan, out))) return out;
  // A small file is read once, into a buffer the opener lends: searched, and read record by record
  // from the same bytes when it names an attacker. The readers copy what they keep.
  const lent = opener.lend(entry);
  try {
    // Most logs never name the attackers: a search of the bytes for them all at once says so at the
    // speed of reading, and only files that do are read record by record (a small one, where it
    // may name them: see follow-lines.ts).
    let blocks: number[] | undefined;
    // UTF-16LE text is searched once decoded, as the first pass read it (readFollowing).
    if (!followsByTime(kind) && lent && !looksUtf16le(lent.bytes.subarray(0, SNIFF_BYTES))) {
      blocks = blocksHolding(plan.search, plan.texts, lent.bytes);
      if (blocks.length === 0) return out;
    }
    await readFollowing(entry, server, lent?.bytes, blocks, engine, opener, keys, plan, out);
  } finally {
    lent?.release();
  }
  return out;
}

/**
 * What the follow pass works out from its keys, once per keys object (in this thread a pass gives
 * every file the same one; a worker is sent a copy with each file's job, and works it out again:
 * about 2.5 µs).
 */
export interface FollowPlan {
  /** The texts followed, lower-cased: the reader's literals. */
  literals: string[];
  ips: ReadonlySet<string>;
  urls: ReadonlySet<string>;
  /** What the byte search looks for: every text followed, and the web shells' URLs as the logs spelled them. */
  texts: string[];
  search: LiteralPlan;
}

const plans = new WeakMap<FollowKeys, FollowPlan>();

export function followPlan(keys: FollowKeys): FollowPlan {
  let plan = plans.get(keys);
  if (plan === undefined) {
    const wanted = [...keys.ips, ...keys.urls, ...(keys.addresses ?? [])];
    const texts = [...wanted, ...(keys.urlSpellings ?? [])];
    plan = { literals: wanted.map((k) => k.toLowerCase()), ips: new Set(keys.ips), urls: new Set(keys.urls), texts, search: planLiterals(texts) };
    plans.set(keys, plan);
  }
  return plan;
}

/** The lines of a log to follow, picked by the addon (follow-check.ts); `csv`: picked as an Exchange CSV log's, else a W3C log's. */
export interface PickedFollow {
  lines: PickedLines;
  csv: boolean;
}

/**
 * Reads the picked lines of a log as readFollowing reads the lines its LinePicker picks, and adds the
 * attackers' records to `out`: the same records, without reading the file. The log's reader is
 * known from its head, which the picks start with up to the end of its directives: all that
 * `sniffBytes` reads of a W3C or Exchange CSV log's head (a head they do not make one of those is
 * read whole by every reader, and is not picked from here). False, and nothing read, when the head
 * does not say the log is what it was picked as: the caller then reads the file as it would have.
 */
async function readPicked(
  entry: EvidenceEntry,
  server: string,
  picked: PickedFollow,
  engine: Engine,
  keys: FollowKeys,
  plan: FollowPlan,
  out: TimelineEntry[],
): Promise<boolean> {
  // Sent to a worker, the picks arrive as Uint8Arrays: the readers take Buffers, views of the same bytes.
  const { head, bytes } = picked.lines;
  const found = sniffBytes(Buffer.from(bytes.buffer, bytes.byteOffset, head));
  if (!found || followsByTime(found.kind) || found.reader !== (picked.csv ? exchangeCsvReader : w3cReader)) return false;
  const placement = placementOf(picked.lines);
  await found.reader.read(onePiece(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), {
    path: entry.path,
    literals: plan.literals,
    onRecord: follower(found.kind, server, engine, keys, plan, placement, out),
  });
  return true;
}

/** One piece, as the readers take their pieces. */
function onePiece(bytes: Buffer): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]: () => {
      let given = false;
      return {
        next: () => Promise.resolve(given ? { done: true, value: undefined } : ((given = true), { done: false, value: bytes })),
      };
    },
  };
}

/** Reads the log record by record and adds the attackers' records to `out`. */
async function readFollowing(
  entry: EvidenceEntry,
  server: string,
  whole: Buffer | undefined,
  blocks: readonly number[] | undefined,
  engine: Engine,
  opener: EvidenceOpener,
  keys: FollowKeys,
  plan: FollowPlan,
  out: TimelineEntry[],
): Promise<void> {
  // A large log in pieces, read into two buffers in turn once its reader is known to keep no piece:
  // a stream read each MiB into new memory, and mapping it cost the system more than the read.
  let lend = false;
  const pieces = whole ? undefined : opener.pieces(entry, () => lend);
  try {
    // UTF-16LE is read as the UTF-8 it decodes to, as the first pass read it.
    const { head, rest, utf16 } = await peekText(pieces ?? [whole!].values(), SNIFF_BYTES);
    const bytes = utf16 ? undefined : whole;
    const found = sniffBytes(head);
    if (!found) return;
    lend = found.reader.keepsNoPiece === true;
    const literals = followsByTime(found.kind) ? undefined : plan.literals;
    // A W3C or Exchange CSV log is read only at the lines that may name an attacker (follow-lines.ts).
    const picker =
      literals && (found.reader === w3cReader || found.reader === exchangeCsvReader)
        ? new LinePicker(plan.search, plan.texts, found.reader === exchangeCsvReader)
        : undefined;
    // A large log of another format is searched first, and read record by record only when it may
    // name one (its bytes as they are: UTF-16 text is read whole).
    if (!picker && !whole && !utf16 && literals && !(await mentionsAny(entry, opener, plan))) return;
    await found.reader.read(picker ? picked(picker, bytes, bytes && blocks, rest) : rest, {
      path: entry.path,
      ...(literals ? { literals } : {}),
      onRecord: follower(found.kind, server, engine, keys, plan, picker, out),
    });
  } finally {
    // Stopped early (not a log, or one that names no attacker, or a read that failed): the file is closed.
    await pieces?.return(undefined);
  }
}

/**
 * What the follow pass does with each record a log's reader gives it: the attackers' records (by
 * client, web shell URL or recipient; by time near the attack for the logs followed so) go to `out`,
 * each placed back at its own line first when the reader was given picked lines.
 */
function follower(
  kind: SourceKind,
  server: string,
  engine: Engine,
  keys: FollowKeys,
  plan: FollowPlan,
  placement: { place(record: LogRecord): void } | undefined,
  out: TimelineEntry[],
): (record: LogRecord) => void {
  const mapping = engine.mappings.get(kind);
  const byTime = followsByTime(kind);
  const { ips, urls } = plan;
  const windows = keys.windows[server];
  const addresses = keys.addresses ?? [];
  return (record) => {
    placement?.place(record);
    const clientIp = mapping ? clientIpOf(record, mapping.who) : undefined;
    const url = mapping ? firstValue(record, mapping.who.url) : undefined;
    const wanted = byTime
      ? inWindows(record.time, windows)
      : (clientIp !== undefined && ips.has(clientIp)) || (url !== undefined && urls.has(url.toLowerCase())) || sentTo(record, mapping, addresses);
    if (!wanted) return;
    const userAgent = mapping ? firstValue(record, mapping.who.userAgent) : undefined;
    const user = mapping ? firstValue(record, mapping.who.user) : undefined;
    const id = mapping ? firstValue(record, mapping.who.requestId) : undefined;
    const requestId = isRealRequestId(id) ? id : undefined;
    out.push({
      time: record.time,
      server: (mapping ? serverName(firstValue(record, mapping.who.server)) : undefined) ?? server,
      source: record.source,
      origin: record.origin,
      kind: 'activity',
      summary: summarise(record, mapping),
      ...(clientIp ? { clientIp } : {}),
      ...(userAgent ? { userAgent } : {}),
      ...(user ? { user } : {}),
      ...(requestId ? { requestId } : {}),
      fields: keptFields(record, mapping),
    });
  };
}

/** What the picker gives the reader of a log: of its bytes when they are all read (searched already), else of its pieces as they come. */
async function* picked(
  picker: LinePicker,
  whole: Buffer | undefined,
  blocks: readonly number[] | undefined,
  pieces: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  if (whole) {
    yield* picker.take(whole, true, blocks);
    return;
  }
  for await (const piece of pieces) yield* picker.take(piece, false);
  yield* picker.take(Buffer.alloc(0), true);
}

/** Whether a message tracking record went to one of the addresses (recipients are `;`-separated). */
function sentTo(record: LogRecord, mapping: SourceMapping | undefined, addresses: readonly string[]): boolean {
  if (addresses.length === 0 || !mapping) return false;
  const recipients = (firstValue(record, mapping.who.recipient) ?? '').toLowerCase();
  return recipients !== '' && addresses.some((a) => recipients.includes(a));
}

/**
 * Whether a large file's bytes may hold any of the texts, a match across
 * chunk edges included: the pre-filter's search of every text at once, ASCII letters folded as the
 * record-by-record read folds them (a text with other letters is found by its longest ASCII run).
 */
async function mentionsAny(entry: EvidenceEntry, opener: EvidenceOpener, plan: FollowPlan): Promise<boolean> {
  const overlap = Math.max(...plan.texts.map((t) => Buffer.byteLength(t))) - 1;
  let tail = Buffer.alloc(0);
  const holds = (bytes: Buffer): boolean => mayHold(plan.search, bytes);
  // Read into one buffer again and again (the search keeps a copy of each piece's tail, never the
  // piece): as a stream, each MiB was new memory, and a pass over the large logs left about 100 MiB
  // of them to be collected.
  for await (const chunk of opener.pieces(entry, () => true)) {
    if (holds(chunk) || (tail.length > 0 && holds(Buffer.concat([tail, chunk.subarray(0, overlap)])))) return true;
    tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - overlap)));
  }
  return false;
}
