import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { compileRules } from './rule-file.js';
import { errorsFrom, record, ruleFrom } from './test-helpers/rules.js';

const uri = (v: string) => record({ uri: v });

void test('no modifier: whole value, case-insensitive', () => {
  const r = ruleFrom(`
    sel:
        uri: /OWA/auth
    condition: sel`);
  assert.equal(r.match(uri('/owa/AUTH')), true);
  assert.equal(r.match(uri('/owa/auth/x')), false);
  assert.equal(r.match(record({})), false);
});

void test('contains, startswith, endswith', () => {
  const c = ruleFrom(`
    sel:
        uri|contains: /Auth/
    condition: sel`);
  assert.equal(c.match(uri('/owa/auth/x.js')), true);
  assert.equal(c.match(uri('/owa/autho')), false);
  const s = ruleFrom(`
    sel:
        uri|startswith: /ecp/
    condition: sel`);
  assert.equal(s.match(uri('/ECP/x')), true);
  assert.equal(s.match(uri('/x/ecp/')), false);
  const e = ruleFrom(`
    sel:
        uri|endswith: .aspx
    condition: sel`);
  assert.equal(e.match(uri('/a/b.ASPX')), true);
  assert.equal(e.match(uri('/a/b.aspx.txt')), false);
});

void test('a list of values is OR; all makes it AND, for fields and keywords', () => {
  const any = ruleFrom(`
    sel:
        uri|contains:
            - /ecp/
            - .js
    condition: sel`);
  const all = ruleFrom(`
    sel:
        uri|contains|all:
            - /ecp/
            - .js
    condition: sel`);
  assert.equal(any.match(uri('/ecp/x.css')), true);
  assert.equal(all.match(uri('/ecp/x.css')), false);
  assert.equal(all.match(uri('/ecp/y.js')), true);
  const kw = ruleFrom(`
    keywords:
        '|all':
            - OabVirtualDirectory
            - ' -ExternalUrl '
    condition: keywords`);
  assert.equal(kw.match(record({}, 'Set-OabVirtualDirectory -ExternalUrl http://f/')), true);
  assert.equal(kw.match(record({}, 'Set-OabVirtualDirectory -InternalUrl http://f/')), false);
});

void test('cased makes the comparison case-sensitive', () => {
  const r = ruleFrom(`
    sel:
        uri|contains|cased: ServerInfo~
    condition: sel`);
  assert.equal(r.match(uri('x ServerInfo~a]@h')), true);
  assert.equal(r.match(uri('x serverinfo~a]@h')), false);
});

void test('re is case-sensitive unless i; m and s change ^$ and .', () => {
  const plain = ruleFrom(`
    sel:
        uri|re: '^/owa/auth/[a-z]+\\.js$'
    condition: sel`);
  assert.equal(plain.match(uri('/owa/auth/x.js')), true);
  assert.equal(plain.match(uri('/OWA/auth/x.js')), false);
  const i = ruleFrom(`
    sel:
        uri|re|i: '^/owa/auth/[a-z]+\\.js$'
    condition: sel`);
  assert.equal(i.match(uri('/OWA/auth/X.js')), true);
  const m = ruleFrom(`
    sel:
        uri|re|m: '^second$'
    condition: sel`);
  assert.equal(m.match(uri('first\nsecond\nthird')), true);
  const noM = ruleFrom(`
    sel:
        uri|re: '^second$'
    condition: sel`);
  assert.equal(noM.match(uri('first\nsecond\nthird')), false);
  const s = ruleFrom(`
    sel:
        uri|re|s: 'a.b'
    condition: sel`);
  assert.equal(s.match(uri('a\nb')), true);
  const noS = ruleFrom(`
    sel:
        uri|re: 'a.b'
    condition: sel`);
  assert.equal(noS.match(uri('a\nb')), false);
  const inline = ruleFrom(`
    sel:
        uri|re: '(?i)powershell'
    condition: sel`);
  assert.equal(inline.match(uri('/PowerShell/')), true, 'a leading (?i) is read as the i modifier');
  assert.equal(plain.literals, null);
});

