// Exchange appends `&CorrelationID=<value>;&cafeReqId=<value>;` to the IIS `cs-uri-query` of the
// requests its front end proxies; `cafeReqId` is the HttpProxy `RequestId` of the same request.
// Exchange writes the suffix after the client's query, so the last occurrence is Exchange's own.

export interface ExchangeQuerySuffix {
  CorrelationID?: string;
  cafeReqId?: string;
  /** The query as the client sent it: Exchange's suffix taken off. */
  clientQuery: string;
}

function lastValue(query: string, key: string): string | undefined {
  let at = query.lastIndexOf(`${key}=`);
  while (at > 0 && query[at - 1] !== '&' && query[at - 1] !== ';' && query[at - 1] !== '?') {
    at = query.lastIndexOf(`${key}=`, at - 1);
  }
  if (at < 0) return undefined;
  const start = at + key.length + 1;
  const end = query.indexOf(';', start);
  return query.slice(start, end < 0 ? query.length : end);
}

export function parseExchangeQuerySuffix(query: string): ExchangeQuerySuffix {
  const out: ExchangeQuerySuffix = { clientQuery: clientPart(query) };
  const correlation = lastValue(query, 'CorrelationID');
  const cafe = lastValue(query, 'cafeReqId');
  if (correlation !== undefined) out.CorrelationID = correlation;
  if (cafe !== undefined) out.cafeReqId = cafe;
  return out;
}

/** The query before Exchange's `&CorrelationID=` suffix (the client may send its own earlier in it). */
function clientPart(query: string): string {
  let at = query.lastIndexOf('CorrelationID=');
  while (at > 0 && query[at - 1] !== '&' && query[at - 1] !== '?') at = query.lastIndexOf('CorrelationID=', at - 1);
  if (at < 0) return query;
  return query.slice(0, at > 0 && query[at - 1] === '&' ? at - 1 : at);
}
