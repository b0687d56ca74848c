import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExchangeQuerySuffix } from './exchange-query.js';

test("Exchange's suffix is parsed out and the client's own query kept apart", () => {
  assert.deepEqual(parseExchangeQuerySuffix('cmd=whoami&CorrelationID=<empty>;&cafeReqId=abc-123;'), {
    clientQuery: 'cmd=whoami',
    CorrelationID: '<empty>',
    cafeReqId: 'abc-123',
  });
  assert.deepEqual(parseExchangeQuerySuffix('&CorrelationID=<empty>;&cafeReqId=abc-123;'), { clientQuery: '', CorrelationID: '<empty>', cafeReqId: 'abc-123' });
  assert.deepEqual(parseExchangeQuerySuffix('a=1&b=2'), { clientQuery: 'a=1&b=2' });
  // A client that sends its own CorrelationID earlier: the last one is Exchange's.
  assert.deepEqual(parseExchangeQuerySuffix('x=1&CorrelationID=fake&CorrelationID=<empty>;&cafeReqId=r;'), {
    clientQuery: 'x=1&CorrelationID=fake',
    CorrelationID: '<empty>',
    cafeReqId: 'r',
  });
});