void test('cidr, IPv4 and IPv6, as a list', () => {
  const r = ruleFrom(`
    sel:
        c-ip|cidr:
            - 10.0.0.0/8
            - fd00::/8
    condition: sel`);
  assert.equal(r.match(record({ 'c-ip': '10.20.30.40' })), true);
  assert.equal(r.match(record({ 'c-ip': 'fd12::1' })), true);
  assert.equal(r.match(record({ 'c-ip': '192.168.0.1' })), false);
  assert.equal(r.match(record({})), false);
  assert.equal(r.literals, null);
});

void test('base64 and base64offset with contains; wide and the utf16 forms before them', () => {
  const b64 = ruleFrom(`
    sel:
        data|base64: /ecp/DDI
    condition: sel`);
  assert.equal(b64.match(record({ data: 'L2VjcC9EREk=' })), true);
  assert.deepEqual(b64.literals, ['l2vjcc9erek=']);
  const offset = ruleFrom(`
    sel:
        cmd|base64offset|contains: invoke-expression
    condition: sel`);
  for (const pre of ['', 'a', 'ab']) {
    const encoded = Buffer.from(`${pre}$x = Invoke-Expression $y`).toString('base64');
    assert.equal(offset.match(record({ cmd: `powershell -enc ${encoded}` })), false, 'case differs, Base64 differs');
    const exact = Buffer.from(`${pre}$x = invoke-expression $y`).toString('base64');
    assert.equal(offset.match(record({ cmd: `powershell -enc ${exact}` })), true, `offset ${pre.length}`);
  }
  const wide = ruleFrom(`
    sel:
        cmd|wide|base64offset|contains: IEX
    condition: sel`);
  const encoded = Buffer.from('x;IEX (y)', 'utf16le').toString('base64');
  assert.equal(wide.match(record({ cmd: `-e ${encoded}` })), true);
  assert.equal(wide.match(record({ cmd: `-e ${Buffer.from('x;IEX (y)').toString('base64')}` })), false, 'UTF-8 is not UTF-16');
  const be = ruleFrom(`
    sel:
        cmd|utf16be|base64|contains: cmd
    condition: sel`);
  assert.equal(be.match(record({ cmd: 'x AGMAbQBk y' })), true);
  const bom = ruleFrom(`
    sel:
        cmd|utf16|base64: cmd
    condition: sel`);
  assert.equal(bom.match(record({ cmd: '//5jAG0AZAA=' })), true);
  const le = ruleFrom(`
    sel:
        cmd|utf16le|base64: cmd
    condition: sel`);
  assert.equal(le.match(record({ cmd: 'YwBtAGQA' })), true);
});

void test('windash matches every dash variant', () => {
  const r = ruleFrom(`
    sel:
        cmd|windash|contains: ' -ExternalUrl '
    condition: sel`);
  for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) {
    assert.equal(r.match(record({ cmd: `Set-OabVirtualDirectory ${d}ExternalUrl x` })), true, d);
  }
  assert.equal(r.match(record({ cmd: 'Set-OabVirtualDirectory +ExternalUrl x' })), false);
  const many = ruleFrom(`
    sel:
        cmd|contains|windash: '-a -b -c -d'
    condition: sel`);
  assert.equal(many.match(record({ cmd: 'x /a \u2013b -c \u2015d' })), true);
  assert.equal(many.match(record({ cmd: 'x /a \u2013b -c +d' })), false);
});

void test('exists', () => {
  const yes = ruleFrom(`
    sel:
        user|exists: true
    condition: sel`);
  const no = ruleFrom(`
    sel:
        user|exists: false
    condition: sel`);
  assert.equal(yes.match(record({ user: '' })), true, 'present though empty');
  assert.equal(yes.match(record({})), false);
  assert.equal(no.match(record({})), true);
  assert.equal(no.match(record({ user: 'x' })), false);
});

