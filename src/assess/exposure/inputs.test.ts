import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { readBuildArgument, readBuildInput } from './inputs.js';
import { formatBuild } from './version.js';
import { corpusMissing, skipIf } from '../../test-support/skips.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/css-exchange-healthchecker-testdata/', import.meta.url));

describe('a build as people paste it', () => {
  for (const [text, expected, kind] of [
    ['15.1.2176.9', '15.1.2176.9', 'build'],
    ['15.01.2176.009', '15.1.2176.9', 'build'],
    ['  15.02.0986.005 ', '15.2.986.5', 'build'],
    ['Version 15.1 (Build 2176.9)', '15.1.2176.9', 'admin-display-version'],
    ['version 15.2 (build 986.5)', '15.2.986.5', 'admin-display-version'],
    ['15.1.2176', '15.1.2176', 'cu-build'],
  ] as const) {
    it(`"${text}"`, () => {
      const r = readBuildArgument(text, 1);
      assert.ok(r);
      assert.equal(formatBuild(r.build), expected);
      assert.equal(r.kind, kind);
    });
  }

  for (const bad of ['15.1', '15.1.2176.9.1', '15,1,2176,9', '15.1.2176.x', 'Version 15.1', '', '1e3.1.1.1', '15.1.-2176.9']) {
    it(`refuses "${bad}"`, () => assert.equal(readBuildArgument(bad, 1), undefined));
  }
});

describe('CliXml', () => {
  for (const [file, expected] of [
    ['E19_ExSetup.xml', '15.2.986.5'],
    ['E19_ExSetup1.xml', '15.2.1118.25'],
    ['E16_ExSetup.xml', '15.1.2375.7'],
  ] as const) {
    it(`reads ExSetup FileVersionInfo from the HealthChecker sample ${file}`, (t) => {
      if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
      const r = readBuildInput(readFileSync(`${CORPUS}${file}`, 'utf8'), file);
      assert.equal(r.format, 'clixml');
      assert.deepEqual(r.warnings, []);
      assert.equal(r.readings.length, 1);
      assert.equal(formatBuild(r.readings[0]!.build), expected);
      assert.equal(r.readings[0]!.kind, 'exsetup');
      assert.equal(r.readings[0]!.build.precision, 'full');
    });
  }

  it('reads the AdminDisplayVersion sample as CU-only', (t) => {
    const file = `${CORPUS}E19CU11AdminDisplayVersion.xml`;
    if (skipIf(t, 'corpus', corpusMissing(file))) return;
    const r = readBuildInput(readFileSync(file, 'utf8'), 'adv.xml');
    assert.equal(r.readings.length, 1);
    assert.equal(formatBuild(r.readings[0]!.build), '15.2.986.5');
    assert.equal(r.readings[0]!.kind, 'admin-display-version');
    assert.equal(r.readings[0]!.build.precision, 'cu');
  });

  it('reads Get-ExchangeServer objects with names, and Get-Command ExSetup with a nested FileVersionInfo', () => {
    const xml = `\ufeff<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0"><TN RefId="0"><T>Microsoft.Exchange.Data.Directory.Management.ExchangeServer</T></TN>
    <Props><S N="Name">EX01</S><S N="Fqdn">ex01.corp.example</S>
      <Obj N="AdminDisplayVersion" RefId="1"><TN RefId="1"><T>Microsoft.Exchange.Data.ServerVersion</T></TN><ToString>Version 15.1 (Build 2176.2)</ToString>
        <Props><I32 N="Major">15</I32><I32 N="Minor">1</I32><I32 N="Build">2176</I32><I32 N="Revision">2</I32></Props></Obj>
    </Props></Obj>
  <Obj RefId="2"><TNRef RefId="0" /><Props><S N="Name">EX&amp;02</S><S N="AdminDisplayVersion">Version 15.2 (Build 1748.10)</S></Props></Obj>
  <Obj RefId="3"><TN RefId="3"><T>System.Management.Automation.ApplicationInfo</T></TN>
    <Props><S N="PSComputerName">EX03</S><Obj N="FileVersionInfo" RefId="4"><TN RefId="4"><T>System.Diagnostics.FileVersionInfo</T></TN>
      <Props><S N="FileVersion">15.02.1748.037</S></Props></Obj></Props></Obj>
</Objs>`;
    const r = readBuildInput(xml, 'servers.xml');
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(
      r.readings.map((x) => [x.server, formatBuild(x.build), x.kind]),
      [
        ['ex01.corp.example', '15.1.2176.2', 'admin-display-version'],
        ['EX&02', '15.2.1748.10', 'admin-display-version'],
        ['EX03', '15.2.1748.37', 'exsetup'],
      ],
    );
  });

  it('warns on malformed CliXml and on objects with no build, with their place', () => {
    const broken = readBuildInput('<Objs><Obj><Props><S N="Name">x</S></Props></Objx></Objs>', 'broken.xml');
    assert.equal(broken.readings.length, 0);
    assert.match(broken.warnings[0]?.message ?? '', /unreadable CliXml: end tag/);
    const empty = readBuildInput('<Objs><Obj RefId="0"><TN RefId="0"><T>Foo</T></TN><Props><S N="Name">x</S></Props></Obj></Objs>', 'foo.xml');
    assert.equal(empty.warnings[0]?.where, 'foo.xml object 1');
  });

  it('refuses DOCTYPE (no entity expansion from evidence)', () => {
    const r = readBuildInput('<Objs><!DOCTYPE x [<!ENTITY a "b">]></Objs>', 'dtd.xml');
    assert.equal(r.readings.length, 0);
    assert.match(r.warnings[0]?.message ?? '', /DOCTYPE/);
  });
});

