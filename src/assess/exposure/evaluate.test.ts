import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assessBuild, exposedToKnownExploited, notAKnownBuild, type BuildAssessment, type CveStatus } from './evaluate.js';
import { loadTable, newestBuild } from './table.js';
import { parseAdminDisplayVersion, parseDotted, type ExchangeBuild } from './version.js';

const table = loadTable();
const TODAY = '2026-11-28';

function b(text: string): ExchangeBuild {
  const parsed = parseDotted(text) ?? parseAdminDisplayVersion(text);
  assert.ok(parsed, `test build ${text} parses`);
  return parsed;
}

function assess(text: string): BuildAssessment {
  return assessBuild(table, b(text), TODAY);
}

function statusOf(a: BuildAssessment, cve: string): CveStatus {
  const found = a.cves.filter((c) => c.cve === cve && a.product && c.update);
  assert.ok(found.length > 0, `${cve} is evaluated for ${a.build}`);
  // A CVE listed by two updates for one product would be a data error.
  assert.equal(found.length, 1, `${cve} appears once for ${a.build}`);
  return found[0]!.status;
}

const PROXYLOGON = ['CVE-2021-26855', 'CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065'];
const PROXYSHELL = ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'];

describe("the issue's oracle facts", () => {
  it('15.2.792.10 is Exchange 2019 CU8 with the March 2021 SU, fixed for ProxyLogon and still exposed to ProxyShell', () => {
    const a = assess('15.2.792.10');
    assert.equal(a.product?.id, 'exchange2019');
    assert.equal(a.level, 'CU8');
    assert.equal(a.newestUpdate.name, 'Mar21SU');
    assert.equal(a.newestUpdate.kb, 'KB5000871');
    assert.equal(a.newestUpdate.released, '2021-03-02');
    for (const c of PROXYLOGON) assert.equal(statusOf(a, c), 'fixed', c);
    for (const c of PROXYSHELL) assert.equal(statusOf(a, c), 'exposed', c);
    const shell = a.cves.find((c) => c.cve === 'CVE-2021-34473');
    assert.equal(shell?.fix?.build, '15.2.792.13', 'the fix on CU8 is Apr21SU 15.2.792.13');
    assert.equal(shell?.fix?.kb, 'KB5001779');
    assert.ok(exposedToKnownExploited(a));
  });

  it('15.1.2176.2 (Exchange 2016 CU19, no SU) is exposed to ProxyLogon', () => {
    const a = assess('15.1.2176.2');
    assert.equal(a.level, 'CU19');
    assert.equal(a.newestUpdate.text, 'none on top of CU19');
    for (const c of PROXYLOGON) assert.equal(statusOf(a, c), 'exposed', c);
    assert.equal(a.cves.find((c) => c.cve === 'CVE-2021-26855')?.fix?.build, '15.1.2176.9');
  });

  it('15.0.1497.12 (Exchange 2013 CU23 Mar21SU) is not exposed to ProxyLogon but is to ProxyShell', () => {
    const a = assess('15.0.1497.12');
    for (const c of PROXYLOGON) assert.equal(statusOf(a, c), 'fixed', c);
    for (const c of PROXYSHELL) assert.equal(statusOf(a, c), 'exposed', c);
  });

  it('a 2013 CU22 build without an SU is exposed to ProxyLogon', () => {
    const a = assess('15.0.1473.3');
    assert.equal(a.level, 'CU22');
    for (const c of PROXYLOGON) assert.equal(statusOf(a, c), 'exposed', c);
  });

  it('2013 CU22 with its March 2021 SU has the four ProxyLogon fixes only, and earlier SUs become unknown', () => {
    const a = assess('15.0.1473.6');
    for (const c of PROXYLOGON) assert.equal(statusOf(a, c), 'fixed', c);
    // The out-of-support March 2021 package carries no other fix (Microsoft, via HealthChecker PR #542).
    assert.equal(statusOf(a, 'CVE-2021-26412'), 'exposed');
    assert.equal(statusOf(a, 'ADV190018'), 'unknown', 'Jun19SU (15.0.1473.5) may or may not have been installed first');
    assert.equal(statusOf(a, 'CVE-2021-34473'), 'exposed', 'CU22 never received Apr21SU');
  });

  it('Exchange 2010 SP3 is exposed to CVE-2021-26857 until Update Rollup 32, and has no ProxyShell entry', () => {
    const before = assess('14.3.509.0');
    assert.equal(before.product?.id, 'exchange2010');
    assert.equal(before.newestUpdate.name, 'RU31');
    assert.equal(statusOf(before, 'CVE-2021-26857'), 'exposed');
    assert.equal(before.cves.find((c) => c.cve === 'CVE-2021-26857')?.fix?.build, '14.3.513.0');
    assert.equal(
      before.cves.some((c) => c.cve === 'CVE-2021-26855'),
      false,
      'Microsoft lists 2010 for 26857 only',
    );
    const after = assess('14.3.513.0');
    assert.equal(statusOf(after, 'CVE-2021-26857'), 'fixed');
    // CVE-2020-17144: RU31 plus a December 2020 SU the table has no build for, or RU32.
    assert.equal(statusOf(assess('14.3.496.0'), 'CVE-2020-17144'), 'exposed');
    assert.equal(assess('14.3.496.0').cves.find((c) => c.cve === 'CVE-2020-17144')?.fix?.build, '14.3.513.0');
    assert.equal(statusOf(before, 'CVE-2020-17144'), 'unknown');
    assert.equal(statusOf(after, 'CVE-2020-17144'), 'fixed');
    // Microsoft did not assess 2010 for ProxyShell: never "not affected" by omission.
    const proxyshell = after.waves.find((w) => w.wave === 'proxyshell');
    assert.equal(proxyshell?.status, 'not-listed');
    assert.match(proxyshell?.text ?? '', /not in Microsoft's assessment/);
  });
});

// Independent of HealthChecker's map: the fixed builds Microsoft wrote into its CVE records (cvelistV5,
// "lessThan") and into its own CVE-2021-26855 nmap script. One build below must be exposed, the fix fixed.
const CVE_RECORD_FIXES: [string, string[]][] = [
  ['CVE-2021-26855', ['15.0.1497.12', '15.1.2106.13', '15.1.2176.9', '15.2.721.13', '15.2.792.10']],
  ['CVE-2021-34473', ['15.0.1497.15', '15.1.2176.12', '15.1.2242.8', '15.2.792.13', '15.2.858.10']],
  ['CVE-2021-34523', ['15.0.1497.15', '15.1.2176.12', '15.1.2242.8', '15.2.792.13', '15.2.858.10']],
  ['CVE-2021-33766', ['15.0.1497.15', '15.1.2176.12', '15.1.2242.8', '15.2.792.13', '15.2.858.10']],
  ['CVE-2021-31207', ['15.0.1497.18', '15.1.2176.14', '15.1.2242.10', '15.2.792.15', '15.2.858.12']],
  ['CVE-2021-31206', ['15.2.858.15']],
  ['CVE-2022-41040', ['15.0.1497.44', '15.1.2375.37', '15.1.2507.16', '15.2.986.36', '15.2.1118.20']],
  ['CVE-2022-41080', ['15.0.1497.44', '15.1.2375.37', '15.1.2507.16', '15.2.986.36', '15.2.1118.20']],
  ['CVE-2025-59249', ['15.2.1544.36', '15.2.1748.39', '15.2.2562.29']],
  // Found by a second search of the 2026 records (2026-12-06); CVE-2026-96940's fixed builds are the September re-release's.
  ['CVE-2026-55008', ['15.1.2507.71', '15.2.1544.43', '15.2.1748.48', '15.2.2562.45']],
  ['CVE-2026-69378', ['15.1.2507.73', '15.2.1544.46', '15.2.1748.51', '15.2.2562.49']],
  ['CVE-2026-96940', ['15.1.2507.75', '15.2.1544.48', '15.2.1748.53', '15.2.2562.53']],
  ['CVE-2026-118153', ['15.2.2562.57']],
  // Two August 2026 CVEs the table lacked until CSS-Exchange's Aug26 SU pull request (#2574) named seven (2026-12-06).
  ['CVE-2026-62910', ['15.1.2507.72', '15.2.1544.44', '15.2.1748.49', '15.2.2562.46']],
  ['CVE-2026-62912', ['15.1.2507.72', '15.2.1544.44', '15.2.1748.49', '15.2.2562.46']],
  ['CVE-2026-118152', ['15.2.2562.57']],
];

describe('CVE-2018-8581: a workaround before the fix, a password reset after it', () => {
  it("a build below the February 2019 update needs configuration (Microsoft's workaround), and is told the update that fixes it", () => {
    for (const [build, fixBuild] of [
      ['15.1.1591.10', '15.1.1713.5'],
      ['15.0.1395.4', '15.0.1473.3'],
      ['14.3.435.0', '14.3.442.0'],
    ] as const) {
      const a = assess(build);
      const c = a.cves.find((x) => x.cve === 'CVE-2018-8581');
      assert.equal(c?.status, 'needs-config', build);
      assert.match(c?.requires ?? '', /DisableLoopbackCheck/);
      assert.equal(c?.fix?.build, fixBuild, build);
      assert.equal(c?.knownExploited, true);
      assert.equal(c?.kevDateAdded, '2022-03-03');
    }
  });

  it('at or above the February 2019 update it is fixed, with the password reset Microsoft advised still to do', () => {
    for (const build of ['15.1.1713.5', '15.2.330.5', '14.3.442.0', '14.3.513.0']) {
      assert.equal(statusOf(assess(build), 'CVE-2018-8581'), 'fixed-needs-config', build);
      assert.match(assess(build).cves.find((x) => x.cve === 'CVE-2018-8581')?.requires ?? '', /Reset-ComputerMachinePassword/);
    }
  });
});

describe("Exchange 2010 SP3's CVEs from Microsoft's records", () => {
  it('a rollup before each fix is exposed, the rollup the record names is unknown, and a later rollup is fixed', () => {
    const ru19 = assess('14.3.382.0');
    for (const cve of ['CVE-2018-0940', 'CVE-2018-8151', 'CVE-2018-8154', 'CVE-2018-8302', 'CVE-2019-0686', 'CVE-2019-0817', 'CVE-2019-1084', 'CVE-2019-1136'])
      assert.equal(statusOf(ru19, cve), 'exposed', cve);
    assert.equal(ru19.cves.find((c) => c.cve === 'CVE-2018-0940')?.fix?.build, '14.3.399.2');
    assert.equal(statusOf(assess('14.3.389.1'), 'CVE-2018-0940'), 'unknown');
    assert.equal(statusOf(assess('14.3.399.2'), 'CVE-2018-0940'), 'fixed');
    assert.equal(statusOf(assess('14.3.399.2'), 'CVE-2018-8151'), 'unknown');
    assert.equal(statusOf(assess('14.3.411.0'), 'CVE-2018-8154'), 'fixed');
    assert.equal(statusOf(assess('14.3.417.1'), 'CVE-2018-8302'), 'unknown');
    assert.equal(statusOf(assess('14.3.419.0'), 'CVE-2018-8302'), 'fixed');
    assert.equal(statusOf(assess('14.3.435.0'), 'CVE-2019-0686'), 'exposed');
    assert.equal(statusOf(assess('14.3.442.0'), 'CVE-2019-0686'), 'fixed');
    assert.equal(statusOf(assess('14.3.452.0'), 'CVE-2019-0817'), 'unknown');
    assert.equal(statusOf(assess('14.3.461.1'), 'CVE-2019-0817'), 'fixed');
    assert.equal(statusOf(assess('14.3.461.1'), 'CVE-2019-1084'), 'exposed');
    assert.equal(statusOf(assess('14.3.468.0'), 'CVE-2019-1136'), 'fixed');
  });

  it('CVE-2018-0924, CVE-2019-0588 and CVE-2019-0724 follow the rollups their records name', () => {
    for (const cve of ['CVE-2018-0924', 'CVE-2019-0588', 'CVE-2019-0724']) assert.equal(statusOf(assess('14.3.382.0'), cve), 'exposed', cve);
    // CVE-2018-0924 names RU20, as CVE-2018-0940 does: RU20 cannot be told, RU21 carries it.
    assert.equal(statusOf(assess('14.3.389.1'), 'CVE-2018-0924'), 'unknown');
    assert.equal(statusOf(assess('14.3.399.2'), 'CVE-2018-0924'), 'fixed');
    // CVE-2019-0588 names RU25 beside the levels January's SUs were for: RU25 is affected, RU26 fixes it.
    assert.equal(statusOf(assess('14.3.419.0'), 'CVE-2019-0588'), 'exposed');
    assert.equal(statusOf(assess('14.3.435.0'), 'CVE-2019-0588'), 'unknown');
    assert.equal(statusOf(assess('14.3.442.0'), 'CVE-2019-0588'), 'fixed');
    // CVE-2019-0724 names RU26 beside the February 2019 CUs that carry the fix, as CVE-2019-0686 does.
    assert.equal(statusOf(assess('14.3.435.0'), 'CVE-2019-0724'), 'exposed');
    assert.equal(assess('14.3.435.0').cves.find((c) => c.cve === 'CVE-2019-0724')?.fix?.build, '14.3.442.0');
    assert.equal(statusOf(assess('14.3.442.0'), 'CVE-2019-0724'), 'fixed');
  });

  it("the 2020 and February 2021 records list 2013, 2016 and 2019 levels, not 2010: on 2010 they are not in Microsoft's assessment", () => {
    const records = [
      'CVE-2020-0903',
      'CVE-2020-16875',
      'CVE-2020-16969',
      'CVE-2020-17083',
      'CVE-2020-17084',
      'CVE-2020-17085',
      'CVE-2020-17117',
      'CVE-2020-17132',
      'CVE-2020-17141',
      'CVE-2020-17142',
      'CVE-2020-17143',
      'CVE-2021-24085',
    ];
    const ru30 = assess('14.3.496.0');
    for (const cve of records)
      assert.equal(
        ru30.cves.some((c) => c.cve === cve),
        false,
        cve,
      );
    // The same records list 2013 CU23, but for three of them and CVE-2020-17141 (2016 and 2019 only).
    const cu23 = assess('15.0.1497.2');
    for (const cve of records.filter((c) => !['CVE-2020-0903', 'CVE-2020-16875', 'CVE-2020-17141', 'CVE-2021-24085'].includes(c)))
      assert.equal(statusOf(cu23, cve), 'exposed', cve);
  });

  it('the last 2010 build is fixed for every mapped CVE, and says the 2010 list is incomplete', () => {
    const last = assess('14.3.513.0');
    const open = last.cves.filter((c) => c.status !== 'fixed' && c.status !== 'fixed-needs-config' && c.status !== 'not-listed' && c.status !== 'not-affected');
    assert.deepEqual(
      open.map((c) => c.cve),
      [],
    );
    assert.ok(last.cves.length >= 15, `2010 has ${last.cves.length} mapped CVEs`);
    assert.ok(last.notes.some((n) => /Exchange 2010 SP3's CVE list may be incomplete/.test(n)));
    assert.ok(!assess('15.1.2507.6').notes.some((n) => /CVE list may be incomplete/.test(n)), 'a complete product has no such note');
  });
});

describe("fixed builds from Microsoft's CVE records", () => {
  for (const [cve, fixes] of CVE_RECORD_FIXES) {
    for (const fix of fixes) {
      it(`${cve}: ${fix} fixes it, the build before does not`, () => {
        const f = b(fix);
        const fixedStatus = statusOf(assessBuild(table, f, TODAY), cve);
        assert.ok(fixedStatus === 'fixed' || fixedStatus === 'fixed-needs-config', `${fix}: ${fixedStatus}`);
        const before = { ...f, revision: (f.revision ?? 1) - 1 };
        assert.equal(statusOf(assessBuild(table, before, TODAY), cve), 'exposed', `${before.major}.${before.minor}.${before.build}.${before.revision}`);
      });
    }
  }

  it('CVE-2024-21410 is fixed on Exchange 2019 by CU14 and needs Extended Protection on 2016', () => {
    // CU13 with Aug22SU or later can turn Extended Protection on: a setting decides, not a missing update.
    assert.equal(statusOf(assess('15.2.1258.39'), 'CVE-2024-21410'), 'needs-config');
    assert.equal(statusOf(assess('15.2.986.26'), 'CVE-2024-21410'), 'exposed', 'CU11 before Aug22SU cannot have it');
    assert.equal(statusOf(assess('15.2.1544.4'), 'CVE-2024-21410'), 'fixed-needs-config');
    assert.equal(statusOf(assess('15.1.2507.66'), 'CVE-2024-21410'), 'needs-config');
  });
});

describe('what a reading cannot show', () => {
  it('AdminDisplayVersion gives the CU and leaves every SU answer unknown', () => {
    const a = assess('Version 15.2 (Build 792.3)');
    assert.equal(a.precision, 'cu');
    assert.equal(a.level, 'CU8');
    assert.equal(a.newestUpdate.certain, false);
    assert.equal(statusOf(a, 'CVE-2021-26855'), 'unknown');
    // Certain either way: CU8 never received Jul21SU, and it shipped after Feb20SU.
    assert.equal(statusOf(a, 'CVE-2021-31206'), 'exposed');
    assert.equal(statusOf(a, 'CVE-2020-0688'), 'fixed');
    assert.equal(exposedToKnownExploited(a), true, 'ProxyNotShell: CU8 never got Nov22SU');
  });

  it('a disputed build (HealthChecker vs Microsoft) is unknown for the update in dispute', () => {
    const a = assess('15.1.1415.8');
    assert.equal(statusOf(a, 'CVE-2021-26855'), 'unknown');
    assert.equal(statusOf(assess('15.1.1415.10'), 'CVE-2021-26855'), 'fixed');
  });

  it('reads 1913.10 as ten, not as the decimal .1', () => {
    const ten = assess('15.1.1913.10');
    assert.equal(ten.newestUpdate.name, 'Mar20SU');
    assert.equal(statusOf(ten, 'CVE-2020-0903'), 'fixed');
    const one = assess('15.1.1913.1');
    assert.equal(statusOf(one, 'CVE-2020-0903'), 'exposed');
  });

  it('a build newer than the table says so instead of naming an update', () => {
    const a = assess('15.2.2562.99');
    assert.equal(a.product?.id, 'exchangeSE');
    assert.match(a.newestUpdate.text, /newer than the table: cannot tell/);
    assert.equal(a.newestUpdate.certain, false);
  });

  it('a build newer than the table is never told to install an older update', () => {
    // Each is past every build the table has on its CU; naming the table's newest update would be a downgrade.
    for (const text of ['15.2.2562.900', '15.2.1748.900', '15.1.2507.900', '15.2.2600.1']) {
      const a = assess(text);
      assert.equal(a.newerThanTable, true, text);
      assert.match(a.recommended, /newer than the table: cannot tell/, text);
      assert.doesNotMatch(a.recommended, /install/, text);
    }
    assert.equal(assess('15.2.2562.17').newerThanTable, false, 'a build in the table');
    assert.match(assess('15.2.2562.17').recommended, /^install /);
    assert.equal(assess('15.1.2200.1').newerThanTable, false, 'between two known CUs');
  });

  it('a build no Exchange version has is an input mistake, not a verdict', () => {
    for (const text of ['15.1.21762.2', '16.0.1.1', '15.2.1800.1', '14.3.600.0', '15.1.100.1', '15.2.9000.1']) {
      const reason = notAKnownBuild(table, b(text));
      assert.match(reason ?? '', /not an Exchange build this table knows/, text);
      const a = assess(text);
      assert.equal(a.product, undefined, text);
      assert.deepEqual(a.cves, [], text);
    }
    for (const text of ['15.1.2507.72', '15.2.2562.17', '14.3.513.0', '15.0.1497.48', '15.2.2600.1']) {
      assert.equal(notAKnownBuild(table, b(text)), undefined, text);
    }
  });

  it('updates whose fixes no source lists are named, not guessed', () => {
    const a = assess('15.2.2562.37');
    assert.deepEqual(a.updatesWithUnknownFixes, ['May26HU'], "Jul26SU to Nov26SU and the September re-release are mapped from Microsoft's CVE records");
    assert.equal(statusOf(a, 'CVE-2026-42897'), 'exposed');
    assert.ok(exposedToKnownExploited(a), 'CVE-2026-42897 is known exploited');
  });
});

describe("disputed fixes and the 2026 updates from Microsoft's CVE records", () => {
  it('CVE-2026-45583: a build with Jun26SU but not Jul26SU is disputed, and the advice takes the later update', () => {
    const jun = assess('15.2.2562.43');
    assert.equal(statusOf(jun, 'CVE-2026-45583'), 'disputed');
    const c = jun.cves.find((x) => x.cve === 'CVE-2026-45583');
    assert.match(c?.reason ?? '', /EighTwOne.*Microsoft's CVE record/);
    assert.equal(c?.fix?.build, '15.2.2562.45');
    assert.equal(statusOf(assess('15.2.2562.45'), 'CVE-2026-45583'), 'fixed');
    assert.equal(statusOf(assess('15.2.2562.41'), 'CVE-2026-45583'), 'exposed', 'before either update');
  });

  it('Jul26SU to Nov26SU carry the CVEs their records list, and the table ends at the newest', () => {
    assert.equal(statusOf(assess('15.1.2507.70'), 'CVE-2026-55005'), 'exposed');
    assert.equal(statusOf(assess('15.1.2507.71'), 'CVE-2026-55005'), 'fixed');
    assert.equal(statusOf(assess('15.2.1748.50'), 'CVE-2026-69355'), 'exposed');
    assert.equal(statusOf(assess('15.2.1748.51'), 'CVE-2026-69355'), 'fixed');
    assert.equal(statusOf(assess('15.2.2562.56'), 'CVE-2026-118208'), 'exposed');
    assert.equal(statusOf(assess('15.2.2562.57'), 'CVE-2026-118208'), 'fixed');
    assert.equal(newestBuild(table, 'exchangeSE')?.update, 'Nov26SU');
    assert.deepEqual(assess('15.2.2562.57').updatesWithUnknownFixes, []);
    assert.match(assess('15.2.2562.57').notes.join(' '), /Only Microsoft's CVE records name this build/);
    // Jul26SU's SE build rests on righel alone (Microsoft's page as read ends in May 2026).
    assert.match(
      assess('15.2.2562.45').notes.join(' '),
      /Microsoft's build page, as read, does not list 15\.2\.2562\.45; only ms-exchange-version-nse build table names it/,
    );
    assert.doesNotMatch(assess('15.2.2562.41').notes.join(' '), /does not list/, "May26HU is on Microsoft's page");
  });
});

describe("the September 2026 SU's re-release (CSS-Exchange's dictionary)", () => {
  it('15.2.2562.53 is SE Sep26SUv2: fixed for September, exposed to October, never "newer than the table"', () => {
    const a = assess('15.2.2562.53');
    assert.equal(a.newestUpdate.name, 'Sep26SUv2');
    assert.equal(a.newerThanTable, false);
    assert.equal(statusOf(a, 'CVE-2026-69356'), 'fixed');
    assert.equal(statusOf(a, 'CVE-2026-70279'), 'exposed');
    assert.equal(statusOf(a, 'CVE-2026-96940'), 'fixed');
    assert.match(a.notes.join(' '), /only CSS-Exchange's build dictionary/);
  });

  it("a server on the first September 2026 build is exposed to CVE-2026-96940, whose record names the re-release's builds", () => {
    for (const [build, fix] of [
      ['15.2.2562.49', '15.2.2562.53'],
      ['15.1.2507.73', '15.1.2507.75'],
      ['15.2.1748.51', '15.2.1748.53'],
      ['15.2.1544.46', '15.2.1544.48'],
    ] as const) {
      const a = assess(build);
      assert.equal(statusOf(a, 'CVE-2026-96940'), 'exposed', build);
      assert.equal(a.cves.find((c) => c.cve === 'CVE-2026-96940')?.fix?.build, fix, build);
      assert.ok(!a.updatesWithUnknownFixes.includes('Sep26SUv2'), build);
    }
  });
});

describe('support status', () => {
  it('Exchange SE RTM is serviced; 2016 CU23 is past support and past its ESU window', () => {
    assert.equal(assess('15.2.2562.17').supported.value, true);
    const e16 = assess('15.1.2507.66');
    assert.equal(e16.supported.value, false);
    assert.equal(e16.supported.esu, false);
    assert.match(e16.supported.text, /2025-10-14/);
    assert.equal(assessBuild(table, b('15.1.2507.66'), '2026-06-01').supported.esu, true);
  });

  it('--as-of judges support by the CUs that existed on that date', () => {
    // March 2021: Exchange 2016 CU19 and CU18 were the serviced CUs; CU23 did not exist yet.
    const cu19 = assessBuild(table, b('15.1.2176.2'), '2021-03-10');
    assert.equal(cu19.supported.value, true, cu19.supported.text);
    assert.match(cu19.supported.text, /on 2021-03-10, when Microsoft serviced CU18 and CU19/);
    const cu17 = assessBuild(table, b('15.1.2044.4'), '2021-03-10');
    assert.equal(cu17.supported.value, false);
    assert.match(cu17.supported.text, /CU17 was no longer serviced on 2021-03-10/);
    assert.equal(assessBuild(table, b('15.0.1497.12'), '2021-03-10').supported.value, true, '2013 CU23, its last CU, was serviced then');
  });

  it('an old CU of a supported product is not serviced', () => {
    const a = assessBuild(table, b('15.2.1118.7'), '2025-06-01');
    assert.equal(a.supported.value, false);
    assert.match(a.supported.text, /CU14 and CU15/);
    // Before CU15 (2025-02-10) existed, CU13 and CU14 were the serviced ones.
    assert.match(assessBuild(table, b('15.2.1118.7'), '2025-01-01').supported.text, /CU13 and CU14/);
  });
});

// CISA's catalogue, its Exchange entries extracted with their source (data/exchange/kev-exchange.json).
interface KevEntry {
  cveID: string;
  dateAdded: string;
  knownRansomwareCampaignUse: string;
}
const KEV = JSON.parse(readFileSync(new URL('../../../data/exchange/kev-exchange.json', import.meta.url), 'utf8')) as { entries: KevEntry[] };

describe("product lists as Microsoft's records give them", () => {
  it('CVE-2019-0586 and CVE-2019-0588 are fixed on Exchange 2019 RTM by its January 2019 update (KB4471389)', () => {
    for (const cve of ['CVE-2019-0586', 'CVE-2019-0588']) {
      const rtm = assess('15.2.221.12');
      assert.equal(statusOf(rtm, cve), 'exposed', cve);
      assert.equal(rtm.cves.find((c) => c.cve === cve)?.fix?.build, '15.2.221.14', cve);
      assert.equal(statusOf(assess('15.2.221.14'), cve), 'fixed', cve);
      assert.equal(statusOf(assess('15.2.330.5'), cve), 'fixed', `${cve}: 2019 CU1 came after`);
    }
  });

  it("CVE-2019-0586 is not put on Exchange 2013, which Microsoft's record does not list (Health Checker does)", () => {
    const cu21 = assess('15.0.1395.4');
    assert.equal(
      cu21.cves.some((c) => c.cve === 'CVE-2019-0586'),
      false,
    );
    assert.equal(statusOf(cu21, 'CVE-2019-0588'), 'exposed', 'the other January 2019 CVE is listed for 2013');
    assert.equal(statusOf(assess('15.1.1531.3'), 'CVE-2019-0586'), 'exposed', '2016 CU10 is listed');
  });
});

describe("CISA's known-exploited catalogue", () => {
  it('every Exchange CVE in the catalogue is flagged known exploited, with the date CISA added it', () => {
    assert.ok(KEV.entries.length >= 17, `${KEV.entries.length} Exchange entries`);
    for (const e of KEV.entries) {
      const info = table.security.cves[e.cveID];
      assert.ok(info, `${e.cveID} is in the CVE map`);
      assert.equal(info.knownExploited?.dateAdded, e.dateAdded, e.cveID);
      assert.equal(info.knownExploited?.ransomware, e.knownRansomwareCampaignUse, e.cveID);
    }
  });

  it('nothing is said to be in the catalogue that the catalogue does not list', () => {
    const listed = new Set(KEV.entries.map((e) => e.cveID));
    for (const [cve, info] of Object.entries(table.security.cves))
      if (info.knownExploited?.source === 'cisa-kev') assert.ok(listed.has(cve), `${cve} names CISA's catalogue as its source`);
  });

  it('CVE-2020-17144 on Exchange 2010 before its fix is exposed to a known-exploited CVE', () => {
    const a = assess('14.3.496.0');
    const c = a.cves.find((x) => x.cve === 'CVE-2020-17144');
    assert.equal(c?.status, 'exposed');
    assert.equal(c?.knownExploited, true);
    assert.equal(c?.kevDateAdded, '2021-11-03');
    assert.ok(exposedToKnownExploited(a));
  });
});

describe('waves', () => {
  it('gives the ProxyLogon window from first exploitation for a server still exposed', () => {
    const w = assess('15.1.2176.2').waves.find((x) => x.wave === 'proxylogon');
    assert.equal(w?.status, 'exposed');
    assert.equal(w?.from, '2021-01-06');
    assert.equal(w?.to, null);
  });
});
