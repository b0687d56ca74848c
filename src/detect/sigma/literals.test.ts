import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { and, not } from './combine.js';
import type { Compiled } from './field-item.js';
import { allOf, anyOf, valueLiteral, withCommonLiterals } from './literals.js';
import { parseWildcards, type Part } from './pattern.js';
import { compileRules } from './rule-file.js';
import { errorsFrom, ruleFrom } from './test-helpers/rules.js';
import type { FieldAccess } from './types.js';

const lit = (s: string) => valueLiteral(parseWildcards(s));

void test('a value gives its longest piece between wildcards and log-encoding characters, lower-cased', () => {
  assert.equal(lit('/owa/auth/Current/themes/resources/'), '/owa/auth/current/themes/resources/');
  assert.equal(lit('*/ecp/*.js'), '/ecp/');
  assert.equal(lit('autodiscover.json?@'), 'autodiscover.json');
  assert.equal(lit('json\\?@foo.com'), '@foo.com', 'a plain ? still splits: readers cut URLs there');
  assert.equal(lit('Mozilla/5.0 (compatible; Googlebot/2.1)'), 'googlebot/2.1)');
  assert.equal(lit('a+bcd+ef'), 'bcd');
  assert.equal(lit('say "hello" there'), 'hello');
  assert.equal(lit('C:\\inetpub\\wwwroot\\aspnet_client\\'), 'aspnet_client');
  assert.equal(lit('<script language=JScript'), 'language=jscript');
  assert.equal(lit('caf\u00e9teria'), 'teria', 'non-ASCII splits');
  assert.equal(lit('ab'), null);
  assert.equal(lit('a*b*c'), null);
  assert.equal(lit(''), null);
  assert.equal(lit('abc'), 'abc');
  assert.equal(lit('<b>bold</b>'), 'bold', 'XML escapes > as well as <');
  assert.equal(lit('/ecp/ServerInfo~'), '/ecp/serverinfo~', '~ is the last character no log rewrites');
});

void test('OR is the union (minus literals that contain another); null if any side is null', () => {
  assert.deepEqual(anyOf([['abc'], ['def']]), ['abc', 'def']);
  assert.deepEqual(anyOf([['abc'], ['xabcx'], ['abc']]), ['abc']);
  assert.equal(anyOf([['abc'], null]), null);
  assert.equal(anyOf([]), null, 'an OR of nothing requires nothing (an empty list would let no record through)');
});

/** The first, quadratic form of the OR's union: every literal against every kept one. */
function quadraticUnion(literals: readonly string[]): string[] {
  const unique = [...new Set(literals)].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  for (const s of unique) if (!kept.some((k) => s.includes(k))) kept.push(s);
  return kept;
}

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

void test('past the few kept literals looked up one by one, a literal below every kept one of its first letter is kept', () => {
  // 33 kept literals, then one starting with `u` that sorts before the only kept `u` literal.
  const three = Array.from({ length: 33 }, (_, i) => String(i).padStart(3, '0'));
  assert.deepEqual(anyOf([[...three, 'uzz'], ['undefined!']]), [...three, 'uzz', 'undefined!']);
  assert.deepEqual(anyOf([[...three, 'uzz'], ['xuzzx']]), [...three, 'uzz'], 'and one holding a kept literal is still dropped');
});

void test('OR gives exactly what the quadratic union gave, on random literal sets rich in containment', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    // A tiny alphabet makes literals hold one another often; the prefix makes many share a start, as URL paths do.
    const alphabet = seed % 2 ? 'ab/' : 'abc/.x';
    const word = (): string => {
      const len = 3 + Math.floor(next() * 10);
      let w = next() < 0.5 ? '/ecp/' : '';
      while (w.length < len) w += alphabet[Math.floor(next() * alphabet.length)];
      return w;
    };
    const children: string[][] = [];
    const count = 1 + Math.floor(next() * 6);
    for (let c = 0; c < count; c++) children.push(Array.from({ length: 1 + Math.floor(next() * 40) }, word));
    assert.deepEqual(anyOf(children), quadraticUnion(children.flat()), `seed ${seed}`);
  }
});

