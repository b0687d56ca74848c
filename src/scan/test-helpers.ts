// Small, hand-written evidence in the real formats, for scan tests.

export const HTTPPROXY_FIELDS = 'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus'.split(',');

export function httpProxyLog(server: string, rows: Record<string, string>[]): string {
  const head = [
    '#Software: Microsoft Exchange Server',
    '#Version: 15.01.2176.002',
    '#Log-type: HttpProxy Logs',
    '#Date: 2021-03-03T02:00:00.000Z',
    `#Fields: ${HTTPPROXY_FIELDS.join(',')}`,
  ];
  const lines = rows.map((row) =>
    HTTPPROXY_FIELDS.map((f) => {
      const v = f === 'ServerHostName' ? (row[f] ?? server) : (row[f] ?? '');
      return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    }).join(','),
  );
  return `${[...head, ...lines].join('\r\n')}\r\n`;
}

export const IIS_FIELDS = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

export function iisLog(lines: string[]): string {
  return `#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n#Fields: ${IIS_FIELDS}\r\n${lines.join('\r\n')}\r\n`;
}
