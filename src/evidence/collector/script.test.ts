import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectorScript, windowForDays } from './script.js';
import { codeOnly, lintCollector } from './test-helpers/ps-lint.js';

const WINDOW = { from: '2021-02-20T00:00:00.000Z', to: '2021-03-31T00:00:00.000Z' };

test('the script carries the window, the size limit and the version as its defaults', () => {
  const script = collectorScript({ window: WINDOW, maxTotalMb: 4096 });
  assert.match(script, /\[datetime\]\$From = '2021-02-20T00:00:00\.000Z'/);
  assert.match(script, /\[datetime\]\$To = '2021-03-31T00:00:00\.000Z'/);
  assert.match(script, /\[long\]\$MaxTotalMB = 4096\r\n/);
  assert.doesNotMatch(script, /\{\{\w+\}\}/);
  assert.ok(!/[^\r]\n/.test(script), 'Windows line ends throughout');
});

test('the shipped script passes the lint: strict mode, no aliases, no network, no change to the server, writes only to its output', () => {
  assert.deepEqual(lintCollector(collectorScript({ window: WINDOW, maxTotalMb: 1024 })), []);
});

test('the script gathers what exir reads', () => {
  const script = collectorScript({ window: WINDOW, maxTotalMb: 1024 });
  for (const wanted of [
    'Logging\\HttpProxy',
    'Logging\\ECP',
    'Logging\\OABGeneratorLog',
    'Powershell-Proxy\\Http',
    'Powershell-Proxy\\Cmdlet',
    'Logging\\Ews',
    'MessageTracking',
    'applicationHost.config',
    "'Security'",
    "'MSExchange Management'",
    'Microsoft-Windows-Sysmon/Operational',
    'Microsoft-Windows-PowerShell/Operational',
    'Microsoft-Windows-Windows Defender/Operational',
    'aspnet_client',
    'Temporary ASP.NET Files',
    'ExSetup.exe',
    'Get-ExchangeServer',
    "FileShare]'ReadWrite, Delete'",
    'manifest.json',
  ]) {
    assert.ok(script.includes(wanted), `script should gather ${wanted}`);
  }
});

test('the lint catches each rule it stands for', () => {
  const base = "param(\n  [string]$OutDir = 'x'\n)\nSet-StrictMode -Version 2.0\n$Work = Join-Path -Path $OutDir -ChildPath 'w'\n";
  const rules = (body: string): string[] => lintCollector(base + body).map((p) => p.rule);
  assert.deepEqual(rules("$t = Join-Path -Path $Work -ChildPath 'a.csv'\n$rows | Export-Csv -LiteralPath $t\n"), []);
  assert.deepEqual(rules('gci -Recurse\n'), ['alias']);
  assert.deepEqual(rules('$x | % { $_ }\n'), ['alias']);
  assert.deepEqual(rules('$x | where { $_ }\n'), ['alias']);
  assert.deepEqual(rules("Invoke-WebRequest -Uri 'https://example.org'\n"), ['network']);
  assert.deepEqual(rules('$c = New-Object Net.WebClient\n'), ['network']);
  assert.deepEqual(rules("Copy-Item -LiteralPath 'x' -Destination '\\\\share\\drop'\n"), ['network', 'changes-server']);
  assert.deepEqual(rules("Set-ItemProperty -Path 'HKLM:\\x' -Name y -Value 1\n"), ['changes-server']);
  assert.deepEqual(rules('Stop-Service -Name MSExchangeIS\n'), ['changes-server']);
  assert.deepEqual(rules('& wevtutil.exe cl Security\n'), ['changes-server']);
  assert.deepEqual(rules("$rows | Export-Csv -LiteralPath 'C:\\Windows\\x.csv'\n"), ['write-outside-output']);
  assert.deepEqual(rules('Remove-Item -LiteralPath $env:TEMP -Recurse\n'), ['write-outside-output']);
  assert.deepEqual(rules("[IO.File]::WriteAllText('C:\\x.txt', 'y')\n"), ['write-outside-output']);
  assert.deepEqual(rules('[IO.File]::WriteAllText("$Work\\x.txt", \'y\')\n'), []);
  assert.deepEqual(rules("# gci in a comment, Invoke-WebRequest too\n$s = 'gci | iex'\n"), []);
  assert.deepEqual(
    lintCollector('param(\n)\n$x = 1\nSet-StrictMode -Version 2.0\n').map((p) => p.rule),
    ['strict-mode'],
  );
  assert.deepEqual(rules("Write-Host 'caf\u00e9'\n"), ['not-ascii']);
});

test('comments and strings are set aside, a double-quoted string keeps its variables', () => {
  assert.equal(codeOnly('a # b\n<# c\nd #>e \'f\' "$g h"'), 'a    \n    \n    e \' \' "$g  "');
});

test('--days gives whole UTC days up to the end of today', () => {
  assert.deepEqual(windowForDays(30, new Date('2021-03-10T15:00:00Z')), { from: '2021-02-08T00:00:00.000Z', to: '2021-03-11T00:00:00.000Z' });
});

test('a window that ends before it starts, or a bad limit, is refused', () => {
  assert.throws(() => collectorScript({ window: { from: WINDOW.to, to: WINDOW.from }, maxTotalMb: 1 }), /must end after/);
  assert.throws(() => collectorScript({ window: WINDOW, maxTotalMb: 0 }), /whole number/);
});