void test('AND takes the most selective child: shortest literal longest, then fewest', () => {
  assert.deepEqual(allOf([['abc'], ['abcdef']]), ['abcdef']);
  assert.deepEqual(allOf([['abcd', 'efgh'], ['ijkl']]), ['ijkl']);
  assert.deepEqual(allOf([['abcdef', 'xyz'], ['abcd']]), ['abcd']);
  assert.deepEqual(allOf([null, ['abc']]), ['abc']);
  assert.equal(allOf([null, null]), null);
  assert.deepEqual(allOf([[], ['abc']]), ['abc'], 'a child with no literal gives nothing to choose');
  assert.deepEqual(allOf([['abc'], []]), ['abc']);
  // Same shortest literal: the longer on average, then the fewer.
  assert.deepEqual(
    allOf([
      ['abcd', 'efgh'],
      ['abcd', 'efghijkl'],
    ]),
    ['abcd', 'efghijkl'],
  );
  assert.deepEqual(
    allOf([
      ['abcd', 'efghijkl'],
      ['abcd', 'efgh'],
    ]),
    ['abcd', 'efghijkl'],
  );
  assert.deepEqual(allOf([['abcde', 'fghij'], ['abcde']]), ['abcde']);
  // Each rule holds in either order of the children; all equal, the first stays.
  assert.deepEqual(allOf([['abcd'], ['abcdef', 'xyz']]), ['abcd']);
  assert.deepEqual(allOf([['ijkl'], ['abcd', 'efgh']]), ['ijkl']);
  assert.deepEqual(allOf([['abcd'], ['efgh']]), ['abcd']);
});

void test('the common literals hold for one compile only, compared lower-cased, and are restored after it, even when it throws', () => {
  const steer = () => allOf([['/owa/auth/'], ['beacon']]);
  assert.deepEqual(steer(), ['/owa/auth/']);
  assert.deepEqual(
    withCommonLiterals(['/owa/auth/logon.aspx'], () => allOf([['beacon'], ['/owa/auth/']])),
    ['beacon'],
  );
  assert.deepEqual(
    withCommonLiterals(['/OWA/Auth/logon.aspx'], () => [steer(), withCommonLiterals([], steer), steer()]),
    [['beacon'], ['/owa/auth/'], ['beacon']],
  );
  assert.throws(
    () =>
      withCommonLiterals(['/owa/auth/logon.aspx'], () => {
        throw new Error('bad rule');
      }),
    /bad rule/,
  );
  assert.deepEqual(steer(), ['/owa/auth/']);
});

void test("a NOT's child is never asked for its literals (they are worked out only when read)", () => {
  let asked = 0;
  const child: Compiled = {
    match: () => true,
    fields: ['x'],
    need: () => null,
    get literals() {
      asked++;
      return ['stockpage'];
    },
  };
  const kept: Compiled = { match: () => true, fields: ['y'], literals: ['attack'], need: () => null };
  const whole = and([kept, not(child)]);
  assert.equal(asked, 0, 'building the nodes reads no literals');
  assert.deepEqual(whole.literals, ['attack']);
  assert.deepEqual(whole.literals, ['attack']);
  assert.equal(asked, 0, 'the negated child was never asked');
});

void test("the common literals still steer AND's choice although literals are worked out lazily", () => {
  const text = `title: t\nid: t-2\nlogsource:\n    category: webserver\ndetection:\n    a:\n        x|contains: /owa/auth/\n    b:\n        y|contains: beacon\n    condition: a and b\n`;
  const plain = compileRules(text, 't.yml');
  const steered = compileRules(text, 't.yml', { commonLiterals: ['/OWA/auth/logon.aspx'] });
  assert.deepEqual(plain.rules[0]?.literals, ['/owa/auth/'], 'the longer literal, with nothing common');
  assert.deepEqual(steered.rules[0]?.literals, ['beacon'], 'the common one is avoided');
});

