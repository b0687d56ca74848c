import { mkdir, readdir } from 'node:fs/promises';
import { planAttack } from './attack.js';
import { type AftermathTruth, writeAftermath } from './aftermath.js';
import { HourBatch, type LogKind } from './batch.js';
import { MACHINE_LOAD, benignHour, peopleLoad } from './benign.js';
import { type Ctx, type Scheduled, utc } from './common.js';
import { planFixtures } from './fixtures.js';
import { Rng } from './prng.js';
import { planScanners } from './scanners.js';
import { planSpread } from './spread.js';
import { BundleWriter } from './writer.js';
import { type Server, buildWorld } from './world.js';

export interface DemoOptions {
  outDir: string;
  seed?: number;
  /** Approximate total bytes to write; default about 40 MB. Below about 0.3 MB the fixed scenario alone is larger. */
  targetBytes?: number;
  /**
   * The attackers' addresses in most hours' HttpProxy logs of both servers (the bench's second
   * bundle, where the follow pass has most files to read again). Off by default: the bundle is then
   * byte for byte what it was.
   */
  attackerEverywhere?: boolean;
}

/** What a correct scan must conclude, for tests. */
export interface DemoTruth {
  servers: { name: string; expectedVerdict: 'probed' | 'exploited' | 'post-exploitation' }[];
  attackerIps: string[];
  /** Where the web shell was written on EX01, as the OABGenerator log names it. */
  webShellPath: string;
  /** The same file as IIS shows it. */
  webShellUrl: string;
  /** ISO 8601 UTC of the first SSRF request of the attack. */
  ssrfTime: string;
  /** ISO 8601 UTC of the ResetOABVirtualDirectory request that wrote the web shell. */
  webShellWrittenTime: string;
  scannerIps: string[];
  /** What the attack left after the web shell: a dump, a group change, a forwarding rule, the mail after. */
  aftermath: AftermathTruth;
}

export interface DemoResult {
  /** Files written, relative to `outDir`, `/`-separated, sorted. */
  files: string[];
  bytes: number;
  truth: DemoTruth;
  /** Data rows (not header lines) written per kind of log. */
  rows: Record<LogKind, number>;
  /** Benign requests made (each is one HttpProxy row and one IIS line, or one IIS line alone). */
  requests: number;
  /** The most rows held in memory at once: one server's hour. */
  peakHourRows: number;
}

export const DEFAULT_SEED = 20210302;
const DEFAULT_TARGET_BYTES = 40_000_000;
const HOUR = 3_600_000;
/** The evidence covers 2021-02-20 to 2021-03-10, both days included (UTC). */
const FIRST_HOUR = utc(2, 20, 0, 0);
const END = utc(3, 11, 0, 0);
/** A first guess of bytes per benign request (HttpProxy row + IIS line); measured as we go. */
const FIRST_GUESS_BYTES = 1400;

async function ensureEmpty(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir);
  if (entries.length > 0) throw new Error(`refusing to write the demo into a folder that is not empty: ${dir}`);
}

/** Share of an hour the server was up. */
function uptime(server: Server, hour: number): number {
  const down = server.downtime;
  if (!down) return 1;
  const from = Math.max(hour, down[0]);
  const to = Math.min(hour + HOUR, down[1]);
  return to > from ? 1 - (to - from) / HOUR : 1;
}

/**
 * Writes a realistic evidence bundle of two Exchange 2016 servers: busy benign traffic, Exchange's
 * own probes, internet scanners, and on EX01 the ProxyLogon chain and its web shell. The same seed
 * gives the same bytes. Volume is steered hour by hour toward `targetBytes`; only one server-hour
 * of rows is in memory at a time, and files are written through streams.
 */
export async function generateDemo(options: DemoOptions): Promise<DemoResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const target = options.targetBytes ?? DEFAULT_TARGET_BYTES;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, not ${seed}`);
  if (!Number.isFinite(target) || target <= 0) throw new Error(`targetBytes must be a positive number, not ${target}`);
  await ensureEmpty(options.outDir);

  const rng = new Rng(seed);
  const world = buildWorld(rng);
  const attack = planAttack(rng, world);
  const scanners = planScanners(rng, world.servers);
  const hours: number[] = [];
  for (let h = FIRST_HOUR; h < END; h += HOUR) hours.push(h);
  const days = hours.filter((h) => h % 86_400_000 === 0);
  const fixtures = planFixtures(rng, world, days);
  const spread = options.attackerEverywhere ? planSpread(seed, world.servers, hours, [attack.attackerA, attack.attackerB]) : [];
  const queues = new Map<string, Scheduled[]>(world.servers.map((s) => [s.name, []]));
  for (const e of [...attack.events, ...scanners.events, ...fixtures, ...spread].sort((a, b) => a.time - b.time)) {
    queues.get(e.server)?.push(e);
  }

  const weight = (server: Server, h: number): number => uptime(server, h) * (MACHINE_LOAD + peopleLoad(h));
  let totalWeight = 0;
  for (const h of hours) for (const s of world.servers) totalWeight += weight(s, h);
  let doneWeight = 0;

  const writer = new BundleWriter(options.outDir);
  let requests = 0;
  let peakHourRows = 0;
  const next = new Map<string, number>(world.servers.map((s) => [s.name, 0]));
  try {
    for (const h of hours) {
      for (const server of world.servers) {
        const batch = new HourBatch(server);
        const ctx: Ctx = { rng, world, batch, to: h + HOUR, down: server.downtime };
        const queue = queues.get(server.name) ?? [];
        let i = next.get(server.name) ?? 0;
        for (let e = queue[i]; e && e.time < h + HOUR; e = queue[++i]) e.apply(ctx, server);
        next.set(server.name, i);

        // Steer toward the target: this hour's share, corrected by how far ahead or behind we are,
        // but never so far that an hour goes silent or floods.
        const w = weight(server, h);
        doneWeight += w;
        const share = (target * w) / totalWeight;
        const due = (target * doneWeight) / totalWeight - writer.written;
        const bytes = Math.min(Math.max(due, share * 0.25), share * 4);
        const perRequest = requests > 200 ? writer.written / requests : FIRST_GUESS_BYTES;
        const want = bytes / perRequest;
        const n = Math.floor(want) + (rng.next() < want % 1 ? 1 : 0);
        if (n > 0) requests += benignHour(ctx, server, h, n);
        peakHourRows = Math.max(peakHourRows, batch.rows.length);
        await writer.write(batch);
        await writer.endHour(server, h + HOUR);
      }
    }
    await writer.closeAll();
  } catch (err) {
    writer.abort();
    throw err;
  }
  const aftermath = await writeAftermath(options.outDir, world);

  const iso = (t: number): string => new Date(t).toISOString();
  return {
    files: [...writer.files, ...aftermath.files].sort(),
    bytes: writer.bytes + aftermath.bytes,
    truth: {
      servers: [
        // Commands ran through the web shell for days: beyond exploitation.
        { name: 'EX01', expectedVerdict: 'post-exploitation' },
        // Scanners and autodiscover-only SSRF probes, nothing further.
        { name: 'EX02', expectedVerdict: 'probed' },
      ],
      attackerIps: [attack.attackerA, attack.attackerB],
      webShellPath: attack.webShellPath,
      webShellUrl: attack.webShellUrl,
      ssrfTime: iso(attack.ssrfTime),
      webShellWrittenTime: iso(attack.webShellWrittenTime),
      scannerIps: scanners.ips,
      aftermath: aftermath.truth,
    },
    rows: { ...writer.rows },
    requests,
    peakHourRows,
  };
}
