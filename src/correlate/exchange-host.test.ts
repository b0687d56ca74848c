import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceKind } from '../core/types.js';
import { exchangeShown, showsExchange } from './exchange-host.js';
import { aFinding, aLogFile } from './test-helpers/findings.js';

/** What a scan saw on a machine: a record at this path, with these fields. */
const seen = (path: string, fields: Record<string, string> = {}, server = 'DC01') => aFinding({ server, origin: { path, line: 1, offset: 0 }, fields });

void test("a log only Exchange writes shows Exchange on its own machine, not on another's", () => {
  const kinds: SourceKind[] = ['httpproxy', 'ecp-server', 'ecp-activity', 'oabgenerator', 'rps-http', 'rps-cmdlet', 'msgtrk', 'ews'];
  for (const kind of kinds) {
    assert.equal(showsExchange('EX01', [aLogFile('EX01', { kind })], []), true, kind);
    assert.equal(showsExchange('DC01', [aLogFile('EX01', { kind })], []), false, kind);
  }
  // Any web server writes IIS logs, and an event log export is on every Windows machine.
  assert.equal(showsExchange('WEB01', [aLogFile('WEB01', { kind: 'iis' }), aLogFile('WEB01', { kind: 'winevent' })], []), false);
});

void test("Exchange's processes, services and folders in a record's path or fields show it", () => {
  const traces = [
    'MSExchangeFrontEndTransport',
    'C:\\Windows\\System32\\inetsrv\\w3wp.exe -ap "MSExchangeOWAAppPool"',
    'UMWorkerProcess.exe',
    'umservice.exe',
    'EdgeTransport.exe',
    'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin',
    '/mnt/c/Program Files/Microsoft/Exchange Server/V15',
    'V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx',
    'FrontEnd/HttpProxy/ecp',
    'V15\\ClientAccess\\Owa\\auth',
    'ClientAccess/ecp/DDI',
  ];
  for (const t of traces) {
    assert.equal(showsExchange('DC01', [], [seen('Security.evtx', { CommandLine: t })]), true, t);
    assert.equal(showsExchange('DC01', [], [seen(`x/${t}/y.log`)]), true, `path ${t}`);
    assert.equal(showsExchange('DC02', [], [seen('Security.evtx', { CommandLine: t })]), false, `${t} on another machine`);
  }
  for (const t of ['C:\\Program Files\\Exchange\\x', 'ExchangeServer', 'FrontEnd\\Proxy', 'ClientAccess\\ews', 'lsass.exe']) {
    assert.equal(showsExchange('DC01', [], [seen('Security.evtx', { CommandLine: t })]), false, t);
  }
});

void test("Exchange's own web applications, as a field's whole path, show it; the same words inside a path do not", () => {
  for (const app of ['owa', 'ECP', 'ews', 'autodiscover', 'mapi', 'oab', 'rpc', 'powershell', 'Microsoft-Server-ActiveSync']) {
    assert.equal(showsExchange('WEB01', [], [seen('u_ex210303.log', { 'cs-uri-stem': `/${app}/x` }, 'WEB01')]), true, app);
    assert.equal(showsExchange('WEB01', [], [seen('u_ex210303.log', { 'cs-uri-stem': `/${app}` }, 'WEB01')]), true, `${app} alone`);
  }
  for (const stem of ['/owax/', '/site/owa/', 'owa/x', '/ecp.aspx', '/']) {
    assert.equal(showsExchange('WEB01', [], [seen('u_ex210303.log', { 'cs-uri-stem': stem }, 'WEB01')]), false, stem);
  }
  // The path is a file's, not a URL: /owa/ as a log file's folder says nothing.
  assert.equal(showsExchange('WEB01', [], [seen('/owa/u_ex210303.log', {}, 'WEB01')]), false);
});

void test('one record among others is enough; nothing seen shows nothing', () => {
  assert.equal(showsExchange('DC01', [], []), false);
  const others = [seen('a', { x: 'lsass.exe' }), seen('b', { y: 'svchost.exe', z: 'MSExchangeIS' })];
  assert.equal(showsExchange('DC01', [aLogFile('DC01', { kind: 'winevent' })], others), true);
});

void test('asked of many machines, the records are gone through once and each machine answered as alone', () => {
  // The same value seen on a machine with no other trace and on one where it is the trace, in any order.
  const records = [
    seen('Security.evtx', { CommandLine: 'lsass.exe' }, 'DC01'),
    seen('Security.evtx', { CommandLine: 'MSExchangeIS' }, 'EX01'),
    seen('Security.evtx', { CommandLine: 'MSExchangeIS', User: 'x' }, 'EX02'),
    seen('Security.evtx', { CommandLine: 'lsass.exe' }, 'EX03'),
    seen('u_ex.log', { 'cs-uri-stem': '/owa/' }, 'WEB01'),
    seen('C:/Program Files/Microsoft/Exchange Server/V15/x.log', {}, 'EX04'),
    seen('Security.evtx', { CommandLine: 'lsass.exe' }, 'EX04'),
  ];
  const files = [aLogFile('EX05'), aLogFile('EX03', { kind: 'msgtrk' }), aLogFile('DC01', { kind: 'winevent' })];
  let asked = 0;
  const onExchange = exchangeShown(files, () => {
    asked += 1;
    return records;
  });
  for (const order of [records, [...records].reverse()]) {
    const alsoShown = exchangeShown(files, () => order);
    for (const server of ['DC01', 'EX01', 'EX02', 'EX03', 'EX04', 'EX05', 'WEB01', 'NONE']) {
      const alone = showsExchange(server, files, order);
      assert.equal(onExchange(server), alone, server);
      assert.equal(alsoShown(server), alone, `${server}, records in another order`);
    }
  }
  assert.deepEqual(
    ['DC01', 'EX01', 'EX02', 'EX03', 'EX04', 'EX05', 'WEB01'].filter((s) => onExchange(s)),
    ['EX01', 'EX02', 'EX03', 'EX04', 'EX05', 'WEB01'],
  );
  assert.equal(asked, 1);
});