void test('rule literals: selections, lists, and/or/not, x of', () => {
  const r = ruleFrom(`
    sel:
        cs-method: POST
        cs-uri-query|contains:
            - /owa/auth/Current/
            - /ecp/default.flt
    filter:
        cs-user-agent|contains: Exchange BackEnd Probes
    condition: sel and not filter`);
  assert.deepEqual(r.literals, ['/ecp/default.flt', '/owa/auth/current/']);
  const or = ruleFrom(`
    a:
        x: abcdef
    b:
        y|re: 'q+'
    condition: a or b`);
  assert.equal(or.literals, null, 'an OR with a regex side requires nothing');
  const onlyNot = ruleFrom(`
    a:
        x: abcdef
    condition: not a`);
  assert.equal(onlyNot.literals, null);
  const allOfThem = ruleFrom(`
    a:
        x: abc
    b:
        y: abcdefgh
    condition: all of them`);
  assert.deepEqual(allOfThem.literals, ['abcdefgh']);
  const oneOf = ruleFrom(`
    a:
        x: abcd
    b:
        y: efgh
    condition: 1 of them`);
  assert.deepEqual(oneOf.literals, ['abcd', 'efgh']);
  const windash = ruleFrom(`
    a:
        cmd|windash|contains: ' -enc'
    condition: a`);
  // The en-dash variant (non-ASCII) leaves "enc", which also covers "-enc" and "/enc".
  assert.deepEqual(windash.literals, ['enc']);
  const b64 = ruleFrom(`
    a:
        cmd|base64offset|contains: 'invoke'
    condition: a`);
  assert.deepEqual(b64.literals, ['ludm9rz', 'pbnzva2', 'aw52b2tl']);
  for (const d of ['x|exists: true', 'x|gt: 5', 'x|cidr: 10.0.0.0/8', 'x: null', "x: ''", 'x|fieldref: y', 'x: ab']) {
    assert.equal(ruleFrom(`\n    a:\n        ${d}\n    condition: a`).literals, null, d);
  }
});

// ---- Soundness: match(record) => some literal occurs in raw.toLowerCase(), for generated rules and records ----

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const rand = rng(20210302);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const chance = (p: number) => rand() < p;

/** Characters logs encode (quotes, spaces, plus, backslash, XML specials), non-ASCII, dashes and wildcards. */
const CHARS = ['a', 'b', 'c', 'K', 'x', 'Z', '1', '.', '/', '-', ' ', '"', '+', ',', "'", '&', '<', '\\', '\u00e9', '\u212a', '\u2013', '\n', 'Q'];
const FIELDS = ['f1', 'f2', 'f3', 'msg'];

