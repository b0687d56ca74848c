import { ECP_FIELDS, HTTPPROXY_FIELDS, OAB_FIELDS, RPS_CMDLET_FIELDS, RPS_HTTP_FIELDS } from './formats.js';
import { dayStamp, exchangeHeader, hourStamp, iisDayStamp, iisHeader } from './formats.js';
import { type HourBatch, LOG_KINDS, type LogKind, type Row } from './batch.js';
import { LogSink } from './sink.js';
import { type Server, buildAt, versionLine } from './world.js';

interface OpenFile {
  sink: LogSink;
  server: string;
  daily: boolean;
  /** The start of the hour or day the file is named for. */
  start: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Where each kind of log lives in a server's collection, and how it is cut (by hour or by day). */
function location(server: Server, row: Row): { path: string; daily: boolean } {
  const s = server.name;
  const t = row.time;
  switch (row.kind) {
    case 'httpproxy':
      return { path: `${s}/Exchange/Logging/HttpProxy/${row.protocol ?? 'Unknown'}/HttpProxy_${hourStamp(t)}-1.LOG`, daily: false };
    case 'ecp-server':
      return { path: `${s}/Exchange/Logging/ECP/Server/ECPServer${dayStamp(t)}-1.LOG`, daily: true };
    case 'oabgenerator':
      return { path: `${s}/Exchange/Logging/OABGeneratorLog/OABGenerator${dayStamp(t)}-1.LOG`, daily: true };
    case 'rps-http':
      return { path: `${s}/Exchange/Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_${hourStamp(t)}-1.LOG`, daily: false };
    case 'rps-cmdlet':
      return { path: `${s}/Exchange/Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_${hourStamp(t)}-1.LOG`, daily: false };
    case 'iis':
      return { path: `${s}/inetpub/logs/LogFiles/W3SVC1/u_ex${iisDayStamp(t)}.log`, daily: true };
    case 'iis-backend':
      return { path: `${s}/inetpub/logs/LogFiles/W3SVC2/u_ex${iisDayStamp(t)}.log`, daily: true };
  }
}

function header(server: Server, kind: LogKind, t: number): string {
  const version = versionLine(buildAt(server, t));
  switch (kind) {
    case 'httpproxy':
      return exchangeHeader(version, 'HttpProxy Logs', t, HTTPPROXY_FIELDS);
    // ECP logs name 15.0.0.0 whatever the build (Qazeer samples from a 15.1.2375 server).
    case 'ecp-server':
      return exchangeHeader('15.0.0.0', 'ECP Server Log', t, ECP_FIELDS);
    case 'oabgenerator':
      return exchangeHeader(version, 'OABGenerator Log', t, OAB_FIELDS);
    case 'rps-http':
      return exchangeHeader(version, 'Rps Http Logs', t, RPS_HTTP_FIELDS);
    case 'rps-cmdlet':
      return exchangeHeader(version, 'Rps Cmdlet Logs', t, RPS_CMDLET_FIELDS);
    case 'iis':
    case 'iis-backend':
      return iisHeader(t);
  }
}

/** Opens files as their first row arrives, and closes them when their hour or day is over. */
export class BundleWriter {
  private readonly open = new Map<string, OpenFile>();
  private readonly dirs = new Set<string>();
  readonly files: string[] = [];
  readonly rows = Object.fromEntries(LOG_KINDS.map((k) => [k, 0])) as Record<LogKind, number>;
  /** Characters handed to the files so far (all text is ASCII, so also bytes). */
  written = 0;
  private bytesClosed = 0;

  constructor(private readonly root: string) {}

  async write(batch: HourBatch): Promise<void> {
    const server = batch.server;
    const cache = new Map<string, LogSink>();
    for (const row of batch.sorted()) {
      const key = `${row.kind}|${row.protocol ?? ''}`;
      let sink = cache.get(key);
      let fresh = false;
      if (!sink) {
        const where = location(server, row);
        const file = this.open.get(where.path);
        if (file) {
          sink = file.sink;
        } else {
          sink = new LogSink(this.root, where.path, this.dirs);
          const period = where.daily ? DAY_MS : HOUR_MS;
          this.open.set(where.path, { sink, server: server.name, daily: where.daily, start: Math.floor(row.time / period) * period });
          this.files.push(where.path);
          fresh = true;
        }
        cache.set(key, sink);
      }
      let text = row.text;
      if (fresh || row.restart) text = header(server, row.kind, row.time) + text;
      if (!row.restart) this.rows[row.kind]++;
      this.written += text.length;
      if (sink.push(text)) await sink.flush();
    }
  }

  /**
   * Closes the server's hourly files, and its daily ones too when the next hour starts a new day.
   * A file of the next hour or day stays open: a request that ended just past the hour opened it
   * early, and closed now it would be opened again by the next hour's rows, which a demo refuses
   * (it never overwrites a file), as it did at sizes over about 1 GiB.
   */
  async endHour(server: Server, nextHour: number): Promise<void> {
    const newDay = nextHour % DAY_MS === 0;
    const done: string[] = [];
    for (const [path, file] of this.open) {
      if (file.server === server.name && file.start < nextHour && (newDay || !file.daily)) done.push(path);
    }
    await this.close(done);
  }

  async closeAll(): Promise<void> {
    await this.close([...this.open.keys()]);
  }

  /** Closes files together: their last writes and closes overlap instead of queueing. */
  private async close(paths: string[]): Promise<void> {
    const files = paths.map((p) => this.open.get(p)).filter((f): f is OpenFile => f !== undefined);
    for (const p of paths) this.open.delete(p);
    await Promise.all(files.map((f) => f.sink.close()));
    for (const f of files) this.bytesClosed += f.sink.written;
  }

  /** After a failure: releases every open file without waiting for it. */
  abort(): void {
    for (const file of this.open.values()) file.sink.destroy();
    this.open.clear();
  }

  /** Bytes in the closed files. */
  get bytes(): number {
    return this.bytesClosed;
  }
}
