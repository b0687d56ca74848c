import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Stage } from '../core/types.js';
import { webShellsByServer } from './web-shells.js';
import { aFinding } from './test-helpers/findings.js';

function hit(stage: Stage, fields: Record<string, string>, over: Partial<Finding> = {}): Finding {
  return aFinding({ stage, fields, ...over });
}

void test('one shell per page per server, with every source that shows it, used only when a log shows it answering', () => {
  const file = 'C:\\inetpub\\wwwroot\\aspnet_client\\Shell.aspx';
  const shells = webShellsByServer([
    hit('exploited', { path: file }, { time: undefined }),
    hit('exploited', { path: file }, { time: undefined }),
    hit('post-exploitation', { UrlStem: '/aspnet_client/shell.aspx' }, { time: '2021-03-03T03:00:00Z' }),
    hit('post-exploitation', { 'cs-uri-stem': '/ASPNET_CLIENT/Shell.aspx' }, { time: '2021-03-03T02:30:00Z' }),
    hit('exploited', { 'cs-uri-stem': '/owa/auth/written.aspx' }, { time: '2021-03-03T01:00:00Z' }),
    hit('post-exploitation', { 'cs-uri-stem': '/owa/auth/other.ashx' }, { server: 'EX02', time: undefined }),
  ]);
  assert.deepEqual([...shells.keys()], ['EX01', 'EX02']);
  assert.deepEqual(shells.get('EX01'), [
    { url: '/owa/auth/written.aspx', sources: ['iis'], used: false, firstSeen: '2021-03-03T01:00:00Z', files: [] },
    { url: '/aspnet_client/shell.aspx', sources: ['iis', 'httpproxy', 'file'], used: true, firstSeen: '2021-03-03T02:30:00Z', files: [file] },
  ]);
  assert.deepEqual(shells.get('EX02'), [{ url: '/owa/auth/other.ashx', sources: ['iis'], used: true, firstSeen: undefined, files: [] }]);
});

void test('no shell from an attempt, a scanner, a held-down request, a page that is no script, or a file outside the web folders', () => {
  const shells = webShellsByServer([
    hit('exploit-attempt', { 'cs-uri-stem': '/a.aspx' }),
    hit('post-exploitation', { 'cs-uri-stem': '/b.aspx' }, { benign: 'scanner' }),
    hit('post-exploitation', { 'cs-uri-stem': '/c.aspx' }, { cappedBy: 'went no further' }),
    hit('post-exploitation', { 'cs-uri-stem': '/d.js' }),
    hit('post-exploitation', { UrlStem: '/e.aspx.txt' }),
    hit('exploited', { path: 'C:\\Windows\\Temp\\f.aspx' }),
    hit('exploited', { path: 'C:\\inetpub\\wwwroot\\g.txt' }),
    hit('exploited', {}),
  ]);
  assert.deepEqual([...shells.entries()], []);
});

void test('shells on one server are ordered by when they were first seen, undated last, then by page', () => {
  const shells = webShellsByServer([
    hit('post-exploitation', { 'cs-uri-stem': '/z.aspx' }, { time: undefined }),
    hit('post-exploitation', { 'cs-uri-stem': '/y.aspx' }, { time: undefined }),
    hit('post-exploitation', { 'cs-uri-stem': '/x.aspx' }, { time: '2021-03-04T00:00:00Z' }),
    hit('post-exploitation', { 'cs-uri-stem': '/w.aspx' }, { time: '2021-03-03T00:00:00Z' }),
    hit('post-exploitation', { 'cs-uri-stem': '/w.aspx' }, { time: '2021-03-05T00:00:00Z' }),
  ]);
  assert.deepEqual(
    shells.get('EX01')?.map((s) => [s.url, s.firstSeen]),
    [
      ['/w.aspx', '2021-03-03T00:00:00Z'],
      ['/x.aspx', '2021-03-04T00:00:00Z'],
      ['/y.aspx', undefined],
      ['/z.aspx', undefined],
    ],
  );
});
