import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRules } from './rule-file.js';
import { errorsFrom, record, ruleFrom } from './test-helpers/rules.js';

void test('a map is AND of its fields; a list of maps is OR', () => {
  const and = ruleFrom(`
    sel:
        cs-method: POST
        cs-uri-stem|startswith: /ecp/
    condition: sel`);
  assert.equal(and.match(record({ 'cs-method': 'post', 'cs-uri-stem': '/ecp/x' })), true);
  assert.equal(and.match(record({ 'cs-method': 'GET', 'cs-uri-stem': '/ecp/x' })), false);
  const or = ruleFrom(`
    sel:
        - cs-method: PUT
        - cs-uri-stem|startswith: /ecp/
    condition: sel`);
  assert.equal(or.match(record({ 'cs-method': 'PUT' })), true);
  assert.equal(or.match(record({ 'cs-uri-stem': '/ecp/' })), true);
  assert.equal(or.match(record({ 'cs-method': 'GET', 'cs-uri-stem': '/owa/' })), false);
});

void test('keywords: a list or a single string, searched in the text as substrings', () => {
  const list = ruleFrom(`
    keywords:
        - 'eval(request'
        - 'http://f/<script'
    condition: keywords`);
  assert.equal(list.match(record({}, 'x http://F/<script y')), true);
  assert.equal(list.match(record({}, 'nothing here')), false);
  const one = ruleFrom(`
    keywords: 'Page_Load'
    condition: keywords`);
  assert.equal(one.match(record({}, 'function page_load(){}')), true);
  const wild = ruleFrom(`
    keywords:
        - 'New-*Request'
    condition: keywords`);
  assert.equal(wild.match(record({}, 'x New-MailboxExportRequest y')), true);
  assert.equal(wild.match(record({}, 'x New-Mailbox y')), false);
});

void test('null means absent or empty; an empty string means empty', () => {
  const nul = ruleFrom(`
    sel:
        cs-username: null
    condition: sel`);
  assert.equal(nul.match(record({})), true);
  assert.equal(nul.match(record({ 'cs-username': '' })), true);
  assert.equal(nul.match(record({ 'cs-username': 'bob' })), false);
  const tilde = ruleFrom(`
    sel:
        cs-username: ~
    condition: sel`);
  assert.equal(tilde.match(record({})), true);
  const empty = ruleFrom(`
    sel:
        cs-username: ''
    condition: sel`);
  assert.equal(empty.match(record({ 'cs-username': '' })), true);
  assert.equal(empty.match(record({})), false);
  assert.equal(empty.match(record({ 'cs-username': 'x' })), false);
  const inList = ruleFrom(`
    sel:
        cs-username:
            - null
            - admin
    condition: sel`);
  assert.equal(inList.match(record({})), true);
  assert.equal(inList.match(record({ 'cs-username': 'Admin' })), true);
  assert.equal(inList.match(record({ 'cs-username': 'bob' })), false);
});

void test('numbers and booleans are compared as the strings written', () => {
  const r = ruleFrom(`
    sel:
        sc-status:
            - 401
            - 302
        version: 1.10
        flag: true
    condition: sel`);
  assert.equal(r.match(record({ 'sc-status': '401', version: '1.10', flag: 'True' })), true);
  assert.equal(r.match(record({ 'sc-status': '401', version: '1.1', flag: 'true' })), false);
  assert.equal(r.match(record({ 'sc-status': '4010', version: '1.10', flag: 'true' })), false);
});

void test('many exact values for one field (Set lookup) still match case-insensitively, mixed with patterns', () => {
  const r = ruleFrom(`
    sel:
        cs-user-agent:
            - antSword/v2.1
            - python-requests/2.25.1
            - ExchangeServicesClient/0.0.0.0
            - 'Mozilla/5.0*Googlebot*'
    condition: sel`);
  assert.equal(r.match(record({ 'cs-user-agent': 'ANTSWORD/v2.1' })), true);
  assert.equal(r.match(record({ 'cs-user-agent': 'exchangeservicesclient/0.0.0.0' })), true);
  assert.equal(r.match(record({ 'cs-user-agent': 'Mozilla/5.0+(compatible;+Googlebot/2.1)' })), true);
  assert.equal(r.match(record({ 'cs-user-agent': 'python-requests/2.25.2' })), false);
});

