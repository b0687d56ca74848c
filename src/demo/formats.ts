// Headers and column sets of the logs the demo writes. Column sets are those of real logs:
// HttpProxy, ECP Server and Rps_Cmdlet from the Qazeer samples (corpus/qazeer-artefacts-help),
// Rps_Http as CrowdStrike's OWASSRF script and a published Exchange 2016 log name them, IIS the
// default W3C set. OABGenerator has no public header sample; its layout here is our own (see OAB_FIELDS).

export const HTTPPROXY_FIELDS = [
  'DateTime',
  'RequestId',
  'MajorVersion',
  'MinorVersion',
  'BuildVersion',
  'RevisionVersion',
  'ClientRequestId',
  'Protocol',
  'UrlHost',
  'UrlStem',
  'ProtocolAction',
  'AuthenticationType',
  'IsAuthenticated',
  'AuthenticatedUser',
  'Organization',
  'AnchorMailbox',
  'UserAgent',
  'ClientIpAddress',
  'ServerHostName',
  'HttpStatus',
  'BackEndStatus',
  'ErrorCode',
  'Method',
  'ProxyAction',
  'TargetServer',
  'TargetServerVersion',
  'RoutingType',
  'RoutingHint',
  'BackEndCookie',
  'ServerLocatorHost',
  'ServerLocatorLatency',
  'RequestBytes',
  'ResponseBytes',
  'TargetOutstandingRequests',
  'AuthModulePerfContext',
  'HttpPipelineLatency',
  'CalculateTargetBackEndLatency',
  'GlsLatencyBreakup',
  'TotalGlsLatency',
  'AccountForestLatencyBreakup',
  'TotalAccountForestLatency',
  'ResourceForestLatencyBreakup',
  'TotalResourceForestLatency',
  'ADLatency',
  'SharedCacheLatencyBreakup',
  'TotalSharedCacheLatency',
  'ActivityContextLifeTime',
  'ModuleToHandlerSwitchingLatency',
  'ClientReqStreamLatency',
  'BackendReqInitLatency',
  'BackendReqStreamLatency',
  'BackendProcessingLatency',
  'BackendRespInitLatency',
  'BackendRespStreamLatency',
  'ClientRespStreamLatency',
  'KerberosAuthHeaderLatency',
  'HandlerCompletionLatency',
  'RequestHandlerLatency',
  'HandlerToModuleSwitchingLatency',
  'ProxyTime',
  'CoreLatency',
  'RoutingLatency',
  'HttpProxyOverhead',
  'TotalRequestTime',
  'RouteRefresherLatency',
  'UrlQuery',
  'BackEndGenericInfo',
  'GenericInfo',
  'GenericErrors',
  'EdgeTraceId',
  'DatabaseGuid',
  'UserADObjectGuid',
  'PartitionEndpointLookupLatency',
  'RoutingStatus',
] as const;

export const ECP_FIELDS = ['TimeStamp', 'ServerName', 'EventId', 'EventData'] as const;

export const RPS_HTTP_FIELDS = [
  'DateTime',
  'StartTime',
  'RequestId',
  'MajorVersion',
  'MinorVersion',
  'BuildVersion',
  'RevisionVersion',
  'ClientRequestId',
  'UrlHost',
  'UrlStem',
  'AuthenticationType',
  'IsAuthenticated',
  'AuthenticatedUser',
  'Organization',
  'ManagedOrganization',
  'ClientIpAddress',
  'ServerHostName',
  'FrontEndServer',
  'HttpStatus',
  'SubStatus',
  'ErrorCode',
  'Action',
  'CommandId',
  'CommandName',
  'SessionId',
  'ShellId',
  'FailFast',
  'ContributeToFailFast',
  'RequestBytes',
  'ClientInfo',
  'CPU',
  'Memory',
  'ActivityContextLifeTime',
  'TotalTime',
  'UrlQuery',
  'GenericLatency',
  'GenericInfo',
  'GenericErrors',
] as const;

