// `exir scan --sigma DIR` with rules as the public Sigma repository publishes them: the usable ones
// load through rules/mappings/windows.yml unchanged and find what they were written for in real
// .evtx recordings; the ones exir cannot use are counted and said, with the reason.
//
// The rule texts are quoted from github.com/SigmaHQ/sigma (Detection Rule License 1.1; authors named in
// each rule), files and commits:
//   rules/windows/process_creation/proc_creation_win_rundll32_process_dump_via_comsvcs.yml  07f67fdeac6598b6f4788e8c426420fd2110f070
//   rules/windows/powershell/powershell_script/posh_ps_malicious_keywords.yml              0252d8e021f41a4097489572e611e79410f87171
//   rules/windows/powershell/powershell_script/posh_ps_cl_invocation_lolscript_count.yml   1fe45bd593a7df3ae81a89f03c4427febd012bbe
//   rules/linux/process_creation/proc_creation_lnx_cat_sudoers.yml                          0384568d6afa8402cbf56dbfe0fcc667aa963e79

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { ScanResult } from '../core/types.js';
import { fieldAccess, loadMappings, logsourceReaches, viewsFor } from '../detect/mapping.js';
import { loadRuleset, MAPPINGS_DIR, SHIPPED_SIGMA_DIR } from '../detect/ruleset.js';
import { winEventRecord } from '../sources/winevent-record.js';
import { corpusMissing, skipIf } from '../test-support/skips.js';
import { assertSchema } from '../test-support/json-schema.js';
import { runExir as exir } from './test-helpers/run-cli.js';

const SAMPLES = fileURLToPath(new URL('../../../shared/corpus/evtx-attack-samples', import.meta.url));

const COMSVCS_DUMP = `title: Process Memory Dump Via Comsvcs.DLL
id: 646ea171-dded-4578-8a4d-65e9822892e3
related:
    - id: 09e6d5c0-05b8-4ff8-9eeb-043046ec774c
      type: obsolete
status: test
description: Detects a process memory dump via "comsvcs.dll" using rundll32, covering multiple different techniques (ordinal, minidump function, etc.)
references:
    - https://twitter.com/shantanukhande/status/1229348874298388484
    - https://twitter.com/pythonresponder/status/1385064506049630211?s=21
    - https://twitter.com/Hexacorn/status/1224848930795552769
    - https://modexp.wordpress.com/2019/08/30/minidumpwritedump-via-com-services-dll/
    - https://twitter.com/SBousseaden/status/1167417096374050817
    - https://twitter.com/Wietze/status/1542107456507203586
    - https://github.com/Hackndo/lsassy/blob/14d8f8ae596ecf22b449bfe919829173b8a07635/lsassy/dumpmethod/comsvcs.py
    - https://www.youtube.com/watch?v=52tAmVLg1KM&t=2070s
author: Florian Roth (Nextron Systems), Modexp, Nasreddine Bencherchali (Nextron Systems), Swachchhanda Shrawan Poudel (Nextron Systems)
date: 2020-02-18
modified: 2025-02-23
tags:
    - attack.credential-access
    - attack.stealth
    - attack.t1036
    - attack.t1003.001
    - car.2013-05-009
logsource:
    category: process_creation
    product: windows
detection:
    selection_img:
        - Image|endswith: '\\rundll32.exe'
        - OriginalFileName: 'RUNDLL32.EXE'
        - CommandLine|contains: 'rundll32'
    selection_cli_1:
        CommandLine|contains|all:
            - 'comsvcs'
            - 'full'
        CommandLine|contains:
            - '#-'
            - '#+'
            - '#24'
            - '24 '
            - 'MiniDump' # Matches MiniDump and MinidumpW
            - '#65560' # ordinal is 16 bit ordinal, so if you make the number large enough (don't fit in 16 bit space), then it normally wraps around.  for e.g ordinal 24 can be also represented by 65560 (65536+24)
    selection_generic:
        CommandLine|contains|all:
            - '24'
            - 'comsvcs'
            - 'full'
        CommandLine|contains:
            - ' #'
            - ',#'
            - ', #'
            - '"#'
    condition: (selection_img and 1 of selection_cli_*) or selection_generic
falsepositives:
    - Unlikely
level: high
`;

