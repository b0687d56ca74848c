import { csvRow, exchangeUserAgent } from './csv.js';
import { EOL, OAB_FIELDS, RPS_CMDLET_FIELDS, RPS_HTTP_FIELDS, isoMs } from './formats.js';
import { AD_DOMAIN, type Server, buildAt, versionDotted } from './world.js';

// Rows of the logs the back end writes beside HttpProxy: ECP Server, Rps_Http, Rps_Cmdlet, OABGenerator.

const DC = `DC01.${AD_DOMAIN}`;

export interface EcpEvent {
  time: number;
  /** The S:CMD value as ECP writes it: `Verb-Noun.Param=''value''.Param=''value''`. */
  cmd: string;
  url: string;
  durationMs: number;
  sessionId: string;
  activityId: string;
  userSessionId: string;
}

export function renderEcpServer(server: Server, e: EcpEvent): string {
  const data =
    `S:TIME=${e.durationMs};S:SID=${e.sessionId};S:CMD=${e.cmd};S:REQID=;S:URL=${e.url};S:REFERRER=;S:EX=;` +
    `S:ACTID=${e.activityId};S:RS=0;S:BLD=${versionDotted(buildAt(server, e.time))};S:TNAME=<null>;S:TID=;` +
    `S:USID=${e.userSessionId};S:EDOID=;S:ACID=`;
  return csvRow([isoMs(e.time), server.name, 'ECP.Request', data]) + EOL;
}

export interface RpsHttpEvent {
  time: number;
  durationMs: number;
  requestId: string;
  user: string;
  clientIp: string;
  clientInfo: string;
  urlQuery: string;
  requestBytes: number;
  command: { name: string; id: string; sessionId: string; shellId: string } | undefined;
}

const RH: Record<string, number> = Object.fromEntries(RPS_HTTP_FIELDS.map((n, i) => [n, i]));

function set(v: string[], index: Record<string, number>, name: string, value: string): void {
  const i = index[name];
  if (i === undefined) throw new Error(`no column ${name}`);
  v[i] = value;
}

export function renderRpsHttp(server: Server, e: RpsHttpEvent): string {
  const b = buildAt(server, e.time);
  const v = new Array<string>(RPS_HTTP_FIELDS.length).fill('');
  const s = (n: string, value: string): void => set(v, RH, n, value);
  s('DateTime', isoMs(e.time));
  s('StartTime', isoMs(e.time - e.durationMs));
  s('RequestId', e.requestId);
  s('MajorVersion', '15');
  s('MinorVersion', String(b.minor));
  s('BuildVersion', String(b.build));
  s('RevisionVersion', String(b.revision));
  s('UrlHost', server.fqdn.toLowerCase());
  s('UrlStem', '/powershell');
  s('AuthenticationType', 'Kerberos');
  s('IsAuthenticated', 'true');
  s('AuthenticatedUser', e.user);
  s('ClientIpAddress', e.clientIp);
  s('ServerHostName', server.name);
  s('FrontEndServer', server.fqdn.toUpperCase());
  s('HttpStatus', '200');
  s('SubStatus', '0');
  if (e.command) {
    s('Action', 'Command');
    s('CommandId', e.command.id);
    s('CommandName', e.command.name);
    s('SessionId', e.command.sessionId);
    s('ShellId', e.command.shellId);
  }
  s('RequestBytes', String(e.requestBytes));
  s('ClientInfo', exchangeUserAgent(e.clientInfo));
  s('ActivityContextLifeTime', String(e.durationMs));
  s('TotalTime', String(e.durationMs));
  s('UrlQuery', `?${e.urlQuery}`);
  s('GenericLatency', 'RequestMonitor.Register=0;WinRMDataSender.Send=0;RpsHttpDatabaseValidationModule=0;ThrottlingHttpModule=0;');
  s(
    'GenericInfo',
    'WinRMDataSender.AuthenticationType=Sent;WinRMDataSender.NamedPipe=Sent;' +
      'OnEndRequest.End.ContentType=application/soap+xml charset UTF-8;S:ServiceCommonMetadata.HttpMethod=POST',
  );
  return csvRow(v) + EOL;
}