void test('lt, lte, gt, gte compare numbers', () => {
  const mk = (op: string) =>
    ruleFrom(`
    sel:
        time-taken|${op}: 100
    condition: sel`);
  const at = (v: string) => record({ 'time-taken': v });
  assert.equal(mk('lt').match(at('99')), true);
  assert.equal(mk('lt').match(at('100')), false);
  assert.equal(mk('lte').match(at('100')), true);
  assert.equal(mk('gt').match(at('1000')), true, 'numeric, not string, order');
  assert.equal(mk('gt').match(at('100')), false);
  assert.equal(mk('gte').match(at('100.0')), true);
  assert.equal(mk('gt').match(at('')), false, 'empty is not a number');
  assert.equal(mk('gt').match(at('abc')), false);
  assert.equal(mk('lt').match(record({})), false);
});

void test('fieldref compares two fields, with contains/startswith/endswith and cased', () => {
  const eq = ruleFrom(`
    sel:
        user|fieldref: target
    condition: sel`);
  assert.equal(eq.match(record({ user: 'Admin', target: 'admin' })), true);
  assert.equal(eq.match(record({ user: 'admin', target: 'other' })), false);
  assert.equal(eq.match(record({ user: 'admin' })), false);
  assert.deepEqual(eq.fields, ['user', 'target']);
  const contains = ruleFrom(`
    sel:
        path|fieldref|contains: user
    condition: sel`);
  assert.equal(contains.match(record({ path: 'C:\\Users\\Bob\\x', user: 'bob' })), true);
  assert.equal(contains.match(record({ path: 'C:\\Users\\Alice\\x', user: 'bob' })), false);
  const starts = ruleFrom(`
    sel:
        path|fieldref|startswith: user
    condition: sel`);
  assert.equal(starts.match(record({ path: 'Bob\\Desktop', user: 'bob' })), true);
  assert.equal(starts.match(record({ path: 'C:\\Bob', user: 'bob' })), false, 'contains it, but does not start with it');
  assert.equal(starts.match(record({ path: 'Desktop\\bob', user: 'bob' })), false, 'ends with it, but does not start with it');
  const ends = ruleFrom(`
    sel:
        path|fieldref|endswith: user
    condition: sel`);
  assert.equal(ends.match(record({ path: 'C:\\Users\\BOB', user: 'bob' })), true);
  assert.equal(ends.match(record({ path: 'bob\\Desktop', user: 'bob' })), false, 'starts with it, but does not end with it');
  assert.equal(ends.match(record({ path: 'C:\\bob\\x', user: 'bob' })), false, 'contains it, but does not end with it');
  const cased = ruleFrom(`
    sel:
        user|fieldref|cased: target
    condition: sel`);
  assert.equal(cased.match(record({ user: 'Admin', target: 'admin' })), false);
  assert.equal(cased.match(record({ user: 'admin', target: 'admin' })), true);
});

void test('expand, neq, unknown and conflicting modifiers are errors, not crashes', () => {
  const cases: [string, RegExp][] = [
    ['uri|expand: "%Servers%"', /unknown placeholder %Servers%/],
    ['uri|expand: Servers', /needs a %placeholder% value/],
    ['uri|neq: x', /unsupported modifier neq/],
    ['uri|containz: x', /unknown modifier 'containz'/],
    ['uri|contains|startswith: x', /cannot be combined/],
    ['uri|re|contains: x', /cannot be combined/],
    ['uri|cidr|base64: 10.0.0.0/8', /cannot be combined/],
    ['uri|i: x', /must follow re/],
    ['uri|wide: x', /must be followed by base64/],
    ['uri|base64|base64offset: x', /only once/],
    ['uri|base64: "a*b"', /wildcards/],
    ['uri|exists: maybe', /exists takes true or false/],
    ['uri|gt: many', /needs a number/],
    ['uri|re: "a(b"', /bad regular expression/],
    ['uri|cidr: 10.0.0.0/40', /bad CIDR/],
    ['uri|contains: null', /null cannot be used/],
  ];
  for (const [item, want] of cases) {
    const errors = errorsFrom(`
    sel:
        ${item}
    condition: sel`);
    assert.equal(errors.length, 1, item);
    assert.match(errors[0] as string, want, item);
  }
});