function word(min: number, max: number, chars = CHARS): string {
  const n = min + Math.floor(rand() * (max - min + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += pick(chars);
  return s;
}

/** A Sigma value string, possibly with wildcards and escapes. */
function sigmaValue(wild: boolean): string {
  let s = '';
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    s += word(1, 6);
    if (wild && chance(0.4)) s += pick(['*', '?', '\\*', '\\?', '\\\\']);
  }
  return s;
}

function flipCase(s: string): string {
  return Array.from(s)
    .map((c) => (c === 'k' && chance(0.3) ? '\u212a' : chance(0.5) ? c.toUpperCase() : c.toLowerCase()))
    .join('');
}

/** Text that the pattern matches (wildcards filled at random, case changed unless cased). */
function instantiate(parts: readonly Part[], cased: boolean): string {
  let s = '';
  for (const p of parts) {
    if (p.kind === 'text') s += cased ? p.text : flipCase(p.text);
    else if (p.kind === 'star') s += word(0, 3);
    else s += pick(CHARS);
  }
  return s;
}

interface Item {
  key: string;
  values: string[];
  /** Field values that satisfy one of the values. */
  samples: () => string;
}

function yamlQuote(s: string): string {
  return JSON.stringify(s);
}

function makeItem(field: string): Item {
  const kind = pick([
    'plain',
    'contains',
    'startswith',
    'endswith',
    'all',
    'cased',
    'windash',
    'b64off',
    'wide',
    'b64',
    're',
    'cidr',
    'exists',
    'null',
    'empty',
    'gt',
  ]);
  const enc = kind === 'b64off' || kind === 'wide' || kind === 'b64';
  const values = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => sigmaValue(!enc && kind !== 're'));
  const noise = () => word(0, 4);
  const one = (i: number) => values[i % values.length] as string;
  switch (kind) {
    case 'plain':
    case 'cased':
      return { key: kind === 'cased' ? `${field}|cased` : field, values, samples: () => instantiate(parseWildcards(pick(values)), kind === 'cased') };
    case 'contains':
    case 'windash':
      return {
        key: kind === 'windash' ? `${field}|windash|contains` : `${field}|contains`,
        values,
        samples: () => {
          let s = instantiate(parseWildcards(pick(values)), false);
          if (kind === 'windash') s = s.replace(/[-/]/g, () => pick(['-', '/', '\u2013', '\u2014', '\u2015']));
          return noise() + s + noise();
        },
      };
    case 'startswith':
      return { key: `${field}|startswith`, values, samples: () => instantiate(parseWildcards(pick(values)), false) + noise() };
    case 'endswith':
      return { key: `${field}|endswith`, values, samples: () => noise() + instantiate(parseWildcards(pick(values)), false) };
    case 'all':
      return { key: `${field}|contains|all`, values, samples: () => values.map((v) => noise() + instantiate(parseWildcards(v), false)).join('') };
    case 'b64off':
    case 'wide': {
      const encoding = kind === 'wide' ? 'utf16le' : 'utf8';
      return {
        key: kind === 'wide' ? `${field}|wide|base64offset|contains` : `${field}|base64offset|contains`,
        values,
        samples: () => noise() + Buffer.from(word(0, 3, ['a', 'b', 'c']) + pick(values) + word(0, 3, ['a', 'b']), encoding).toString('base64') + noise(),
      };
    }
    case 'b64':
      return { key: `${field}|base64`, values, samples: () => Buffer.from(pick(values)).toString('base64') };
    case 're': {
      const texts = values.map((v) => v.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'));
      return { key: `${field}|re`, values: texts, samples: () => noise() + one(Math.floor(rand() * 3)) + noise() };
    }
    case 'cidr':
      return { key: `${field}|cidr`, values: ['10.0.0.0/8'], samples: () => `10.${Math.floor(rand() * 9)}.1.2` };
    case 'exists':
      return { key: `${field}|exists`, values: ['true'], samples: noise };
    case 'gt':
      return { key: `${field}|gt`, values: ['5'], samples: () => String(Math.floor(rand() * 10)) };
    case 'null':
      return { key: field, values: ['null'], samples: () => '' };
    default:
      return { key: field, values: ["''"], samples: () => '' };
  }
}

interface Generated {
  yaml: string;
  samples: Map<string, (() => string)[]>;
}

function makeRule(): Generated {
  const samples = new Map<string, (() => string)[]>();
  const add = (field: string, f: () => string) => samples.set(field, [...(samples.get(field) ?? []), f]);
  const names = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => (chance(0.2) ? `_s${i}` : `s${i}`));
  let body = '';
  for (const name of names) {
    body += `    ${name}:\n`;
    const shape = pick(['map', 'map', 'list-of-maps', 'keywords']);
    if (shape === 'keywords') {
      const all = chance(0.3);
      const kws = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => sigmaValue(true));
      body += all ? `        '|all':\n` : '';
      for (const k of kws) body += `${all ? '            ' : '        '}- ${yamlQuote(k)}\n`;
      for (const k of kws) add('msg', () => word(0, 3) + instantiate(parseWildcards(k), false) + word(0, 3));
      continue;
    }
    const maps = shape === 'map' ? 1 : 2;
    for (let m = 0; m < maps; m++) {
      const items = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => makeItem(pick(FIELDS)));
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.key)) return;
        seen.add(item.key);
        const lead = shape === 'map' ? '        ' : i === 0 ? '        - ' : '          ';
        const quote = (v: string) => (v === 'null' || v === "''" || item.key.endsWith('|exists') || item.key.endsWith('|gt') ? v : yamlQuote(v));
        body += `${lead}${item.key}:\n`;
        for (const v of item.values) body += `${shape === 'map' ? '            ' : '              '}- ${quote(v)}\n`;
        add(item.key.split('|')[0] as string, item.samples);
      });
    }
  }
  const expr = (depth: number): string => {
    const r = rand();
    if (depth > 2 || r < 0.35) return pick(names);
    if (r < 0.5) return `not ${expr(depth + 1)}`;
    if (r < 0.6) return pick(['1 of them', 'all of them', '1 of s*', 'all of s*', '1 of _*']);
    if (r < 0.8) return `(${expr(depth + 1)} and ${expr(depth + 1)})`;
    return `(${expr(depth + 1)} or ${expr(depth + 1)})`;
  };
  const yaml = `title: generated\nlogsource:\n    category: test\ndetection:\n${body}    condition: ${expr(0)}\n`;
  return { yaml, samples };
}

