import { csvRow, exchangeUserAgent } from './csv.js';
import { EOL, HTTPPROXY_FIELDS, iisDateTime, iisValue, isoMs } from './formats.js';
import { type Server, buildAt, encodedVersion } from './world.js';

export type Protocol = 'Autodiscover' | 'Eas' | 'Ecp' | 'Ews' | 'Mapi' | 'Oab' | 'Owa' | 'OwaCalendar' | 'PowerShell' | 'RpcHttp';

/**
 * One HTTP request that reached the front end (CAFE). It is written twice: as a row of the
 * protocol's HttpProxy log (RequestId) and as a line of the IIS log (cafeReqId), as Exchange does.
 */
export interface ProxyRequest {
  server: Server;
  requestId: string;
  /** When the request ended, ms since the epoch (UTC). Both logs write this time. */
  end: number;
  duration: number;
  protocol: Protocol;
  method: string;
  urlHost: string;
  urlStem: string;
  /** The query without its '?', or ''. */
  query: string;
  protocolAction: string;
  authType: string;
  /** AuthenticatedUser, '' when the request was not authenticated. */
  user: string;
  organization: string;
  anchorMailbox: string;
  userAgent: string;
  clientIp: string;
  /** The server address the client reached (IIS s-ip). */
  serverIp: string;
  status: number;
  /** False when CAFE answered the request itself (redirect to logon, 401 challenge). */
  proxied: boolean;
  targetServer: string;
  routingType: string;
  routingHint: string;
  backEndCookie: string;
  clientRequestId: string;
  requestBytes: number;
  responseBytes: number;
  /** DatabaseGuid column, e.g. `|RoutingDB:<guid>`. */
  routingDb: string;
  /** Text IIS shows between CorrelationID and cafeReqId, e.g. OWA's `&ClientId=…`. */
  iisQueryExtra: string;
  /** Extra GenericInfo entries, each ending with ';'. */
  genericInfoExtra: string;
  genericErrors: string;
  referer: string;
  iisSubStatus: number;
  iisWin32Status: number;
}

const F: Record<string, number> = Object.fromEntries(HTTPPROXY_FIELDS.map((name, i) => [name, i]));
function col(name: (typeof HTTPPROXY_FIELDS)[number]): number {
  const i = F[name];
  if (i === undefined) throw new Error(`no HttpProxy column ${name}`);
  return i;
}
const C = {
  DateTime: col('DateTime'),
  RequestId: col('RequestId'),
  MajorVersion: col('MajorVersion'),
  MinorVersion: col('MinorVersion'),
  BuildVersion: col('BuildVersion'),
  RevisionVersion: col('RevisionVersion'),
  ClientRequestId: col('ClientRequestId'),
  Protocol: col('Protocol'),
  UrlHost: col('UrlHost'),
  UrlStem: col('UrlStem'),
  ProtocolAction: col('ProtocolAction'),
  AuthenticationType: col('AuthenticationType'),
  IsAuthenticated: col('IsAuthenticated'),
  AuthenticatedUser: col('AuthenticatedUser'),
  Organization: col('Organization'),
  AnchorMailbox: col('AnchorMailbox'),
  UserAgent: col('UserAgent'),
  ClientIpAddress: col('ClientIpAddress'),
  ServerHostName: col('ServerHostName'),
  HttpStatus: col('HttpStatus'),
  BackEndStatus: col('BackEndStatus'),
  Method: col('Method'),
  ProxyAction: col('ProxyAction'),
  TargetServer: col('TargetServer'),
  TargetServerVersion: col('TargetServerVersion'),
  RoutingType: col('RoutingType'),
  RoutingHint: col('RoutingHint'),
  BackEndCookie: col('BackEndCookie'),
  ServerLocatorLatency: col('ServerLocatorLatency'),
  RequestBytes: col('RequestBytes'),
  ResponseBytes: col('ResponseBytes'),
  HttpPipelineLatency: col('HttpPipelineLatency'),
  CalculateTargetBackEndLatency: col('CalculateTargetBackEndLatency'),
  TotalGlsLatency: col('TotalGlsLatency'),
  TotalAccountForestLatency: col('TotalAccountForestLatency'),
  TotalResourceForestLatency: col('TotalResourceForestLatency'),
  ADLatency: col('ADLatency'),
  TotalSharedCacheLatency: col('TotalSharedCacheLatency'),
  ActivityContextLifeTime: col('ActivityContextLifeTime'),
  ModuleToHandlerSwitchingLatency: col('ModuleToHandlerSwitchingLatency'),
  ClientReqStreamLatency: col('ClientReqStreamLatency'),
  BackendReqInitLatency: col('BackendReqInitLatency'),
  BackendReqStreamLatency: col('BackendReqStreamLatency'),
  BackendProcessingLatency: col('BackendProcessingLatency'),
  BackendRespInitLatency: col('BackendRespInitLatency'),
  BackendRespStreamLatency: col('BackendRespStreamLatency'),
  ClientRespStreamLatency: col('ClientRespStreamLatency'),
  KerberosAuthHeaderLatency: col('KerberosAuthHeaderLatency'),
  HandlerCompletionLatency: col('HandlerCompletionLatency'),
  RequestHandlerLatency: col('RequestHandlerLatency'),
  HandlerToModuleSwitchingLatency: col('HandlerToModuleSwitchingLatency'),
  ProxyTime: col('ProxyTime'),
  CoreLatency: col('CoreLatency'),
  RoutingLatency: col('RoutingLatency'),
  HttpProxyOverhead: col('HttpProxyOverhead'),
  TotalRequestTime: col('TotalRequestTime'),
  UrlQuery: col('UrlQuery'),
  GenericInfo: col('GenericInfo'),
  GenericErrors: col('GenericErrors'),
  DatabaseGuid: col('DatabaseGuid'),
  RoutingStatus: col('RoutingStatus'),
};