void test('a list of plain values (one Set, no pattern each) matches and pre-filters as one value at a time does', () => {
  const list = ['/OWA/auth/logon.aspx', '/ecp/', 443, '', 'x\u212Ay.aspx', 'ab'];
  const yaml = (values: unknown[], modifier = '') => `
    sel:
        cs-uri-stem${modifier}:
${values.map((v) => `            - ${JSON.stringify(v)}`).join('\n')}
    condition: sel`;
  const whole = ruleFrom(yaml(list));
  // Each value on its own through the general path (|all of one value means that value); their OR is the reference.
  const each = list.map((v) => ruleFrom(yaml([v], '|all')));
  const samples = ['/owa/AUTH/logon.aspx', '/ecp/', '/ecp', '443', '', 'x\u212Ay.aspx', 'xky.aspx', 'AB', '/owa/auth/logon.aspx.bak'];
  for (const value of samples) {
    const at = record({ 'cs-uri-stem': value });
    assert.equal(
      whole.match(at),
      each.some((r) => r.match(at)),
      JSON.stringify(value),
    );
  }
  assert.equal(whole.match(record({})), false, 'an absent field is no value of the list');
  assert.deepEqual(whole.literals, null, "'' and 'ab' give no literal, so the list requires none");
  const long = ruleFrom(yaml(['/OWA/auth/logon.aspx', '/owa/auth/', 'Microsoft-Server-ActiveSync']));
  assert.deepEqual(long.literals, ['/owa/auth/', 'microsoft-server-activesync']);
});

void test('wildcards in plain values, and escaped wildcards', () => {
  const r = ruleFrom(`
    sel:
        uri: '/owa/auth/*.js'
    condition: sel`);
  assert.equal(r.match(record({ uri: '/owa/auth/x.js' })), true);
  assert.equal(r.match(record({ uri: '/owa/x.js' })), false);
  const one = ruleFrom(`
    sel:
        uri: '/ecp/?.js'
    condition: sel`);
  assert.equal(one.match(record({ uri: '/ecp/y.js' })), true);
  assert.equal(one.match(record({ uri: '/ecp/yy.js' })), false);
  const escaped = ruleFrom(`
    sel:
        q: 'json\\?@'
    condition: sel`);
  assert.equal(escaped.match(record({ q: 'json?@' })), true);
  assert.equal(escaped.match(record({ q: 'jsonx@' })), false);
  // In YAML single quotes and String.raw backslashes are plain, so Sigma sees the escapes exactly as written here.
  const mk = (v: string) =>
    ruleFrom(String.raw`
    sel:
        q|endswith: '${v}'
    condition: sel`);
  const plainStar = mk(String.raw`C:\Windows\*`);
  assert.equal(plainStar.match(record({ q: String.raw`x C:\Windows*` })), true, String.raw`\* is a plain star`);
  assert.equal(plainStar.match(record({ q: String.raw`x C:\Windowsa` })), false);
  const slashWild = mk(String.raw`C:\Windows\\*`);
  assert.equal(slashWild.match(record({ q: String.raw`x C:\Windows\a` })), true, String.raw`\\* is a backslash and a wildcard`);
  assert.equal(slashWild.match(record({ q: String.raw`x C:\Windowsa` })), false);
  const slashStar = mk(String.raw`C:\Windows\\\*`);
  assert.equal(slashStar.match(record({ q: String.raw`x C:\Windows\*` })), true, String.raw`\\\* is a backslash and a plain star`);
  assert.equal(slashStar.match(record({ q: String.raw`x C:\Windows\a` })), false);
});

const three = `
    sel_a:
        a: 'yes'
    sel_b:
        b: 'yes'
    _hidden:
        h: 'yes'
    filter:
        f: 'yes'`;

