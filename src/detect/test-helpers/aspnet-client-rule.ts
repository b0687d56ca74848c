// One small IIS rule and log lines for it, for the tests of the rule-sample and rule-mutant harnesses:
// a POST to a page under /aspnet_client/, with whatever filter the test adds.

export const IIS_HEADER =
  '#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2021-03-03 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n';

/** One request of the log above, at 02:00 from 203.0.113.5. */
export const iisLine = (method: string, stem: string, user = '-'): string =>
  `2021-03-03 02:00:00 10.0.0.1 ${method} ${stem} - 443 ${user} 203.0.113.5 curl/7 - 200 0 0 5\n`;

/** The rule's text; `filter` is YAML for more detection keys, `condition` its condition. */
export function aspnetClientRule(idEnd: string, filter = '', condition = 'selection'): string {
  return `title: Test rule
id: 6f0d3b59-3f43-4c6c-9d3e-58b2b7d1${idEnd}
status: test
logsource:
  category: webserver
detection:
  selection:
    cs-uri-stem|contains: '/aspnet_client/'
    cs-method: POST
${filter}  condition: ${condition}
level: high
stage: post-exploitation
`;
}