export function newRequest(server: Server, end: number, protocol: Protocol, requestId: string): ProxyRequest {
  return {
    server,
    requestId,
    end,
    duration: 10,
    protocol,
    method: 'GET',
    urlHost: '',
    urlStem: '/',
    query: '',
    protocolAction: '',
    authType: '',
    user: '',
    organization: '',
    anchorMailbox: '',
    userAgent: '',
    clientIp: '',
    serverIp: server.ip,
    status: 200,
    proxied: true,
    targetServer: server.fqdn,
    routingType: 'IntraForest',
    routingHint: '',
    backEndCookie: '',
    clientRequestId: '',
    requestBytes: 0,
    responseBytes: 0,
    routingDb: '',
    iisQueryExtra: '',
    genericInfoExtra: '',
    genericErrors: '',
    referer: '',
    iisSubStatus: 0,
    iisWin32Status: 0,
  };
}

export function renderHttpProxy(r: ProxyRequest): string {
  const v: string[] = new Array<string>(HTTPPROXY_FIELDS.length).fill('');
  const b = buildAt(r.server, r.end);
  const start = r.end - r.duration;
  const endIso = isoMs(r.end);
  const d = r.duration;
  v[C.DateTime] = endIso;
  v[C.RequestId] = r.requestId;
  v[C.MajorVersion] = '15';
  v[C.MinorVersion] = String(b.minor);
  v[C.BuildVersion] = String(b.build);
  v[C.RevisionVersion] = String(b.revision);
  v[C.ClientRequestId] = r.clientRequestId;
  v[C.Protocol] = r.protocol;
  v[C.UrlHost] = r.urlHost;
  v[C.UrlStem] = r.urlStem;
  v[C.ProtocolAction] = r.protocolAction;
  v[C.AuthenticationType] = r.authType;
  v[C.IsAuthenticated] = r.user === '' ? 'false' : 'true';
  v[C.AuthenticatedUser] = r.user;
  v[C.Organization] = r.organization;
  v[C.AnchorMailbox] = r.anchorMailbox;
  v[C.UserAgent] = exchangeUserAgent(r.userAgent);
  v[C.ClientIpAddress] = r.clientIp;
  v[C.ServerHostName] = r.server.name;
  v[C.HttpStatus] = String(r.status);
  v[C.Method] = r.method;
  v[C.UrlQuery] = r.query === '' ? '' : `?${r.query}`;
  v[C.RequestBytes] = String(r.requestBytes);
  v[C.GenericErrors] = r.genericErrors;
  if (!r.proxied) {
    v[C.ServerLocatorLatency] = '0';
    v[C.ActivityContextLifeTime] = '0';
    v[C.TotalRequestTime] = String(d);
    v[C.RoutingLatency] = '0';
    v[C.GenericInfo] = `BeginRequest=${isoMs(start)};CorrelationID=<empty>;SharedCacheGuard=0;${r.genericInfoExtra}EndRequest=${endIso};`;
    return csvRow(v) + EOL;
  }
  const overhead = d > 6 ? 1 + (d % 5) : 1;
  const backend = Math.max(0, d - overhead);
  const enc = encodedVersion(b);
  v[C.BackEndStatus] = String(r.status);
  v[C.ProxyAction] = 'Proxy';
  v[C.TargetServer] = r.targetServer;
  v[C.TargetServerVersion] = `15.${String(b.minor).padStart(2, '0')}.${b.build}.000`;
  v[C.RoutingType] = r.routingType;
  v[C.RoutingHint] = r.routingHint;
  v[C.BackEndCookie] = r.backEndCookie;
  v[C.ServerLocatorLatency] = '0';
  v[C.ResponseBytes] = String(r.responseBytes);
  v[C.HttpPipelineLatency] = '0';
  v[C.CalculateTargetBackEndLatency] = String(overhead > 2 ? 1 : 0);
  v[C.TotalGlsLatency] = '0';
  v[C.TotalAccountForestLatency] = '0';
  v[C.TotalResourceForestLatency] = '0';
  v[C.ADLatency] = '0';
  v[C.TotalSharedCacheLatency] = '0';
  v[C.ActivityContextLifeTime] = String(d);
  v[C.ModuleToHandlerSwitchingLatency] = '0';
  v[C.ClientReqStreamLatency] = String(r.method === 'POST' ? 1 : 0);
  v[C.BackendReqInitLatency] = '0';
  v[C.BackendReqStreamLatency] = '0';
  v[C.BackendProcessingLatency] = String(backend);
  v[C.BackendRespInitLatency] = '0';
  v[C.BackendRespStreamLatency] = '0';
  v[C.ClientRespStreamLatency] = '0';
  v[C.KerberosAuthHeaderLatency] = '0';
  v[C.HandlerCompletionLatency] = '0';
  v[C.RequestHandlerLatency] = String(d);
  v[C.HandlerToModuleSwitchingLatency] = '0';
  v[C.ProxyTime] = String(backend);
  v[C.CoreLatency] = String(overhead);
  v[C.RoutingLatency] = String(overhead > 1 ? 1 : 0);
  v[C.HttpProxyOverhead] = String(overhead);
  v[C.TotalRequestTime] = String(d);
  const responseReady = isoMs(r.end - (d > 2 ? 1 : 0));
  v[C.GenericInfo] =
    `BeginRequest=${isoMs(start)};CorrelationID=<empty>;ProxyState-Run=None;FEAuth=BEVersion-${enc};` +
    `${r.genericInfoExtra}BeginGetResponse=${isoMs(start + Math.min(d, overhead))};OnResponseReady=${responseReady};` +
    `EndGetResponse=${responseReady};ProxyState-Complete=ProxyResponseData;SharedCacheGuard=0;EndRequest=${endIso};`;
  v[C.DatabaseGuid] = r.routingDb;
  v[C.RoutingStatus] = 'CafeV1';
  return csvRow(v) + EOL;
}