export interface CmdletEvent {
  time: number;
  durationMs: number;
  requestId: string;
  user: string;
  userSid: string;
  isAdmin: boolean;
  clientApplication: string;
  cmdlet: string;
  /** As PowerShell shows them: `-Identity "jsmith" -ResultSize "1"`. */
  parameters: string;
  threadId: number;
  outputCount: number;
}

const RC: Record<string, number> = Object.fromEntries(RPS_CMDLET_FIELDS.map((n, i) => [n, i]));

export function renderRpsCmdlet(server: Server, e: CmdletEvent, uniqueId: string): string {
  const b = buildAt(server, e.time);
  const v = new Array<string>(RPS_CMDLET_FIELDS.length).fill('');
  const s = (n: string, value: string): void => set(v, RC, n, value);
  const start = e.time - e.durationMs;
  s('DateTime', isoMs(e.time));
  s('StartTime', isoMs(start));
  s('RequestId', e.requestId);
  s('MajorVersion', '15');
  s('MinorVersion', String(b.minor));
  s('BuildVersion', String(b.build));
  s('RevisionVersion', String(b.revision));
  s('ServerHostName', server.name);
  s('ProcessId', String(server.processId));
  s('ProcessName', 'w3wp#MSExchangePowerShellAppPool');
  s('ThreadId', String(e.threadId));
  s('AuthenticatedUser', e.user);
  s('ExecutingUserSid', e.userSid);
  s('IsAdmin', e.isAdmin ? 'True' : 'False');
  s('ClientApplication', e.clientApplication);
  s('Cmdlet', e.cmdlet);
  s('Parameters', e.parameters);
  s('CmdletUniqueId', uniqueId);
  s('RunspaceSettingsCreationHint', 'GCRandomly');
  s('ADViewEntireForest', 'False');
  s('ADRecipientViewRoot', AD_DOMAIN);
  s('ADConfigurationDomainControllers', DC);
  s('ADPreferredGlobalCatalogs', DC);
  s('ADPreferredDomainControllers', DC);
  s('OutputObjectCount', String(e.outputCount));
  s('ParameterBinding', '0');
  s('BeginProcessing', String(Math.max(1, e.durationMs >> 2)));
  s('ProcessRecord', String(Math.max(1, e.durationMs >> 1)));
  s('EndProcessing', '0');
  s('BizLogic', String(Math.max(1, (e.durationMs * 3) >> 2)));
  s('ProvisioningLayerLatency', '6');
  s('TotalTime', String(e.durationMs));
  s('ExecutionResult', 'Success');
  s(
    'GenericLatency',
    'WinRMDataReceiver.LoadItemsFromNamedPipe=0;WinRMDataReceiver.Ctor=0;ExchangeRunspaceConfiguration=37;' +
      `PowerShellThrottlingPolicyUpdater=0;InitialSessionStateBuilder=19;TaskModuleLatency=4;BizLogic.C=${e.durationMs};`,
  );
  s('GenericInfo', `PSSenderInfo=${e.user.toLowerCase()};ADServerSettingsInEnd=ADViewEntireForest:False ADRecipientViewRoot:${AD_DOMAIN};`);
  s('NonPiiParameters', e.parameters);
  return csvRow(v) + EOL;
}

export interface OabEvent {
  time: number;
  level: 'Information' | 'Warning' | 'Error';
  threadId: number;
  message: string;
}

export const OAB_NAME = '\\Default Offline Address Book';

export function renderOab(server: Server, processId: number, e: OabEvent): string {
  const row: string[] = new Array<string>(OAB_FIELDS.length).fill('');
  row[0] = isoMs(e.time);
  row[1] = server.name;
  row[2] = String(processId);
  row[3] = String(e.threadId);
  row[4] = e.level;
  row[5] = OAB_NAME;
  row[6] = e.message;
  return csvRow(row) + EOL;
}