const MALICIOUS_KEYWORDS = `title: Malicious PowerShell Keywords
id: f62176f3-8128-4faa-bf6c-83261322e5eb
status: test
description: Detects keywords from well-known PowerShell exploitation frameworks
references:
    - https://adsecurity.org/?p=2921
author: Sean Metcalf (source), Florian Roth (Nextron Systems)
date: 2017-03-05
modified: 2023-06-20
tags:
    - attack.execution
    - attack.t1059.001
logsource:
    product: windows
    category: ps_script
    definition: 'Requirements: Script Block Logging must be enabled'
detection:
    selection:
        ScriptBlockText|contains:
            - 'AdjustTokenPrivileges'
            - 'IMAGE_NT_OPTIONAL_HDR64_MAGIC'
            # - 'LSA_UNICODE_STRING'
            - 'Metasploit'
            - 'Microsoft.Win32.UnsafeNativeMethods'
            - 'Mimikatz'
            - 'MiniDumpWriteDump'
            - 'PAGE_EXECUTE_READ'
            - 'ReadProcessMemory.Invoke'
            - 'SE_PRIVILEGE_ENABLED'
            - 'SECURITY_DELEGATION'
            - 'TOKEN_ADJUST_PRIVILEGES'
            - 'TOKEN_ALL_ACCESS'
            - 'TOKEN_ASSIGN_PRIMARY'
            - 'TOKEN_DUPLICATE'
            - 'TOKEN_ELEVATION'
            - 'TOKEN_IMPERSONATE'
            - 'TOKEN_INFORMATION_CLASS'
            - 'TOKEN_PRIVILEGES'
            - 'TOKEN_QUERY'
    condition: selection
falsepositives:
    - Depending on the scripts, this rule might require some initial tuning to fit the environment
level: medium
`;

const CL_INVOCATION_COUNT = `title: Execution via CL_Invocation.ps1 (2 Lines)
id: f588e69b-0750-46bb-8f87-0e9320d57536
description: Detects Execution via SyncInvoke in CL_Invocation.ps1 module
status: experimental
author: oscd.community, Natalia Shornikova
date: 2020/10/14
modified: 2021/10/16
references:
    - https://github.com/LOLBAS-Project/LOLBAS/blob/master/yml/OSScripts/Cl_invocation.yml
    - https://twitter.com/bohops/status/948061991012327424
tags:
    - attack.defense_evasion
    - attack.t1216
logsource:
    product: windows
    category: ps_script
    definition: Script block logging must be enabled
detection:
    selection:
        ScriptBlockText|contains:
          - 'CL_Invocation.ps1'
          - 'SyncInvoke'
    condition: selection | count(ScriptBlockText) by Computer > 2
      # PS > Import-Module c:\\Windows\\diagnostics\\system\\Audio\\CL_Invocation.ps1
      # PS > SyncInvoke c:\\Evil.exe
falsepositives:
    - Unknown
level: high
`;

const CAT_SUDOERS = `title: Cat Sudoers
id: 0f79c4d2-4e1f-4683-9c36-b5469a665e06
status: test
description: Detects the execution of a cat /etc/sudoers to list all users that have sudo rights
references:
    - https://github.com/sleventyeleven/linuxprivchecker/
author: Florian Roth (Nextron Systems)
date: 2022-06-20
modified: 2025-06-04
tags:
    - attack.reconnaissance
    - attack.t1592.004
logsource:
    category: process_creation
    product: linux
detection:
    selection:
        Image|endswith:
            - '/cat'
            - '/grep'
            - '/fgrep'
            - '/egrep'
            - '/head'
            - '/tail'
            - '/more'
            - '/ed'
            - '/emacs'
            - '/less'
            - '/nano'
        CommandLine|contains: ' /etc/sudoers'
    condition: selection
falsepositives:
    - Legitimate administration activities
level: medium
`;

