import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consoleReport } from './console.js';
import { HOSTILE, sampleResult } from './test-support/sample-result.js';

// Colour is off when stdout is not a terminal, as under the test runner, so the text is compared as is.

test('a server block: verdict, why, what would change it, stages, IPs, sessions, mailboxes, gaps', () => {
  const text = consoleReport(sampleResult());
  assert.match(text, /^EX01: POST-EXPLOITATION\n  A web shell was used after the SSRF\.\n  What would change it: Evidence that the shell file never existed\.\n/);
  assert.match(text, /\n  findings by stage: probe 1, exploit-attempt 1, post-exploitation 1\n/);
  assert.match(text, /\n  attacker activity: 2021-03-03 02:15:00 GMT to 2021-03-03 02:40:00 GMT\n/);
  assert.match(text, /\n  attacker IPs: 203\.0\.113\.7\n/);
  assert.match(text, /\n    S1: 203\.0\.113\.7 from .* reached post-exploitation; 1 finding\(s\), 1 other record\(s\); web shell \/aspnet_client\/shell\.aspx\n/);
  assert.match(text, /\n    reachable every mailbox on the server: SYSTEM on the server can open every mailbox\n/);
  assert.match(text, /\n  what the evidence cannot see:\n    ! No IIS log before 3 March 2021\.\n/);
});

test('top findings: the highest stage first, a known scanner last with why it counts for less', () => {
  const text = consoleReport(sampleResult());
  const top = text.slice(text.indexOf('  top findings:'));
  const order = ['Web shell used', 'ProxyLogon SSRF', 'ProxyLogon probe'].map((t) => top.indexOf(t));
  assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!)), `order ${order.join(', ')}`);
  assert.match(top, /ProxyLogon probe \[CVE-2021-26855\] from 198\.51\.100\.1 \(a known scanner \(test\)\)\n/);
  assert.match(top, /Web shell used \[CVE-2021-27065\] from 203\.0\.113\.7 as NT AUTHORITY\\SYSTEM\n      EX01\/W3SVC1\/u_ex210303\.log:40\n/);
});

test('what was read, what was not, the rules, the warnings, and the zone the times are in', () => {
  const text = consoleReport(sampleResult());
  assert.match(text, /\nRead 2 file\(s\): 1 log\(s\) with 40 record\(s\), 1 unreadable record\(s\); 1 other file\(s\) hashed and listed only\. Rules: 60 loaded, 1 not loaded, 2 for logs exir does not read\.\n/);
  assert.match(text, /\n2 warning\(s\) \(on stderr; all are in the JSON output\)\.\n/);
  assert.match(text, /Times are shown in Europe\/Jersey; the JSON output holds them in UTC\.\n$/);
});

test('times follow the zone asked for, and the next report does not inherit it', () => {
  assert.match(consoleReport(sampleResult(), 'America/New_York'), /attacker activity: 2021-03-02 21:15:00 GMT-5 to/);
  assert.match(consoleReport(sampleResult()), /attacker activity: 2021-03-03 02:15:00 GMT to/);
});

test('evidence text reaches the terminal inert', () => {
  const result = sampleResult();
  result.servers[0]!.summary = HOSTILE;
  const text = consoleReport(result);
  assert.ok(!text.includes('\u202e') && !text.includes('\u001b'), 'no raw bidi override or escape');
});

test('no log recognised: said plainly', () => {
  const result = { ...sampleResult(), servers: [], evidence: [] };
  assert.match(consoleReport(result), /^No Exchange or IIS log was recognised in the evidence\.\n\nRead 0 file\(s\): 0 log\(s\) with 0 record\(s\)\. Rules: 60 loaded/);
});
