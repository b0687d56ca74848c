import assert from 'node:assert/strict';
import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scan } from './run.js';

// The everyday twins of what the rules look for, mixed in one server's bundle: stock Exchange pages
// answering 200, an administrator setting virtual directories, ASP.NET compiling pages under w3wp,
// WER under w3wp, w3wp's own directory, back-end, SMTP and SIP connections, everyday logons,
// Exchange's setup and Management Shell writing agents.config, compiled pages written to Temporary
// ASP.NET Files and pages ASP.NET compiled there, addresses near a published attacker's, health mailboxes logging on over the network, an Exchange update writing OWA pages, Exchange creating its health mailbox, a user
// creating their own inbox rule, a published calendar read, Exchange's health probes on the paths the
// attacks use. Each is a rule's near miss; together they must leave every server clean.
const RULES = fileURLToPath(new URL('../../rules/sigma/', import.meta.url));
const PROBE_SEEN_AS_ATTACK = 'EX01/HttpProxy/PowerShell/HttpProxy_2022121411-1.LOG';
const HEALTH_PROBE_CLASSIFIERS = ['benign/iis-exchange-health-probes.yml', 'benign/httpproxy-exchange-health-probes.yml'];
const TWINS: [string, string][] = [
  ['webshell/iis-dropzone-page-present.tests/nomatch/stock-pages-get-200.log', 'EX01/W3SVC1/u_ex210303.log'],
  ['webshell/httpproxy-dropzone-page-present.tests/nomatch/stock-owa-pages-200.LOG', 'EX01/HttpProxy/Owa/HttpProxy_2021030409-1.LOG'],
  ['proxylogon/ecp-server-set-vdir-script-tag.tests/nomatch/admin-set-owa-and-oab-vdir.LOG', 'EX01/ECP/Server/ECPServer2021030300-1.LOG'],
  ['windows/post-exploitation/proc-exchange-worker-spawns-shell.tests/nomatch/sysmon-w3wp-csc-compile.jsonl', 'EX01/events/csc.jsonl'],
  ['windows/post-exploitation/proc-exchange-worker-spawns-shell.tests/nomatch/sysmon-w3wp-werfault.jsonl', 'EX01/events/wer.jsonl'],
  ['windows/post-exploitation/file-webshell-in-exchange-web-folder.tests/nomatch/cu-install-writes-owa-pages.jsonl', 'EX01/events/cu.jsonl'],
  ['windows/post-exploitation/proc-exchange-web-server-unexpected-child.tests/nomatch/sysmon-w3wp-cvtres.jsonl', 'EX01/events/cvtres.jsonl'],
  ['windows/post-exploitation/net-exchange-web-server-tunnel-port.tests/nomatch/sysmon3-w3wp-ldap-to-dc.jsonl', 'EX01/events/ldap.jsonl'],
  [
    'windows/post-exploitation/proc-access-exchange-web-server-write-access.tests/nomatch/w3wp-spawns-csc-and-reads-a-process.jsonl',
    'EX01/events/access.jsonl',
  ],
  ['windows/post-exploitation/proc-app-pool-child-runs-as-system.tests/nomatch/app-pool-children-and-system-services.jsonl', 'EX01/events/apppool.jsonl'],
  ['windows/post-exploitation/net-exchange-web-server-tunnel-port.tests/nomatch/sysmon3-w3wp-backend-444.jsonl', 'EX01/events/backend.jsonl'],
  [
    'windows/post-exploitation/file-exchange-web-server-writes-script-or-program.tests/nomatch/sysmon11-w3wp-compiled-page-dll.jsonl',
    'EX01/events/compiled.jsonl',
  ],
  ['windows/post-exploitation/file-exchange-web-server-writes-script-or-program.tests/nomatch/sysmon11-w3wp-writes-log.jsonl', 'EX01/events/log.jsonl'],
  [
    'windows/post-exploitation/security-exchange-web-server-explicit-credentials.tests/nomatch/security-4624-type3-no-process.jsonl',
    'EX01/events/healthlogon.jsonl',
  ],
  ['windows/persistence/proc-iis-vdir-into-user-writable-folder.tests/nomatch/sysmon1-appcmd-add-vdir-inetpub.jsonl', 'EX01/events/vdir.jsonl'],
  // Logons the server sees every day: clients' network logons naming no process, lsass's own, the
  // application pools' service logons, and IIS basic authentication (type 8) in w3wp.
  [
    'windows/post-exploitation/security-exchange-web-server-network-logon.tests/nomatch/security-4624-type3-client-logons-no-process.jsonl',
    'EX01/events/clientlogons.jsonl',
  ],
  [
    'windows/post-exploitation/security-exchange-web-server-network-logon.tests/nomatch/security-4624-type3-lsass-and-app-pool-service-logon.jsonl',
    'EX01/events/lsass.jsonl',
  ],
  [
    'windows/post-exploitation/security-exchange-web-server-network-logon.tests/nomatch/security-4624-type8-w3wp-basic-auth.jsonl',
    'EX01/events/basicauth.jsonl',
  ],
  ['windows/post-exploitation/security-exchange-web-server-network-logon.tests/nomatch/security-4624-type5-w3wp-service.jsonl', 'EX01/events/poollogon.jsonl'],
  // w3wp and the UM worker on the ports Exchange uses: the directory, RPC's dynamic ports, other
  // Exchange servers, SMTP, SIP, voice mail's RTP over UDP.
  ['windows/post-exploitation/net-exchange-web-server-unusual-port.tests/nomatch/sysmon3-w3wp-directory-and-rpc-dynamic.jsonl', 'EX01/events/directory.jsonl'],
  ['windows/post-exploitation/net-exchange-web-server-unusual-port.tests/nomatch/sysmon3-w3wp-other-exchange-servers.jsonl', 'EX01/events/exchangepeers.jsonl'],
  ['windows/post-exploitation/net-exchange-web-server-unusual-port.tests/nomatch/sysmon3-umworker-sip-and-rtp.jsonl', 'EX01/events/um.jsonl'],
  // Exchange's own writers of agents.config: setup, an update, and the Management Shell's cmdlets in w3wp.
  [
    'windows/persistence/file-transport-agents-config-written-outside-exchange.tests/nomatch/sysmon11-exchange-setup-and-update-write-agents-config.jsonl',
    'EX01/events/setupagents.jsonl',
  ],
  [
    'windows/persistence/file-transport-agents-config-written-outside-exchange.tests/nomatch/sysmon11-management-shell-installs-agent.jsonl',
    'EX01/events/emsagents.jsonl',
  ],
  ['windows/post-exploitation/proc-exchange-logs-cleared.tests/nomatch/sysmon1-copy-logging-for-collection.jsonl', 'EX01/events/collect.jsonl'],
  ['windows/other-exploits/msexchange-management-get-app-invalidcast-cve-2021-42321.tests/nomatch/get-app-failed-not-found.jsonl', 'EX01/events/getapp.jsonl'],
  ['windows/post-exploitation/security-account-created-by-system.tests/nomatch/exchange-creates-health-mailbox.jsonl', 'EX01/events/health.jsonl'],
  ['other-exploits/iis-proxytoken-inbox-rule-newobject.tests/nomatch/user-creates-own-rule-200-and-getlist.log', 'EX01/W3SVC1/u_ex210901.log'],
  ['other-exploits/iis-owa-calendar-post-cve-2021-28480.tests/nomatch/published-calendar-get-and-refused-post.log', 'EX01/W3SVC1/u_ex210513.log'],
  // Exchange's health probes (Managed Availability's AMProbe agents, HealthMailbox accounts, the
  // back-end probes and the WinRM client) on the paths the attacks use.
  ['benign/iis-exchange-health-probes.tests/match/amprobe-local-clientaccess.log', 'EX01/W3SVC1/u_ex211009.log'],
  ['benign/httpproxy-exchange-health-probes.tests/match/healthmailbox-probes.LOG', 'EX01/HttpProxy/Ecp/HttpProxy_2021100900-1.LOG'],
  // A Remote PowerShell probe the OWASSRF rule matches: only the health-probe classifier keeps it benign.
  ['benign/httpproxy-exchange-health-probes.tests/match/healthmailbox-powershell-probe-kerberos.LOG', PROBE_SEEN_AS_ATTACK],
  ['proxylogon/httpproxy-serverinfo-anchor-ssrf.tests/nomatch/healthmailbox-serverversion-anchor.LOG', 'EX01/HttpProxy/Ews/HttpProxy_2021030400-1.LOG'],
  ['proxynotshell/httpproxy-owassrf-owa-powershell.tests/nomatch/owa-powershell-backend-probe.LOG', 'EX01/HttpProxy/Owa/HttpProxy_2022121411-1.LOG'],
  ['proxynotshell/iis-owassrf-owa-powershell-failed.tests/nomatch/owa-powershell-backend-probe.log', 'EX01/W3SVC1/u_ex221214.log'],
  ['proxynotshell/rps-http-owassrf-clientinfo.tests/nomatch/rps-http-winrm-client-and-probes.LOG', 'EX01/Rps_Http/Rps_Http_2022121411-1.LOG'],
  // Addresses one digit off a published attacker's, and private ones, in every log that carries an address.
  ['indicators/rps-http-published-attacker-ip.tests/nomatch/one-digit-off-and-private.LOG', 'EX01/Rps_Http/Rps_Http_2022121412-1.LOG'],
  ['indicators/ews-published-attacker-ip.tests/nomatch/neighbour-and-private.LOG', 'EX01/Ews/Ews_2021030304-1.LOG'],
  ['indicators/msgtrk-published-attacker-ip.tests/nomatch/neighbours-and-private.LOG', 'EX01/MessageTracking/MSGTRK2021030304-1.LOG'],
  ['indicators/security-logon-published-attacker-ip.tests/nomatch/security-logons-neighbours-and-private.jsonl', 'EX01/events/logons.jsonl'],
  ['indicators/sysmon-network-published-attacker-ip.tests/nomatch/sysmon3-neighbours-and-internal.jsonl', 'EX01/events/connections.jsonl'],
  ['indicators/rdp-session-published-attacker-ip.tests/nomatch/lsm-neighbours-and-local.jsonl', 'EX01/events/rdp.jsonl'],
];
// Pages ASP.NET compiled that are not web shells (a logon page; JScript's evaluator on a constant, safe mode).
const YARA = fileURLToPath(new URL('../../rules/yara/', import.meta.url));
const COMPILED_TEMP = 'EX01/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/owa/5e1a2b3c/9f8e7d6c';
const COMPILED_TWINS = ['App_Web_lw3nq0cd.dll', 'App_Web_p0r9tq1z.dll'];