void test('expand replaces a %placeholder% with the list the caller gives, matched like the values written', () => {
  const text = `title: t\nid: t-1\nlogsource:\n    category: webserver\ndetection:\n    sel:\n        uri|startswith: '/owa/auth/'\n    stock:\n        uri|expand: '%stock_pages%'\n    condition: sel and not stock\n`;
  const { rules, errors } = compileRules(text, 't.yml', { placeholders: new Map([['stock_pages', ['/owa/auth/logon.aspx', '/owa/auth/errorFE.aspx']]]) });
  assert.deepEqual(errors, []);
  const rule = rules[0];
  assert.ok(rule);
  assert.equal(rule.match(record({ uri: '/owa/auth/Logon.aspx' })), false, 'stock page, any case');
  assert.equal(rule.match(record({ uri: '/owa/auth/errorfe.aspx' })), false);
  assert.equal(rule.match(record({ uri: '/owa/auth/shell.aspx' })), true);
});

void test('a refused modifier names what the rule author wrote, exactly', () => {
  const cases: [string, string][] = [
    ['uri|contains|endswith: x', 'modifiers contains and endswith cannot be combined'],
    ['uri|re|cidr: x', 'modifiers re and cidr cannot be combined'],
    ['uri|fieldref|exists: true', 'modifiers fieldref and exists cannot be combined'],
    ['uri|cidr|startswith: 10.0.0.0/8', 'modifiers cidr and startswith cannot be combined'],
    ['uri|gt|windash: 5', 'modifiers gt and windash cannot be combined'],
    ['uri|m: x', 'modifier m must follow re'],
    ['uri|utf16be: x', 'utf16be must be followed by base64 or base64offset'],
    ['uri|utf16le: x', 'utf16le must be followed by base64 or base64offset'],
    ['uri|utf16: x', 'utf16 must be followed by base64 or base64offset'],
    // The key is checked before its values: a null value does not hide the key's mistake.
    ['uri|wide: null', 'utf16le must be followed by base64 or base64offset'],
    ['uri|base64|utf16be: null', 'utf16be must be followed by base64 or base64offset'],
    // UTF-16 is an encoding of the text before Base64 makes it ASCII; after Base64 it means nothing.
    ['uri|base64|wide: x', 'utf16le must be followed by base64 or base64offset'],
    ['uri|base64offset|base64|contains: x', 'base64 and base64offset can be applied only once'],
  ];
  // The spec's time-part modifiers compare parts of a date: refused rather than matched as text.
  for (const m of ['neq', 'minute', 'hour', 'day', 'week', 'month', 'year']) cases.push([`uri|${m}: 1`, `unsupported modifier ${m}`]);
  for (const [item, message] of cases) {
    const errors = errorsFrom(`
    sel:
        ${item}
    condition: sel`);
    assert.deepEqual(errors, [message], item);
  }
});

void test('a repeated re flag counts once; windash and Base64 combine, each applied once', () => {
  const r = ruleFrom(`
    sel:
        uri|re|i|i: '^/owa/'
    condition: sel`);
  assert.equal(r.match(uri('/OWA/x')), true);
  const dashB64 = ruleFrom(`
    sel:
        cmd|windash|base64offset|contains: ' -enc '
    condition: sel`);
  const encoded = Buffer.from('powershell /enc x').toString('base64');
  assert.equal(dashB64.match(record({ cmd: encoded })), true);
});