function on(rule: { match: (r: ReturnType<typeof record>) => boolean }, flags: string): boolean {
  const fields: Record<string, string> = {};
  for (const k of ['a', 'b', 'h', 'f']) fields[k] = flags.includes(k) ? 'yes' : 'no';
  return rule.match(record(fields));
}

void test('condition forms: and, or, not, parentheses, x of pattern, x of them', () => {
  const mk = (c: string) => ruleFrom(`${three}\n    condition: ${c}`);
  assert.equal(on(mk('sel_a and sel_b'), 'a'), false);
  assert.equal(on(mk('sel_a and sel_b'), 'ab'), true);
  assert.equal(on(mk('sel_a or sel_b'), 'b'), true);
  assert.equal(on(mk('sel_a and not filter'), 'af'), false);
  assert.equal(on(mk('sel_a and not filter'), 'a'), true);
  assert.equal(on(mk('1 of sel_*'), 'b'), true);
  assert.equal(on(mk('1 of sel_*'), 'f'), false);
  assert.equal(on(mk('all of sel_*'), 'a'), false);
  assert.equal(on(mk('all of sel_*'), 'ab'), true);
  assert.equal(on(mk('1 of sel_* and not 1 of filter*'), 'af'), false);
  // `them` leaves out selections whose names start with `_`.
  assert.equal(on(mk('1 of them'), 'h'), false);
  assert.equal(on(mk('1 of them'), 'f'), true);
  assert.equal(on(mk('all of them'), 'abf'), true);
  assert.equal(on(mk('all of them'), 'ab'), false);
  // But a pattern may name them.
  assert.equal(on(mk('1 of _*'), 'h'), true);
  assert.equal(on(mk('2 of them'), 'af'), true);
  assert.equal(on(mk('2 of them'), 'a'), false);
});

void test('precedence: not > and > or, parentheses override', () => {
  const mk = (c: string) => ruleFrom(`${three}\n    condition: ${c}`);
  // a or (b and f)
  assert.equal(on(mk('sel_a or sel_b and filter'), 'a'), true);
  assert.equal(on(mk('sel_a or sel_b and filter'), 'b'), false);
  // (a or b) and f
  assert.equal(on(mk('(sel_a or sel_b) and filter'), 'a'), false);
  assert.equal(on(mk('(sel_a or sel_b) and filter'), 'af'), true);
  // (not a) and b
  assert.equal(on(mk('not sel_a and sel_b'), 'b'), true);
  assert.equal(on(mk('not sel_a and sel_b'), ''), false);
  // not (a and b)
  assert.equal(on(mk('not (sel_a and sel_b)'), 'a'), true);
  assert.equal(on(mk('not (sel_a and sel_b)'), 'ab'), false);
});

void test('a list of conditions is their OR', () => {
  const r = ruleFrom(`${three}
    condition:
        - sel_a and sel_b
        - filter`);
  assert.equal(on(r, 'ab'), true);
  assert.equal(on(r, 'f'), true);
  assert.equal(on(r, 'a'), false);
});

void test('fields: Sigma names used by referenced selections, in order of first use', () => {
  const r = ruleFrom(`
    sel:
        cs-method: POST
        cs-uri-query|contains: /ecp/
    unused:
        zzz: 1
    filter:
        cs-user-agent: x
        cs-method: GET
    condition: sel and not filter`);
  assert.deepEqual(r.fields, ['cs-method', 'cs-uri-query', 'cs-user-agent']);
});

void test('detection problems are errors', () => {
  assert.match(
    errorsFrom(`
    sel:
        a: 1
    condition: sel and other`)[0] as string,
    /unknown selection 'other'/,
  );
  assert.match(
    errorsFrom(`
    sel:
        a: 1
    condition: 1 of filter*`)[0] as string,
    /matches no selection/,
  );
  assert.match(
    errorsFrom(`
    sel:
        a: 1`)[0] as string,
    /no condition/,
  );
  assert.match(
    errorsFrom(`
    sel:
        a: 1
    condition: sel | count() > 5`)[0] as string,
    /aggregations .* not supported/,
  );
  assert.match(
    errorsFrom(`
    sel:
        a: 1
    timeframe: 5m
    condition: sel`)[0] as string,
    /timeframe .* not supported/,
  );
  assert.match(
    errorsFrom(`
    sel: []
    condition: sel`)[0] as string,
    /empty list/,
  );
  assert.match(
    errorsFrom(`
    sel: {}
    condition: sel`)[0] as string,
    /empty map/,
  );
  assert.match(
    errorsFrom(`
    sel:
        a:
            b: c
    condition: sel`)[0] as string,
    /must be a scalar or a list of scalars/,
  );
  assert.match(
    errorsFrom(`
    sel:
        a: 1
    condition: 3 of them`)[0] as string,
    /can never hold/,
  );
});

