import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { DEFAULT_TABLE } from '../assess/exposure/index.js';
import { EXIT } from './exit-codes.js';
import { registerExposure } from './exposure.js';
import { assertSchema } from '../test-support/json-schema.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

// The command on its own program, writing into buffers: node:test owns this process's stdout.
async function run(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command().exitOverride();
  const state = { code: EXIT.CLEAN as number };
  registerExposure(
    program,
    (code) => {
      state.code = Math.max(state.code, code);
    },
    {
      out: (t) => {
        out.push(t);
      },
      err: (t) => {
        err.push(t);
      },
      stdin: () => '',
    },
  );
  program.configureOutput({
    writeOut: (t) => {
      out.push(t);
    },
    writeErr: (t) => {
      err.push(t);
    },
  });
  try {
    await program.parseAsync(['node', 'exir', ...args]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    state.code = e.exitCode === 0 ? EXIT.CLEAN : EXIT.ERROR;
  }
  return { code: state.code, out: out.join(''), err: err.join('') };
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'exir-exposure-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('exir exposure', () => {
  it('exits 1 for a build exposed to a known-exploited CVE and prints the table age', async () => {
    const r = await run('exposure', '15.1.2176.2');
    assert.equal(r.code, 1);
    assert.match(r.out, /^Build table checked \d{4}-\d{2}-\d{2} \(\d+ days? old\)/);
    assert.match(r.out, /CVE-2021-26855 ProxyLogon/);
  });

  it('exits 0 for the newest Exchange SE build', async () => {
    const r = await run('exposure', '15.2.2562.57', '--as-of', '2026-12-06');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /0 exposed to a known-exploited CVE/);
  });

  it('reads a CSV inventory and writes CSV to a file', async () => {
    const inv = join(dir, 'inv.csv');
    const outFile = join(dir, 'out.csv');
    writeFileSync(inv, 'Server,Build\nEX01,15.0.1497.12\nEX02,not a build\n');
    const r = await run('exposure', inv, '--csv', '--out', outFile);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /inv\.csv:3: no build in "not a build"/);
    const csv = readFileSync(outFile, 'utf8');
    assert.match(csv.split('\r\n')[1] ?? '', /^EX01,build,15\.0\.1497\.12,/);
  });

  it('says so and exits 2 when nothing can be read', async () => {
    const r = await run('exposure', 'no-such-file-or-build');
    assert.equal(r.code, 2);
    assert.match(r.err, /neither a readable file nor an Exchange build/);
  });

  it('exits 2 for a build no Exchange version has, never "fixed" with 0', async () => {
    for (const text of ['15.1.21762.2', '16.0.1.1']) {
      const r = await run('exposure', text);
      assert.equal(r.code, 2, text);
      assert.match(r.err, /not an Exchange build this table knows/, text);
      assert.doesNotMatch(r.out, /fixed/, text);
    }
    const mixed = await run('exposure', '15.2.2562.17', '15.1.21762.2', '--json');
    assert.equal(mixed.code, 2);
    const report = JSON.parse(mixed.out) as { servers: { build: string }[]; warnings: { message: string }[] };
    assert.equal(report.servers.length, 1, 'the good build is still assessed');
    assert.ok(report.warnings.some((w) => /15\.1\.21762\.2 is not an Exchange build/.test(w.message)));
  });

  it('says "newer than the table: cannot tell" for a build past the table, with no downgrade advice', async () => {
    const r = await run('exposure', '15.2.2562.900');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /to fix: newer than the table: cannot tell/);
    assert.doesNotMatch(r.out, /install \w+SU/);
  });

  it('refuses --json with --csv', async () => {
    const r = await run('exposure', '15.2.792.10', '--json', '--csv');
    assert.equal(r.code, 2);
  });
});