describe('Format-List text', () => {
  it('reads Get-ExchangeServer | Format-List, one record per server', () => {
    const text = [
      '',
      'Name                : MBX01',
      'Edition             : Enterprise',
      'AdminDisplayVersion : Version 15.2 (Build 1748.10)',
      '',
      'Name                : MBX02',
      'Edition             : Enterprise',
      'AdminDisplayVersion : Version 15.1 (Build 2507.6)',
      '',
      'Name                : EDGE01',
      'Edition             : Standard',
      'AdminDisplayVersion : not a version',
    ].join('\r\n');
    const r = readBuildInput(text, 'fl.txt');
    assert.equal(r.format, 'format-list');
    assert.deepEqual(
      r.readings.map((x) => [x.server, formatBuild(x.build), x.kind, x.origin]),
      [
        ['MBX01', '15.2.1748.10', 'admin-display-version', 'fl.txt:4'],
        ['MBX02', '15.1.2507.6', 'admin-display-version', 'fl.txt:8'],
      ],
    );
    assert.deepEqual(r.warnings, [{ where: 'fl.txt:12', message: '"not a version" is not a build' }]);
  });

  it('reads Get-Command ExSetup | Format-List FileVersionInfo output', () => {
    const text =
      'OriginalFilename : ExSetup.exe\nFileDescription  :\nProductName      : Microsoft® Exchange\nFileName         : C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\ExSetup.exe\nFileVersion      : 15.02.0986.005\nProductVersion   : 15.02.0986.005\n';
    const r = readBuildInput(text, 'exsetup.txt');
    assert.equal(r.readings.length, 1);
    assert.equal(r.readings[0]!.kind, 'exsetup');
    assert.equal(formatBuild(r.readings[0]!.build), '15.2.986.5');
  });
});

describe('plain text', () => {
  it('reads the table Get-Command ExSetup prints, and "server build" lines', () => {
    const text = [
      'ProductVersion   FileVersion          FileName',
      '--------------   -----------          --------',
      '15.02.1748.037   15.02.1748.037       C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\ExSetup.exe',
      'EX01 15.1.2176.9',
      'EX02,15.0.1497.12',
      'nothing here',
    ].join('\n');
    const r = readBuildInput(text, 'paste.txt');
    assert.deepEqual(
      r.readings.map((x) => [x.server, formatBuild(x.build), x.kind]),
      [
        [undefined, '15.2.1748.37', 'exsetup'],
        ['EX01', '15.1.2176.9', 'build'],
        ['EX02', '15.0.1497.12', 'build'],
      ],
    );
    assert.deepEqual(r.warnings, [{ where: 'paste.txt:6', message: 'no build on this line' }]);
  });
});

describe('CSV inventory', () => {
  it('prefers the ExSetup column, falls back to AdminDisplayVersion, warns on empty rows', () => {
    const csv = [
      'Server;AdminDisplayVersion;FileVersion;Site',
      'EX01;Version 15.2 (Build 792.3);15.02.0792.010;JE',
      'EX02;Version 15.1 (Build 2176.2);;"St Helier; JE"',
      '"=HYPERLINK(""x"")";;15.0.1497.12;GG',
      'EX04;;;GG',
      'EX05;garbage;;GG',
    ].join('\r\n');
    const r = readBuildInput(csv, 'inv.csv');
    assert.equal(r.format, 'csv');
    assert.deepEqual(
      r.readings.map((x) => [x.server, formatBuild(x.build), x.kind, x.origin]),
      [
        ['EX01', '15.2.792.10', 'exsetup', 'inv.csv:2'],
        ['EX02', '15.1.2176.2', 'admin-display-version', 'inv.csv:3'],
        ['=HYPERLINK("x")', '15.0.1497.12', 'exsetup', 'inv.csv:4'],
      ],
    );
    assert.deepEqual(r.warnings, [
      { where: 'inv.csv:5', message: 'row has no build value' },
      { where: 'inv.csv:6', message: 'no build in "garbage"' },
    ]);
  });

  it('keeps line numbers right across quoted line breaks', () => {
    const csv = 'name,build\n"EX\n01",15.1.2176.9\nEX02,15.1.2176.2\n';
    const r = readBuildInput(csv, 'q.csv');
    assert.deepEqual(
      r.readings.map((x) => x.origin),
      ['q.csv:2', 'q.csv:4'],
    );
  });
});