/** The raw line as a log writes it, from the field values. */
function rawText(fields: Record<string, string>): string {
  const values = FIELDS.map((f) => fields[f]);
  switch (pick(['csv', 'iis', 'json', 'xml'])) {
    case 'csv':
      return values.map((v) => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
    case 'iis':
      // Spaces become +, empty is -, and a URL is written as stem and query around the `?`.
      return values.map((v) => (v === undefined || v === '' ? '-' : v.replace(/ /g, '+').split('?').join(' '))).join(' ');
    case 'json':
      return JSON.stringify(fields);
    default:
      return Object.entries(fields)
        .map(
          ([k, v]) =>
            `<Data Name="${k}">${v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')}</Data>`,
        )
        .join('');
  }
}

void test('soundness: whenever a generated rule matches a generated record, one of its literals is in the raw text', () => {
  let rules = 0;
  let filtered = 0;
  let matched = 0;
  let matchedFiltered = 0;
  for (let i = 0; i < 500; i++) {
    const g = makeRule();
    const { rules: compiled } = compileRules(g.yaml, 'gen.yml');
    const rule = compiled[0];
    if (rule === undefined) continue;
    rules++;
    if (rule.literals !== null) {
      filtered++;
      for (const l of rule.literals) {
        assert.ok(l.length >= 3 && l === l.toLowerCase() && /^[\x20-\x7e]+$/.test(l), `literal ${JSON.stringify(l)}`);
      }
    }
    for (let j = 0; j < 40; j++) {
      const fields: Record<string, string> = {};
      for (const f of FIELDS) {
        const makers = g.samples.get(f);
        if (makers && chance(0.85)) fields[f] = pick(makers)();
        else if (chance(0.5)) fields[f] = word(0, 5);
      }
      const raw = rawText(fields);
      const access: FieldAccess = {
        get: (f) => fields[f],
        text: () => FIELDS.map((f) => fields[f] ?? '').join(' '),
      };
      if (!rule.match(access)) continue;
      matched++;
      if (rule.literals === null) continue;
      matchedFiltered++;
      const lower = raw.toLowerCase();
      assert.ok(
        rule.literals.some((l) => lower.includes(l)),
        `false negative:\n${g.yaml}\nliterals ${JSON.stringify(rule.literals)}\nfields ${JSON.stringify(fields)}\nraw ${JSON.stringify(raw)}`,
      );
    }
  }
  // The property is only worth something if the generator exercises it.
  if (process.env.SIGMA_STATS) console.log({ rules, filtered, matched, matchedFiltered });
  assert.ok(rules > 300, `rules compiled: ${rules}`);
  assert.ok(filtered > 100, `rules with literals: ${filtered}`);
  assert.ok(matchedFiltered > 1000, `matches checked against literals: ${matchedFiltered} of ${matched}`);
});

void test('a generated rule that fails to compile says why', () => {
  assert.match(
    errorsFrom(`
    a:
        x|base64: 'a*b'
    condition: a`)[0] as string,
    /wildcards/,
  );
});

// Tunna's query `proxy&port=` is cut at `&` (XML escapes it): `proxy` stands in every Outlook Anywhere
// line (/rpc/rpcproxy.dll), so the scanner would read every such line as a candidate; `port=` does not.
test('of the pieces of one value, a piece no common string holds is preferred, then the longest', () => {
  assert.equal(lit('proxy&port='), 'proxy');
  assert.equal(
    withCommonLiterals(['/rpc/rpcproxy.dll'], () => lit('proxy&port=')),
    'port=',
  );
  assert.equal(
    withCommonLiterals(['/rpc/rpcproxy.dll'], () => lit('proxy&ports=x')),
    'ports=x',
  );
  // A piece shorter than five characters counts as common (it turns up in most lines by chance).
  assert.equal(
    withCommonLiterals(['/rpc/rpcproxy.dll'], () => lit('proxy&port')),
    'proxy',
  );
  // A piece any one of the common strings holds is common.
  assert.equal(
    withCommonLiterals(['/owa/auth/', '/rpc/rpcproxy.dll'], () => lit('rpcproxy&port=')),
    'port=',
  );
  // Every piece common: the longest, as before.
  assert.equal(
    withCommonLiterals(['/rpc/rpcproxy.dll', '/owa/auth/'], () => lit('rpcproxy&/owa/auth/')),
    '/owa/auth/',
  );
  assert.equal(
    withCommonLiterals(['/rpc/rpcproxy.dll'], () => lit('ab&cd')),
    null,
  );
});