describe('exir exposure --probe', () => {
  let server: http.Server;
  let base = '';
  before(async () => {
    server = http.createServer((req, res) => {
      if ((req.url ?? '').startsWith('/owa/auth/x.js')) {
        res.setHeader('X-CalculatedBETarget', 'localhost');
        res.end();
        return;
      }
      res.setHeader('X-OWA-Version', '15.2.792.3');
      res.end('<html><link href="/owa/auth/15.2.792/themes/resources/favicon.ico"></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('assesses the build the probe read and reports the live CVE-2021-26855 check', async () => {
    const r = await run('exposure', '--probe', base, '--json');
    assert.equal(r.code, 1);
    const report = assertSchema<{
      servers: { server: string; reading: { kind: string }; liveCheck: { status: string } }[];
      probes: { readings: { source: string; showsSecurityUpdates: string }[]; cve202126855: { status: string } }[];
    }>('exposure', r.out);
    assert.equal(report.servers[0]?.reading.kind, 'x-owa-version');
    assert.equal(report.servers[0]?.liveCheck.status, 'vulnerable');
    assert.deepEqual(
      report.probes[0]?.readings.map((x) => [x.source, x.showsSecurityUpdates]),
      [
        ['x-owa-version', 'usually'],
        ['owa-path', 'no'],
      ],
    );
  });
});

describe('exir exposure with configuration exports', () => {
  const xml = (props: string): string =>
    `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj><TN><T>System.Object</T></TN><Props>${props}</Props></Obj></Objs>`;

  it('says "needs configuration" without an export, and configured or not with one', async () => {
    const plain = await run('exposure', '15.1.2507.66', '--json');
    const cve = (out: string): { status: string; configured?: { value: boolean } } | undefined =>
      (
        JSON.parse(out) as { servers: { assessment: { cves: { cve: string; status: string; configured?: { value: boolean } }[] } }[] }
      ).servers[0]?.assessment.cves.find((c) => c.cve === 'CVE-2024-21410');
    assert.equal(cve(plain.out)?.status, 'needs-config');

    const hcOff = join(dir, 'hc-off.xml');
    writeFileSync(hcOff, xml('<S N="ServerName">EX01</S><B N="ExtendedProtectionConfigured">false</B>'));
    const unnamed = await run('exposure', hcOff, '15.1.2507.66', '--json');
    assert.equal(cve(unnamed.out)?.status, 'needs-config', "EX01's setting is not applied to a server with no name");
    assert.match(unnamed.err, /settings of EX01 .*match no server assessed/);
    const inventory = join(dir, 'ex01.txt');
    writeFileSync(inventory, 'EX01 15.1.2507.66\n');
    const off = await run('exposure', hcOff, inventory, '--json');
    assert.equal(off.err.includes('no Exchange build or setting found'), false, off.err);
    assert.equal(cve(off.out)?.status, 'exposed');
    assert.deepEqual(cve(off.out)?.configured?.value, false);

    const hcOn = join(dir, 'hc-on.xml');
    writeFileSync(hcOn, xml('<B N="ExtendedProtectionConfigured">true</B>'));
    const on = await run('exposure', hcOn, '15.1.2507.66');
    assert.match(on.out, /settings read:\n {4}extended-protection on: ExtendedProtectionConfigured true/);
    assert.doesNotMatch(on.out, /needs configuration[^\n]*\n[^\n]*Extended Protection/);
  });
});

describe('exir exposure --probe against a host that does not answer', () => {
  it('says the probe failed and exits 2, not 0 with "no build found"', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await run('exposure', '--probe', `http://127.0.0.1:${port}`);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, new RegExp(`probe of http://127\\.0\\.0\\.1:${port}/ failed: no answer from 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    assert.match(r.out, /PROBE FAILED/);
    const json = await run('exposure', '--probe', `http://127.0.0.1:${port}`, '--json');
    assert.equal(json.code, 2);
    assert.match((JSON.parse(json.out) as { probes: { failed: string }[] }).probes[0]?.failed ?? '', /ECONNREFUSED/);
  });
});

describe('exir exposure update', () => {
  const shipped = readFileSync(DEFAULT_TABLE.builds, 'utf8');
  after(() => assert.equal(readFileSync(DEFAULT_TABLE.builds, 'utf8'), shipped, 'the shipped table was not touched'));

  it('adds the builds of a newer page to a copy of the table and reports them', async () => {
    const page = join(dir, 'page.md');
    const outTable = join(dir, 'builds.json');
    writeFileSync(page, '|[Exchange Server SE RTM Jan27SU](https://support.microsoft.com/help/5199999)|January 12, 2027|15.2.2562.60|15.02.2562.060|\n');
    const refused = await run('exposure', 'update', '--from', page, '--out', outTable);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /--out is an option of "exposure", not of "update"/);
    const r = await run('exposure', 'update', '--from', page, '--write', outTable);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1 new/);
    assert.match(r.out, /new: 15\.2\.2562\.60 exchangeSE RTM Jan27SU \(2027-01-12, KB5199999\)/);
    assert.match(r.out, /The CVE map has no entry for Jan27SU/);
    const check = await run('exposure', '15.2.2562.46', '--builds', outTable, '--json');
    const report = assertSchema<{ servers: { assessment: { updatesWithUnknownFixes: string[] } }[] }>('exposure', check.out);
    assert.ok(report.servers[0]?.assessment.updatesWithUnknownFixes.includes('Jan27SU'));
  });

  it('compares saved CVE records with the CVE map and writes nothing', async () => {
    const records = join(dir, 'records.json');
    writeFileSync(
      records,
      JSON.stringify({
        cveMetadata: { cveId: 'CVE-2026-42897' },
        containers: { cna: { datePublic: '2026-05-14T14:00:00.000Z', affected: [{ versions: [{ lessThan: '15.02.2562.045' }] }] } },
      }),
    );
    const r = await run('exposure', 'update', '--from', records);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Read 1 CVE record of records\.json: 1 difference from the CVE map\./);
    assert.match(r.out, /CVE-2026-42897: exchangeSE: the map says Jun26SU, the record says Jul26SU \(15\.2\.2562\.45\)/);
    assert.match(r.out, /nothing was written/);
  });

  it("compares CISA's known-exploited catalogue with the CVE map and writes nothing", async () => {
    const kev = join(dir, 'known_exploited_vulnerabilities.json');
    const row = (cveID: string, product: string, dateAdded: string) => ({
      cveID,
      vendorProject: 'Microsoft',
      product,
      dateAdded,
      knownRansomwareCampaignUse: 'Unknown',
    });
    writeFileSync(
      kev,
      JSON.stringify({
        catalogVersion: '2027.01.05',
        vulnerabilities: [
          row('CVE-2020-17144', 'Exchange Server', '2021-11-03'),
          row('CVE-2021-26412', 'Exchange Server', '2027-01-05'),
          row('CVE-2021-1640', 'Windows', '2022-01-01'),
        ],
      }),
    );
    const before = readFileSync(DEFAULT_TABLE.security, 'utf8');
    const r = await run('exposure', 'update', '--from', kev);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Read 2 Exchange entries of known_exploited_vulnerabilities\.json \(catalogue 2027\.01\.05\): \d+ differences from the CVE map\./);
    assert.match(r.out, /CVE-2021-26412: known exploited per the catalogue \(added 2027-01-05\); the map does not say so/);
    assert.doesNotMatch(r.out, /CVE-2020-17144/, 'flagged with the same date and ransomware status');
    assert.match(r.out, /nothing was written/);
    assert.equal(readFileSync(DEFAULT_TABLE.security, 'utf8'), before);
  });

  it("compares CSS-Exchange's build dictionary with the build table and writes nothing", async () => {
    const dict = join(dir, 'Get-ExchangeBuildVersionInformation.ps1');
    const fixture = readFileSync(new URL('../assess/exposure/fixtures/Get-ExchangeBuildVersionInformation.ps1', import.meta.url), 'utf8');
    writeFileSync(dict, fixture.replace('"Sep26SUv2" = "15.2.2562.53"', '"Sep26SUv2" = "15.2.2562.53"\n                    "Oct26SUv2" = "15.2.2562.58"'));
    const before = readFileSync(DEFAULT_TABLE.builds, 'utf8');
    const r = await run('exposure', 'update', '--from', dict);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Read 19 builds of CSS-Exchange's build dictionary in Get-ExchangeBuildVersionInformation\.ps1: 1 difference from the build table\./);
    assert.match(r.out, /new: 15\.2\.2562\.58 exchangeSE RTM Oct26SUv2 \(not in the build table\)/);
    assert.match(r.out, /nothing was written/);
    assert.equal(readFileSync(DEFAULT_TABLE.builds, 'utf8'), before);
  });

  it('fails on a file with no build rows', async () => {
    const page = join(dir, 'empty.txt');
    writeFileSync(page, 'nothing here\n');
    const r = await run('exposure', 'update', '--from', page, '--dry-run');
    assert.equal(r.code, 2);
  });
});

