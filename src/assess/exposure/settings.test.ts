import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessBuild, exposedToKnownExploited, type BuildAssessment, type CveStatus } from './evaluate.js';
import { applySettings, factsFor, loadSettings, readSettingsInput, type SettingFact } from './settings.js';
import { loadTable } from './table.js';
import { mustParse } from './version.js';

const table = loadTable();
const settings = loadSettings();
const TODAY = '2026-11-28';

function clixml(...objects: string[]): string {
  return `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">${objects.join('')}</Objs>`;
}

function obj(type: string, props: string): string {
  return `<Obj><TN><T>${type}</T><T>System.Object</T></TN><Props>${props}</Props></Obj>`;
}

function statusOf(a: BuildAssessment, cve: string): CveStatus | undefined {
  return a.cves.find((c) => c.cve === cve)?.status;
}

function read(xml: string): SettingFact[] {
  const r = readSettingsInput(xml, 'export.xml', settings);
  assert.deepEqual(r.warnings, []);
  return r.facts;
}

describe('reading settings from saved exports', () => {
  it('Get-OrganizationConfig: Download Domains and Emergency Mitigation', () => {
    const facts = read(
      clixml(
        obj('Microsoft.Exchange.Data.Directory.Management.OrganizationConfig', '<B N="EnableDownloadDomains">false</B><B N="MitigationsEnabled">true</B>'),
      ),
    );
    assert.deepEqual(
      facts.map((f) => [f.setting, f.server, f.value]),
      [
        ['download-domains', undefined, false],
        ['eems', undefined, true],
      ],
    );
    assert.match(facts[0]?.evidence ?? '', /EnableDownloadDomains false \(export\.xml object 1\)/);
  });

  it("Health Checker's XML: Extended Protection per server, found at any depth", () => {
    const hc = obj(
      'System.Management.Automation.PSCustomObject',
      `<S N="ServerName">EX01</S><Obj N="ExchangeInformation"><TN><T>System.Object</T></TN><Props>${''}<Obj N="ExtendedProtectionConfig"><TN><T>System.Object</T></TN><Props><B N="ExtendedProtectionConfigured">false</B></Props></Obj></Props></Obj>`,
    );
    const facts = read(clixml(hc));
    assert.deepEqual(
      facts.map((f) => [f.setting, f.server, f.value]),
      [['extended-protection', 'EX01', false]],
    );
    assert.deepEqual(factsFor(facts, 'ex01.contoso.com').length, 1, 'the short name matches the FQDN');
    assert.deepEqual(factsFor(facts, 'EX02').length, 0, 'another server is not told about EX01');
  });

  it('Get-WebConfiguration: Extended Protection is on when any virtual directory has it, as Health Checker counts it', () => {
    const vdir = (v: string): string =>
      obj('Microsoft.IIs.PowerShell.Framework.ConfigurationElement', `<S N="tokenChecking">${v}</S><S N="PSComputerName">EX01</S>`);
    assert.equal(read(clixml(vdir('None'), vdir('Require')))[0]?.value, true);
    assert.equal(read(clixml(vdir('None'), vdir('None')))[0]?.value, false);
  });

  it('Get-SettingOverride: the dedicated hybrid application override, present or absent', () => {
    const override = (section: string, params: string): string =>
      obj(
        'Microsoft.Exchange.Data.Directory.SystemConfiguration.SettingOverride',
        `<S N="Name">x</S><S N="ComponentName">Global</S><S N="SectionName">${section}</S><S N="Parameters">${params}</S>`,
      );
    const on = read(clixml(override('ExchangeOnpremAsThirdPartyAppId', 'Enabled=true')));
    assert.deepEqual(
      on.map((f) => [f.setting, f.value]),
      [['hybrid-app', true]],
    );
    const off = read(clixml(override('SomethingElse', 'Enabled=true')));
    assert.deepEqual(
      off.map((f) => [f.setting, f.value]),
      [['hybrid-app', false]],
    );
    assert.match(off[0]?.evidence ?? '', /absent/);
    const disabled = read(clixml(override('ExchangeOnpremAsThirdPartyAppId', 'Enabled=false')));
    assert.deepEqual(
      disabled.map((f) => [f.setting, f.value]),
      [['hybrid-app', false]],
    );
    assert.match(disabled[0]?.evidence ?? '', /present without Enabled=true/);
  });

  it('an export that shows no setting gives no facts, and plain text is not read as one', () => {
    assert.deepEqual(read(clixml(obj('System.Diagnostics.FileVersionInfo', '<S N="FileVersion">15.02.0986.005</S>'))), []);
    assert.deepEqual(read('EnableDownloadDomains : False'), []);
  });
});