let root: string;
let rulesDir: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'exir-sigma-public-'));
  rulesDir = join(root, 'sigma');
  await mkdir(join(rulesDir, 'windows'), { recursive: true });
  await mkdir(join(rulesDir, 'linux'), { recursive: true });
  await writeFile(join(rulesDir, 'windows', 'proc_creation_win_rundll32_process_dump_via_comsvcs.yml'), COMSVCS_DUMP);
  await writeFile(join(rulesDir, 'windows', 'posh_ps_malicious_keywords.yml'), MALICIOUS_KEYWORDS);
  await writeFile(join(rulesDir, 'windows', 'posh_ps_cl_invocation_lolscript_count.yml'), CL_INVOCATION_COUNT);
  await writeFile(join(rulesDir, 'linux', 'proc_creation_lnx_cat_sudoers.yml'), CAT_SUDOERS);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('exir scan --sigma: public rules find what they were written for; the unusable one is counted and said', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(SAMPLES))) return;
  const json = join(root, 'result.json');
  const run = await exir('scan', '--sigma', rulesDir, SAMPLES, '--json', json, '--quiet');
  assert.equal(run.code, 1, run.err);
  const result = assertSchema<ScanResult>('scan-result', await readFile(json, 'utf8'));

  const shipped = (await loadRuleset([SHIPPED_SIGMA_DIR], await loadMappings(MAPPINGS_DIR))).rules.length;
  assert.equal(result.rules.loaded, shipped + 3, 'three of the four public rules load');
  assert.equal(result.rules.failed, 1, 'the aggregation rule is counted as not loaded');

  const publicFindings = result.findings
    .filter((f) =>
      [
        '646ea171-dded-4578-8a4d-65e9822892e3',
        'f62176f3-8128-4faa-bf6c-83261322e5eb',
        'f588e69b-0750-46bb-8f87-0e9320d57536',
        '0f79c4d2-4e1f-4683-9c36-b5469a665e06',
      ].includes(f.ruleId),
    )
    .map((f) => `${f.origin.path.split('/').pop()} #${f.origin.line} ${f.title} ${f.stage} ${f.severity}`)
    .sort();
  // A public rule carries no exir stage: its level stands in (high: exploit-attempt, medium: probe).
  assert.deepEqual(publicFindings, [
    'Powershell_4104_MiniDumpWriteDump_Lsass.evtx #971 Malicious PowerShell Keywords probe medium',
    'sysmon_10_1_memdump_comsvcs_minidump.evtx #32154 Process Memory Dump Via Comsvcs.DLL exploit-attempt high',
  ]);

  // Why the aggregation rule could not be used: said on stderr and in the JSON, with file and line.
  const notLoaded = result.warnings.filter((w) => /rule not loaded/.test(w.message));
  assert.equal(notLoaded.length, 1, JSON.stringify(result.warnings));
  assert.match(notLoaded[0]!.where ?? '', /posh_ps_cl_invocation_lolscript_count\.yml:\d+$/);
  assert.match(notLoaded[0]!.message, /aggregat|count/i);
  assert.match(run.err, /warning: .*posh_ps_cl_invocation_lolscript_count\.yml:\d+: rule not loaded: /);
  // And how many could not be used, and why, in one line: the Linux rule reaches no log exir reads.
  assert.equal(result.rules.unreachable, 1);
  assert.match(
    run.err,
    /warning: 2 rule\(s\) could not be used: 1 not loaded \(each said above\), 1 for logs exir does not read \(linux\/proc_creation_lnx_cat_sudoers\.yml; exir rules lint lists them\)/,
  );
});