void test('n of as many selections as there are is all of them: each must match, and the pre-filter needs only the rarest', () => {
  const sels = `
    a:
        x: abc
    b:
        y: abcdefgh`;
  const two = ruleFrom(`${sels}\n    condition: 2 of them`);
  const all = ruleFrom(`${sels}\n    condition: all of them`);
  assert.deepEqual(two.literals, all.literals);
  assert.deepEqual(two.literals, ['abcdefgh']);
  assert.equal(two.match(record({ x: 'abc', y: 'abcdefgh' })), true);
  assert.equal(two.match(record({ x: 'abc' })), false);
  // Fewer than all: any one may be among the n, so the pre-filter needs one of each's literals.
  const some = ruleFrom(`${sels}\n    c:\n        z: zzzz\n    condition: 2 of them`);
  assert.deepEqual(some.literals, ['abc', 'zzzz']);
  assert.equal(some.match(record({ x: 'abc', z: 'zzzz' })), true);
  assert.equal(some.match(record({ z: 'zzzz' })), false);
});

/** Each error of a detection block as [message, line, column], lines counted in the whole rule (the block starts on line 6). */
function locatedErrors(detection: string): [string, number | undefined, number | undefined][] {
  const text = `title: test rule\nid: t-1\nlogsource:\n    category: webserver\ndetection:\n${detection}\n`;
  const { rules, errors } = compileRules(text, 'test.yml');
  assert.equal(rules.length, 0, 'a broken rule must not load');
  return errors.map((e) => [e.message, e.line, e.column]);
}

void test('a detection that is not a map, an empty condition, or a condition that is not a string: each said where it is', () => {
  assert.deepEqual(locatedErrors('    - sel'), [['detection must be a map of selections and a condition', 6, 5]]);
  assert.deepEqual(locatedErrors('    sel:\n        a: 1\n    condition: []'), [['condition is empty', 8, 16]]);
  assert.deepEqual(locatedErrors('    sel:\n        a: 1\n    condition: 5'), [['condition must be a string or a list of strings', 8, 16]]);
  assert.deepEqual(locatedErrors('    sel:\n        a: 1\n    condition:\n        - sel\n        - [sel]\n        - nope'), [
    ['condition must be a string or a list of strings', 10, 11],
    ["condition names unknown selection 'nope'", 11, 11],
  ]);
});

void test("a condition's syntax error points into the condition; a block condition is pointed at its start", () => {
  assert.deepEqual(locatedErrors('    sel:\n        a: 1\n    condition: sel and (sel or'), [['expected a selection at end of condition', 8, 31]]);
  assert.deepEqual(locatedErrors('    sel:\n        a: 1\n    condition: |\n        sel and nope'), [["condition names unknown selection 'nope'", 8, 16]]);
});

void test('every mistake of a detection is reported, each once, and a broken selection adds none where it is used', () => {
  const errors = locatedErrors(`    sel:
        a|containz: x
    list:
        - b: 1
        - [c]
    kw: ~
    vals:
        d: [1, [2]]
    none:
        e: []
    timeframe: 5m
    condition: sel or list and not kw or 1 of vals or all of n* or nope`);
  assert.deepEqual(errors, [
    ["unknown modifier 'containz'", 7, 9],
    ['a selection list holds maps or keywords, not nested lists', 10, 11],
    ['selection is empty', 11, 9],
    ["values of 'd' must be scalars", 13, 16],
    ["no value given for 'e'", 15, 12],
    ['timeframe (aggregation over time) is not supported', 16, 5],
    ["condition names unknown selection 'nope'", 17, 68],
  ]);
});

