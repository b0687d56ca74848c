import { renderEcpServer, renderOab, renderRpsCmdlet, renderRpsHttp } from './backend-rows.js';
import type { CmdletEvent, EcpEvent, OabEvent, RpsHttpEvent } from './backend-rows.js';
import { type IisRequest, type Protocol, type ProxyRequest, iisLine, renderHttpProxy, renderIis } from './request.js';
import type { Server } from './world.js';

export const LOG_KINDS = ['httpproxy', 'iis', 'iis-backend', 'ecp-server', 'oabgenerator', 'rps-http', 'rps-cmdlet'] as const;
export type LogKind = (typeof LOG_KINDS)[number];

export interface Row {
  kind: LogKind;
  protocol: Protocol | undefined;
  time: number;
  /** The rendered line(s), with line ends; '' for an IIS restart marker. */
  text: string;
  /** IIS only: the site restarted here, so IIS writes its header block again. */
  restart?: boolean;
}

/**
 * The rows of one server for one hour, in the order they are made. The generator holds one batch
 * at a time: this is the most it ever keeps in memory.
 */
export class HourBatch {
  readonly rows: Row[] = [];
  constructor(readonly server: Server) {}

  proxy(r: ProxyRequest): void {
    this.rows.push({ kind: 'httpproxy', protocol: r.protocol, time: r.end, text: renderHttpProxy(r) });
    this.rows.push({ kind: 'iis', protocol: undefined, time: r.end, text: renderIis(r) });
  }

  /** A request IIS served without CAFE (the site root, files under aspnet_client). */
  iis(q: IisRequest): void {
    this.rows.push({ kind: 'iis', protocol: undefined, time: q.time, text: iisLine(q) });
  }

  iisBackend(q: IisRequest): void {
    this.rows.push({ kind: 'iis-backend', protocol: undefined, time: q.time, text: iisLine(q) });
  }

  /** The web site restarted (an update, a reboot): IIS starts a new header block in the same file. */
  iisRestart(kind: 'iis' | 'iis-backend', time: number): void {
    this.rows.push({ kind, protocol: undefined, time, text: '', restart: true });
  }

  ecp(e: EcpEvent): void {
    this.rows.push({ kind: 'ecp-server', protocol: undefined, time: e.time, text: renderEcpServer(this.server, e) });
  }

  rpsHttp(e: RpsHttpEvent): void {
    this.rows.push({ kind: 'rps-http', protocol: undefined, time: e.time, text: renderRpsHttp(this.server, e) });
  }

  rpsCmdlet(e: CmdletEvent, uniqueId: string): void {
    this.rows.push({
      kind: 'rps-cmdlet',
      protocol: undefined,
      time: e.time,
      text: renderRpsCmdlet(this.server, e, uniqueId),
    });
  }

  oab(e: OabEvent): void {
    this.rows.push({
      kind: 'oabgenerator',
      protocol: undefined,
      time: e.time,
      text: renderOab(this.server, 6524, e),
    });
  }

  /** Rows in time order; rows of the same millisecond keep the order they were made in. */
  sorted(): Row[] {
    return this.rows.sort((a, b) => a.time - b.time);
  }
}