test('exir rules lint on the same folder: the broken rule with its place, the rule no exir log can reach', async () => {
  const run = await exir('rules', 'lint', rulesDir);
  assert.equal(run.code, 1, 'a rule that does not load is a finding of lint');
  assert.match(run.out, /error .*posh_ps_cl_invocation_lolscript_count\.yml:\d+(:\d+)?: /);
  assert.match(run.out, /note .*proc_creation_lnx_cat_sudoers\.yml: logsource .*linux.* reaches no log exir reads/);
  assert.match(run.out, /3 rule\(s\) loaded, 1 not loaded/);
});

/** Which public Sigma logsources (category or service) each kind of Windows event answers to through rules/mappings. */
test('public Sigma Windows logsources reach the events they name, and only those', async () => {
  const mapping = (await loadMappings(MAPPINGS_DIR)).get('winevent');
  assert.ok(mapping, 'winevent is mapped');
  const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
  const cases: [string, number, string[]][] = [
    [SYSMON, 1, ['sysmon', 'process_creation']],
    [SYSMON, 3, ['sysmon', 'network_connection']],
    [SYSMON, 7, ['sysmon', 'image_load']],
    [SYSMON, 10, ['sysmon', 'process_access']],
    [SYSMON, 11, ['sysmon', 'file_event']],
    [SYSMON, 12, ['sysmon', 'registry_add', 'registry_delete', 'registry_event']],
    [SYSMON, 13, ['sysmon', 'registry_set', 'registry_event']],
    [SYSMON, 14, ['sysmon', 'registry_rename', 'registry_event']],
    [SYSMON, 22, ['sysmon', 'dns_query']],
    ['Security', 4688, ['security', 'process_creation']],
    ['Security', 4624, ['security']],
    ['System', 7045, ['system']],
    ['Application', 1001, ['application']],
    ['Microsoft-Windows-PowerShell/Operational', 4104, ['powershell', 'ps_script']],
    ['PowerShellCore/Operational', 4103, ['powershell', 'ps_module']],
    ['Windows PowerShell', 400, ['powershell-classic', 'ps_classic_start']],
    ['MSExchange Management', 1, ['msexchange-management']],
    ['Microsoft-Windows-Windows Defender/Operational', 1116, ['windefend']],
  ];
  for (const [channel, eventId, expected] of cases) {
    const record = winEventRecord({ eventId, channel, provider: 'p', computer: 'EX01', time: undefined, data: {} }, { path: 'x', line: 1, offset: 0 });
    const reached: string[] = viewsFor(record, mapping).map((v) => v.logsource.category ?? v.logsource.service ?? '');
    assert.deepEqual(reached.sort(), [...expected].sort(), `${channel} ${eventId}`);
    for (const view of viewsFor(record, mapping)) assert.equal(view.logsource.product, 'windows');
  }
  // Sigma names a process_creation field once; each source answers by its own column.
  const security = winEventRecord(
    {
      eventId: 4688,
      channel: 'Security',
      provider: 'p',
      computer: 'EX01',
      time: undefined,
      data: { NewProcessName: 'C:\\x\\cmd.exe', ParentProcessName: 'C:\\x\\w3wp.exe' },
    },
    { path: 'x', line: 1, offset: 0 },
  );
  const view = viewsFor(security, mapping).find((v) => v.logsource.category === 'process_creation');
  assert.equal(fieldAccess(security, view?.fields).get('Image'), 'C:\\x\\cmd.exe');
  assert.equal(fieldAccess(security, view?.fields).get('ParentImage'), 'C:\\x\\w3wp.exe');
  assert.ok(logsourceReaches({ product: 'windows', category: 'process_creation' }, view?.logsource ?? {}));
  const defender = winEventRecord(
    {
      eventId: 1116,
      channel: 'Microsoft-Windows-Windows Defender/Operational',
      provider: 'p',
      computer: 'EX01',
      time: undefined,
      data: { 'Threat Name': 'Backdoor:ASP/SecChecker.A' },
    },
    { path: 'x', line: 1, offset: 0 },
  );
  const defenderView = viewsFor(defender, mapping)[0];
  assert.equal(fieldAccess(defender, defenderView?.fields).get('ThreatName'), 'Backdoor:ASP/SecChecker.A');
});