void test('an x of that names nothing or can never hold says which', () => {
  assert.deepEqual(locatedErrors('    _a:\n        a: 1\n    condition: 1 of them'), [['condition: them matches no selection', 8, 16]]);
  assert.deepEqual(locatedErrors('    sel:\n        a: 1\n    condition: sel and 1 of f*'), [["condition: 'f*' matches no selection", 8, 24]]);
  assert.deepEqual(locatedErrors('    s1:\n        a: 1\n    s2:\n        a: 2\n    condition: 3 of s*'), [
    ["condition: 3 of 's*' can never hold (2 selections)", 10, 16],
  ]);
});

void test('a list selection mixes maps and keywords as their OR; the fields of selections an x of names are read', () => {
  const r = ruleFrom(`
    sel_a:
        - cs-method: PUT
          cs-uri-stem: /x
        - 'needle'
        - 'pin*point'
    sel_b:
        c-ip: 10.0.0.1
    other:
        z: 1
    condition: 1 of sel_*`);
  assert.equal(r.match(record({ 'cs-method': 'PUT', 'cs-uri-stem': '/X' })), true);
  assert.equal(r.match(record({ 'cs-method': 'PUT', 'cs-uri-stem': '/y' })), false);
  assert.equal(r.match(record({}, 'a NEEDLE here')), true);
  assert.equal(r.match(record({}, 'pin to point')), true);
  assert.equal(r.match(record({ 'c-ip': '10.0.0.1' })), true);
  assert.equal(r.match(record({ z: '1' })), false);
  assert.deepEqual(r.fields, ['cs-method', 'cs-uri-stem', 'c-ip']);
});

void test('expand with all is compiled for each compile, so its pre-filter follows that compile’s common literals', () => {
  const text = `title: t\nlogsource: {}\ndetection:\n    sel:\n        a|expand|contains|all: '%p%'\n    condition: sel\n`;
  const placeholders = new Map([['p', ['abcdef', 'zzzqqqq']]]);
  const plain = compileRules(text, 'x.yml', { placeholders });
  assert.deepEqual(plain.rules[0]?.literals, ['zzzqqqq']);
  const common = compileRules(text, 'x.yml', { placeholders, commonLiterals: ['zzzqqqq'] });
  assert.deepEqual(common.rules[0]?.literals, ['abcdef']);
  assert.equal(common.rules[0]?.match(record({ a: 'ABCDEF zzzqqqq' })), true);
  assert.equal(common.rules[0]?.match(record({ a: 'abcdef' })), false);
});

void test("a mistake met while reading an item's values is the error, not a missing value", () => {
  const refs = Array.from({ length: 101 }, (_, i) => `    s${i}: *${i % 2 ? 'w' : 'v'}`).join('\n');
  const errors = locatedErrors(`    base: &v {a: 1}\n    other: &w {b: 2}\n${refs}\n    t:\n        f: [a, *v]\n    condition: base`);
  assert.deepEqual(errors, [
    ['too many YAML aliases', 108, 11],
    ['too many YAML aliases', 110, 16],
  ]);
});

void test('a broken selection among those an x of names adds no error of its own; a condition read as a mistake is that error', () => {
  assert.deepEqual(locatedErrors('    s1:\n        a: []\n    s2:\n        b: 1\n    condition: 1 of s*'), [["no value given for 'a'", 7, 12]]);
  // The condition's alias is the 101st of the detection.
  const refs = Array.from({ length: 100 }, (_, i) => `    s${i}: *${i % 2 ? 'w' : 'v'}`).join('\n');
  const text = `title: t\nlogsource: {}\nc: &c base\ndetection:\n    base: &v {a: 1}\n    other: &w {b: 2}\n${refs}\n    condition: *c\n`;
  const { rules, errors } = compileRules(text, 'c.yml');
  assert.equal(rules.length, 0);
  assert.deepEqual(
    errors.map((e) => [e.message, e.line, e.column]),
    [['too many YAML aliases', 107, 16]],
  );
});
