import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Stage } from '../core/types.js';
import { capRequests } from './request-caps.js';

function finding(ruleId: string, stage: Stage, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    title: ruleId,
    cves: [],
    stage,
    severity: 'high',
    time: '2021-03-03T02:00:00Z',
    server: 'EX02',
    clientIp: '192.0.2.1',
    user: undefined,
    origin: { path: 'x', line: 1, offset: 0 },
    fields: {},
    ...extra,
  };
}

test('an autodiscover-only SSRF holds the rest of its request at probe, in any log', () => {
  const out = capRequests([
    finding('autodiscover-only', 'probe', { requestId: 'r1', capsRequest: 'went no further' }),
    finding('hafnium-ua-httpproxy', 'exploit-attempt', { requestId: 'r1' }),
    finding('hafnium-ua-iis', 'exploit-attempt', { requestId: 'r1' }),
    finding('other-request', 'exploit-attempt', { requestId: 'r2' }),
    finding('no-request-id', 'exploit-attempt'),
  ]);
  assert.deepEqual(
    out.map((f) => [f.ruleId, f.stage, f.cappedBy]),
    [
      ['autodiscover-only', 'probe', undefined],
      ['hafnium-ua-httpproxy', 'probe', 'went no further'],
      ['hafnium-ua-iis', 'probe', 'went no further'],
      ['other-request', 'exploit-attempt', undefined],
      ['no-request-id', 'exploit-attempt', undefined],
    ],
  );
});

test('success on the same request is never held down, nor is another server’s request', () => {
  const out = capRequests([
    finding('autodiscover-only', 'probe', { requestId: 'r1', capsRequest: 'went no further' }),
    finding('status-241', 'exploited', { requestId: 'r1' }),
    finding('same-id-other-server', 'exploit-attempt', { requestId: 'r1', server: 'EX01' }),
  ]);
  assert.deepEqual(
    out.map((f) => f.stage),
    ['probe', 'exploited', 'exploit-attempt'],
  );
});

test('an id that different clients carry is no request: it caps nothing', () => {
  const out = capRequests([
    finding('autodiscover-only', 'probe', { requestId: 'shared-id', capsRequest: 'went no further', clientIp: '198.51.100.7' }),
    finding('hafnium-ua-httpproxy', 'exploit-attempt', { requestId: 'shared-id', clientIp: '203.0.113.45' }),
  ]);
  assert.deepEqual(
    out.map((f) => [f.stage, f.cappedBy]),
    [
      ['probe', undefined],
      ['exploit-attempt', undefined],
    ],
  );
});

test('a probe on the capped request stays as it was: only what claimed more is marked as held down', () => {
  const out = capRequests([
    finding('autodiscover-only', 'probe', { requestId: 'r1', capsRequest: 'went no further' }),
    finding('ssrf-cookie-probe', 'probe', { requestId: 'r1' }),
    finding('web-shell-answered', 'post-exploitation', { requestId: 'r1' }),
  ]);
  assert.deepEqual(
    out.map((f) => [f.stage, f.cappedBy]),
    [
      ['probe', undefined],
      ['probe', undefined],
      ['post-exploitation', undefined],
    ],
  );
});

test('a record that caps its request is not held to another cap on the same request', () => {
  const out = capRequests([
    finding('ssrf-reached-ecp', 'exploit-attempt', { requestId: 'r1', capsRequest: 'answered 401' }),
    finding('autodiscover-only', 'probe', { requestId: 'r1', capsRequest: 'went no further' }),
  ]);
  assert.deepEqual(
    out.map((f) => [f.stage, f.cappedBy]),
    [
      ['exploit-attempt', undefined],
      ['probe', undefined],
    ],
  );
});