describe('exir exposure on an evidence bundle', () => {
  it("draws each server's patch history from its own HttpProxy logs and assesses the newest build", async () => {
    const { generateDemo } = await import('../demo/generate.js');
    const bundle = join(dir, 'bundle');
    await generateDemo({ outDir: bundle, targetBytes: 2_000_000 });
    const r = await run('exposure', bundle, '--json', '--as-of', '2021-03-10');
    assert.equal(r.code, 1, r.err);
    const report = assertSchema<{ histories: { server: string; summary: string }[]; servers: { server: string; reading: { kind: string; text: string } }[] }>(
      'exposure',
      r.out,
    );
    // The demo installs the March 2021 SU on EX02 only, on 4 March.
    assert.deepEqual(
      report.histories.map((h) => [h.server, h.summary]),
      [
        ['EX01', '15.1.2176.2 from 2021-02-20 to 2021-03-10'],
        ['EX02', 'still 15.1.2176.2 on 2021-03-04; 15.1.2176.9 from 2021-03-04'],
      ],
    );
    assert.deepEqual(
      report.servers.map((s) => [s.server, s.reading.kind, s.reading.text]),
      [
        ['EX01', 'log-build', '15.1.2176.2'],
        ['EX02', 'log-build', '15.1.2176.9'],
      ],
    );
  });
});