export const RPS_CMDLET_FIELDS = [
  'DateTime',
  'StartTime',
  'RequestId',
  'ClientRequestId',
  'MajorVersion',
  'MinorVersion',
  'BuildVersion',
  'RevisionVersion',
  'ServerHostName',
  'ProcessId',
  'ProcessName',
  'ThreadId',
  'CultureInfo',
  'Organization',
  'AuthenticatedUser',
  'ExecutingUserSid',
  'EffectiveOrganization',
  'UserServicePlan',
  'IsAdmin',
  'ClientApplication',
  'Cmdlet',
  'Parameters',
  'CmdletUniqueId',
  'UserBudgetOnStart',
  'ContributeToFailFast',
  'RunspaceSettingsCreationHint',
  'ADViewEntireForest',
  'ADRecipientViewRoot',
  'ADConfigurationDomainControllers',
  'ADPreferredGlobalCatalogs',
  'ADPreferredDomainControllers',
  'ADUserConfigurationDomainController',
  'ADUserPreferredGlobalCatalog',
  'ADuserPreferredDomainControllers',
  'ThrottlingInfo',
  'DelayInfo',
  'ThrottlingDelay',
  'IsOutputObjectRedacted',
  'CmdletProxyStage',
  'CmdletProxyRemoteServer',
  'CmdletProxyRemoteServerVersion',
  'CmdletProxyMethod',
  'ProxiedObjectCount',
  'CmdletProxyLatency',
  'OutputObjectCount',
  'ParameterBinding',
  'BeginProcessing',
  'ProcessRecord',
  'EndProcessing',
  'StopProcessing',
  'BizLogic',
  'PowerShellLatency',
  'UserInteractionLatency',
  'ProvisioningLayerLatency',
  'ActivityContextLifeTime',
  'TotalTime',
  'ErrorType',
  'ExecutionResult',
  'CacheHitCount',
  'CacheMissCount',
  'GenericLatency',
  'GenericInfo',
  'GenericErrors',
  'ObjectGuid',
  'ExternalDirectoryOrganizationId',
  'ExternalDirectoryObjectId',
  'NonPiiParameters',
] as const;

/**
 * No public sample shows the OABGenerator log's header, only its message text ("Download failed
 * and temporary file '<path>' needs to be removed"). This layout follows the other Exchange CSV
 * logs; readers must take the columns from `#Fields`, never from this list.
 */
export const OAB_FIELDS = ['DateTime', 'ServerHostName', 'ProcessId', 'ThreadId', 'Level', 'OABName', 'Message'] as const;

const IIS_FIELDS = [
  'date',
  'time',
  's-ip',
  'cs-method',
  'cs-uri-stem',
  'cs-uri-query',
  's-port',
  'cs-username',
  'c-ip',
  'cs(User-Agent)',
  'cs(Referer)',
  'sc-status',
  'sc-substatus',
  'sc-win32-status',
  'time-taken',
] as const;

export const EOL = '\r\n';

/** The five header lines every Exchange CSV log starts with. */
export function exchangeHeader(version: string, logType: string, firstTime: number, fields: readonly string[]): string {
  return (
    `#Software: Microsoft Exchange Server${EOL}#Version: ${version}${EOL}#Log-type: ${logType}${EOL}` +
    `#Date: ${isoMs(firstTime)}${EOL}#Fields: ${fields.join(',')}${EOL}`
  );
}

/** IIS writes this block when it opens a log file, and again each time the site restarts. */
export function iisHeader(firstTime: number): string {
  return (
    `#Software: Microsoft Internet Information Services 10.0${EOL}#Version: 1.0${EOL}` +
    `#Date: ${iisDateTime(firstTime)}${EOL}#Fields: ${IIS_FIELDS.join(' ')}${EOL}`
  );
}

let cachedHour = Number.NaN;
let cachedPrefix = '';

/**
 * `yyyy-MM-ddTHH:mm:ss.fffZ`, as Date.toISOString writes it. Nearly every time written falls in
 * the hour being generated, so the date and hour are formatted once per hour, not once per row.
 */
export function isoMs(t: number): string {
  const hour = Math.floor(t / 3_600_000);
  if (hour !== cachedHour) {
    cachedHour = hour;
    cachedPrefix = new Date(hour * 3_600_000).toISOString().slice(0, 14);
  }
  const r = t - hour * 3_600_000;
  const m = Math.floor(r / 60_000);
  const sec = Math.floor((r % 60_000) / 1000);
  const ms = r % 1000;
  return `${cachedPrefix}${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

/** `yyyy-MM-dd HH:mm:ss`, the IIS date and time columns joined. */
export function iisDateTime(t: number): string {
  const s = isoMs(t);
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

/** `yyyyMMddHH` of the hour, as in HttpProxy and Rps file names. */
export function hourStamp(t: number): string {
  const s = new Date(t).toISOString();
  return s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13);
}

/** `yyyyMMdd`, as in ECP Server and OABGenerator file names. */
export function dayStamp(t: number): string {
  return hourStamp(t).slice(0, 8);
}

/** `yyMMdd`, as in IIS file names. */
export function iisDayStamp(t: number): string {
  return hourStamp(t).slice(2, 8);
}

/** IIS writes spaces in the User-Agent as '+'; an empty value as '-'. */
export function iisValue(value: string): string {
  if (value === '') return '-';
  return value.replace(/ /g, '+');
}