describe('what the settings change', () => {
  const ep = (value: boolean): SettingFact => ({ setting: 'extended-protection', server: undefined, value, evidence: 'ExtendedProtectionConfigured (test)' });

  it('Exchange 2016 CU23: CVE-2024-21410 needs configuration until an export shows Extended Protection on or off', () => {
    const a = assessBuild(table, mustParse('15.1.2507.66'), TODAY);
    assert.equal(statusOf(a, 'CVE-2024-21410'), 'needs-config');
    const off = applySettings(table, a, [ep(false)], settings);
    assert.equal(statusOf(off, 'CVE-2024-21410'), 'exposed');
    assert.equal(off.cves.find((c) => c.cve === 'CVE-2024-21410')?.fix?.text, 'turn on Extended Protection');
    assert.ok(exposedToKnownExploited(off), 'CVE-2024-21410 is known exploited');
    const on = applySettings(table, a, [ep(true)], settings);
    assert.equal(statusOf(on, 'CVE-2024-21410'), 'fixed');
    assert.deepEqual(on.cves.find((c) => c.cve === 'CVE-2024-21410')?.configured, { value: true, evidence: 'ExtendedProtectionConfigured (test)' });
  });

  it('a build that lacks the update stays exposed whatever the setting says', () => {
    const a = assessBuild(table, mustParse('15.2.1118.9'), TODAY); // 2019 CU12 May22SU, before Aug22SU
    assert.equal(statusOf(a, 'CVE-2022-24516'), 'exposed');
    assert.equal(statusOf(applySettings(table, a, [ep(true)], settings), 'CVE-2022-24516'), 'exposed');
  });

  it('CVE-2024-21410 on Exchange 2019 below CU14: needs configuration with Aug22SU, exposed without it', () => {
    assert.equal(statusOf(assessBuild(table, mustParse('15.2.1118.12'), TODAY), 'CVE-2024-21410'), 'needs-config');
    assert.equal(statusOf(assessBuild(table, mustParse('15.2.1118.9'), TODAY), 'CVE-2024-21410'), 'exposed');
  });

  it('CVE-2025-53786 on Subscription Edition: every SE build has the code and needs the hybrid application, which an export decides', () => {
    const hybrid = (value: boolean): SettingFact => ({ setting: 'hybrid-app', server: undefined, value, evidence: 'Get-SettingOverride (test)' });
    for (const build of ['15.2.2562.17', '15.2.2562.57']) {
      const a = assessBuild(table, mustParse(build), TODAY);
      assert.equal(statusOf(a, 'CVE-2025-53786'), 'fixed-needs-config', build);
      assert.equal(statusOf(applySettings(table, a, [hybrid(false)], settings), 'CVE-2025-53786'), 'exposed', build);
      assert.equal(statusOf(applySettings(table, a, [hybrid(true)], settings), 'CVE-2025-53786'), 'fixed', build);
    }
  });

  it('CVE-2021-1730 needs Download Domains from 2016 CU18 on, and cannot be fixed below it', () => {
    assert.equal(statusOf(assessBuild(table, mustParse('15.1.2106.2'), TODAY), 'CVE-2021-1730'), 'fixed-needs-config');
    const below = assessBuild(table, mustParse('15.1.2044.8'), TODAY);
    assert.equal(statusOf(below, 'CVE-2021-1730'), 'exposed');
    assert.match(below.cves.find((c) => c.cve === 'CVE-2021-1730')?.fix?.text ?? '', /CU23|CU18/);
  });
});