/** The same request as IIS (W3SVC1, "Default Web Site") logs it, with CAFE's additions to the query. */
export function renderIis(r: ProxyRequest): string {
  const query = `${r.query === '' ? '' : r.query}&CorrelationID=<empty>;${r.iisQueryExtra}&cafeReqId=${r.requestId};`;
  return iisLine({
    time: r.end,
    serverIp: r.serverIp,
    method: r.method,
    stem: r.urlStem,
    query,
    port: 443,
    user: r.user,
    clientIp: r.clientIp,
    userAgent: r.userAgent,
    referer: r.referer,
    status: r.status,
    subStatus: r.iisSubStatus,
    win32Status: r.iisWin32Status,
    timeTaken: r.duration,
  });
}

export interface IisRequest {
  time: number;
  serverIp: string;
  method: string;
  stem: string;
  /** The query as IIS shows it (no '?'), or ''. */
  query: string;
  port: number;
  user: string;
  clientIp: string;
  userAgent: string;
  referer: string;
  status: number;
  subStatus: number;
  win32Status: number;
  timeTaken: number;
}

/** One IIS W3C line; IIS writes spaces as '+' and empty values as '-'. */
export function iisLine(q: IisRequest): string {
  return (
    `${iisDateTime(q.time)} ${q.serverIp} ${q.method} ${iisValue(q.stem)} ${iisValue(q.query)} ${q.port} ` +
    `${iisValue(q.user)} ${q.clientIp} ${iisValue(q.userAgent)} ${iisValue(q.referer)} ${q.status} ` +
    `${q.subStatus} ${q.win32Status} ${q.timeTaken}${EOL}`
  );
}
