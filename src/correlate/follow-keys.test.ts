import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/types.js';
import { followKeys } from './sessions.js';
import { aFinding } from './test-helpers/findings.js';

function hit(time: string | undefined, over: Partial<Finding> = {}): Finding {
  return aFinding({ time, ...over });
}

void test('nothing that attacked leaves nothing to follow: scanners, capped requests, listed addresses and probes', () => {
  assert.equal(
    followKeys([
      hit('2021-03-03T02:00:00Z', { benign: 'scanner' }),
      hit('2021-03-03T02:00:00Z', { cappedBy: 'went no further' }),
      hit('2021-03-03T02:00:00Z', { indicatorOnly: true }),
      hit('2021-03-03T02:00:00Z', { stage: 'probe' }),
    ]),
    undefined,
  );
});

void test('the attackers are followed by address, by shell page, and on each server from ten minutes before to an hour after, overlaps merged', () => {
  const keys = followKeys([
    hit('2021-03-03T06:00:00Z'),
    hit('2021-03-03T02:00:00Z', { clientIp: '198.51.100.4' }),
    hit('2021-03-03T02:30:00Z', { stage: 'post-exploitation', url: '/aspnet_client/Shell.ASPX' }),
    hit('2021-03-03T03:40:00Z', { stage: 'post-exploitation', url: '/ecp/default.flt' }),
    hit('2021-03-03T04:40:00Z', { server: 'EX02', clientIp: undefined, url: '/owa/auth/x.aspx' }),
    hit(undefined, { server: 'EX03', clientIp: '198.51.100.4' }),
  ]);
  assert.deepEqual(keys, {
    ips: ['198.51.100.4', '203.0.113.9'],
    // Only a page used after getting in is a shell; an attempt's page is spelled for the byte search alone.
    urls: ['/aspnet_client/shell.aspx'],
    windows: {
      // 02:30's window ends at 03:30 where 03:40's begins: touching windows are one.
      EX01: [
        { from: '2021-03-03T01:50:00.000Z', to: '2021-03-03T04:40:00.000Z' },
        { from: '2021-03-03T05:50:00.000Z', to: '2021-03-03T07:00:00.000Z' },
      ],
      EX02: [{ from: '2021-03-03T04:30:00.000Z', to: '2021-03-03T05:40:00.000Z' }],
    },
    urlSpellings: ['/aspnet_client/Shell.ASPX', '/owa/auth/x.aspx'],
  });
});

void test('a shell is a script page (.aspx, .ashx, .asmx, .asp) used after getting in, not a page that only begins like one', () => {
  const urls = ['/a.aspx', '/b.ashx', '/c.asmx', '/d.asp', '/e.aspx.txt', '/f.js', '/g.aspx/h'];
  const keys = followKeys(urls.map((url) => hit('2021-03-03T02:00:00Z', { stage: 'post-exploitation', url })));
  assert.deepEqual(keys?.urls, ['/a.aspx', '/b.ashx', '/c.asmx', '/d.asp']);
  assert.deepEqual(keys?.urlSpellings, ['/a.aspx', '/b.ashx', '/c.asmx', '/d.asp']);
});