async function writeBundle(dir: string): Promise<void> {
  for (const [sample, to] of TWINS) {
    await mkdir(join(dir, 'bundle', to, '..'), { recursive: true });
    await copyFile(join(RULES, sample), join(dir, 'bundle', to));
  }
  await mkdir(join(dir, 'bundle', COMPILED_TEMP), { recursive: true });
  for (const name of COMPILED_TWINS) await copyFile(join(YARA, 'compiled-aspx-webshell.tests', 'nomatch', name), join(dir, 'bundle', COMPILED_TEMP, name));
}

void test('a bundle of benign twins stays clean', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-twins-'));
  try {
    await writeBundle(dir);
    const result = await scan({ inputs: [join(dir, 'bundle')], threads: 1 });
    assert.equal(result.evidence.filter((e) => e.kind !== 'unknown').length, TWINS.length, 'every twin was read as a log');
    assert.equal(result.evidence.filter((e) => e.path.includes('App_Web_')).length, COMPILED_TWINS.length, 'the compiled pages were read as files');
    assert.deepEqual(
      result.findings.filter((f) => !f.benign).map((f) => `${f.title} @ ${f.origin.path}:${f.origin.line}`),
      [],
    );
    assert.ok(result.servers.length > 0);
    for (const server of result.servers)
      assert.equal(server.verdict, 'clean', `${server.name}: ${result.findings.map((f) => `${f.title} (${f.benign ?? ''})`).join('; ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// The bundle staying clean means something only if the classifiers had work to do: without Exchange's
// health-probe classifiers the same bundle raises an attack finding on the probe, and nothing else.
void test('without the health-probe classifiers the same bundle is not clean', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-twins-noprobe-'));
  try {
    await writeBundle(dir);
    await cp(RULES, join(dir, 'rules'), { recursive: true });
    for (const rule of HEALTH_PROBE_CLASSIFIERS) await rm(join(dir, 'rules', rule));
    const result = await scan({ inputs: [join(dir, 'bundle')], threads: 1, noShippedRules: true, sigmaDirs: [join(dir, 'rules')] });
    const raised = result.findings.filter((f) => !f.benign);
    assert.ok(raised.length > 0, 'an attack rule matches the probe');
    assert.deepEqual([...new Set(raised.map((f) => f.origin.path.slice(f.origin.path.indexOf('EX01/'))))], [PROBE_SEEN_AS_ATTACK]);
    const server = result.servers.find((s) => s.name === raised[0]?.server);
    assert.equal(server?.verdict, 'exploited', `${server?.name}: ${server?.summary}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
