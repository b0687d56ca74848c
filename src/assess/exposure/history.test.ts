import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildObservations, exposureWindows, type BuildObservationRecord } from './history.js';
import { loadTable } from './table.js';

const table = loadTable();

function hp(server: string, time: string, build: string): BuildObservationRecord {
  return { server, time, build, source: 'httpproxy' };
}

describe('buildObservations', () => {
  it("draws the issue's example: still 15.1.2176.2 on 2021-03-04; 15.1.2176.9 from 2021-03-06", () => {
    const records = [
      hp('EX01', '2021-03-06T09:00:00Z', '15.1.2176.9'),
      hp('EX01', '2021-03-01T08:00:00Z', '15.1.2176.2'),
      hp('EX01', '2021-03-04T23:59:00Z', '15.1.2176.2'),
      hp('EX01', '2021-03-07T10:00:00Z', '15.1.2176.9'),
    ];
    const { servers, warnings } = buildObservations(records);
    assert.deepEqual(warnings, []);
    assert.equal(servers.length, 1);
    const h = servers[0]!;
    assert.equal(h.summary, 'still 15.1.2176.2 on 2021-03-04; 15.1.2176.9 from 2021-03-06');
    assert.deepEqual(
      h.segments.map((s) => [s.build, s.firstSeen, s.lastSeen, s.count]),
      [
        ['15.1.2176.2', '2021-03-01T08:00:00Z', '2021-03-04T23:59:00Z', 2],
        ['15.1.2176.9', '2021-03-06T09:00:00Z', '2021-03-07T10:00:00Z', 2],
      ],
    );
  });

  it('keeps servers apart, and prefers HttpProxy over client-chosen IIS paths', () => {
    const { servers } = buildObservations([
      hp('EX02', '2021-03-02T00:00:00Z', '15.2.792.3'),
      { server: 'EX02', time: '2021-03-03T00:00:00Z', build: '15.2.721', source: 'iis' },
      { server: 'EX03', time: '2021-03-03T00:00:00Z', build: '15.0.1497', source: 'iis' },
    ]);
    assert.deepEqual(
      servers.map((s) => [s.server, s.basis, s.ignored, s.segments.length]),
      [
        ['EX02', 'httpproxy', 1, 1],
        ['EX03', 'iis', 0, 1],
      ],
    );
    assert.match(servers[1]!.caveats.join(' '), /clients choose those paths/);
    assert.match(servers[1]!.caveats.join(' '), /Three-part builds show the CU/);
  });

  it('flags a build that goes down', () => {
    const { servers } = buildObservations([hp('EX04', '2021-03-01T00:00:00Z', '15.1.2176.9'), hp('EX04', '2021-03-02T00:00:00Z', '15.1.2176.2')]);
    assert.match(servers[0]!.caveats.join(' '), /went down from 15.1.2176.9 to 15.1.2176.2 on 2021-03-02/);
  });

  it('counts bad records as located warnings and goes on', () => {
    const { servers, warnings } = buildObservations([
      hp('', '2021-03-01T00:00:00Z', '15.1.2176.9'),
      hp('EX05', '01/03/2021 10:00', '15.1.2176.9'),
      hp('EX05', '2021-03-01T00:00:00Z', '15.1.x.9'),
      hp('EX05', '2021-03-01T00:00:00Z', '15.1.2176.9'),
    ]);
    assert.equal(servers[0]?.segments[0]?.count, 1);
    assert.deepEqual(
      warnings.map((w) => w.where),
      ['observation 1', 'observation 2 (EX05)', 'observation 3 (EX05)'],
    );
  });
});

describe('exposureWindows', () => {
  it("dates the ProxyLogon exposure by the server's own logs and leaves ProxyShell open", () => {
    const { servers } = buildObservations([
      hp('EX01', '2021-02-20T08:00:00Z', '15.1.2176.2'),
      hp('EX01', '2021-03-04T23:59:00Z', '15.1.2176.2'),
      hp('EX01', '2021-03-06T09:00:00Z', '15.1.2176.9'),
      hp('EX01', '2021-05-01T09:00:00Z', '15.1.2176.9'),
    ]);
    const windows = exposureWindows(table, servers[0]!, '2026-11-28');
    const logon = windows.find((w) => w.wave === 'proxylogon')!;
    assert.deepEqual(logon.intervals, [
      { from: '2021-02-20T08:00:00Z', lastSeenExposed: '2021-03-04T23:59:00Z', until: '2021-03-06T09:00:00Z', build: '15.1.2176.2', status: 'exposed' },
    ]);
    assert.match(logon.text, /until between 2021-03-04 and 2021-03-06/);
    const shell = windows.find((w) => w.wave === 'proxyshell')!;
    assert.equal(shell.intervals.length, 1);
    assert.equal(shell.intervals[0]?.until, undefined, 'still below Apr21SU at the last observation');
    // The build was vulnerable, but ProxyShell was not yet known (disclosed 2021-07-13) when the logs end.
    assert.match(
      shell.text,
      /running a build vulnerable to it, but the logs end \(2021-05-01\) before it was known to be exploited or disclosed \(2021-07-13\)/,
    );
  });

  it('a wave known before the logs end is dated as exposure, not as "not yet known"', () => {
    const { servers } = buildObservations([hp('EX01', '2021-07-01T08:00:00Z', '15.1.2176.9'), hp('EX01', '2021-09-01T08:00:00Z', '15.1.2176.9')]);
    const shell = exposureWindows(table, servers[0]!, '2026-11-28').find((w) => w.wave === 'proxyshell')!;
    assert.match(shell.text, /^exposed from 2021-07-01 still on 2021-09-01, the last observation$/);
  });
});
