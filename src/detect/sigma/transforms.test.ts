import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { parseWildcards, plainText, type Pattern } from './pattern.js';
import { RuleProblem } from './problem.js';
import { base64, base64offset, utf16, windash, type Stage } from './transforms.js';

const text = (s: string): Stage => ({ kind: 'pattern', pattern: parseWildcards(s) });
const out = (s: Stage): string => (s.kind === 'pattern' ? (plainText(s.pattern) ?? '<wildcards>') : '<bytes>');
const show = (p: Pattern): string => p.map((x) => (x.kind === 'text' ? x.text : `<${x.kind}>`)).join('');

void test('windash: dashes and slashes that start a word get every variant', () => {
  const variants = windash(parseWildcards(' -enc ')).map(show);
  assert.deepEqual(variants, [' -enc ', ' /enc ', ' \u2013enc ', ' \u2014enc ', ' \u2015enc ']);
  const two = windash(parseWildcards('-a /b')).map(show);
  assert.equal(two.length, 25);
  assert.ok(two.includes('\u2014a -b'));
  // Inside a word, or not followed by one, a dash is left alone.
  assert.deepEqual(windash(parseWildcards('x-y a/b - ')).map(show), ['x-y a/b - ']);
  // Many positions: one pattern with a character class instead of 5^n variants.
  const many = windash(parseWildcards('-a -b -c -d'));
  assert.equal(many.length, 1);
  assert.equal(show(many[0] as Pattern), '<dash>a <dash>b <dash>c <dash>d');
});

void test('base64 and the UTF-16 encodings (values checked against Python)', () => {
  assert.equal(out(base64(text('/ecp/DDI'))), 'L2VjcC9EREk=');
  assert.equal(out(base64(utf16(text('cmd'), 'utf16le'))), 'YwBtAGQA');
  assert.equal(out(base64(utf16(text('cmd'), 'wide'))), 'YwBtAGQA');
  assert.equal(out(base64(utf16(text('cmd'), 'utf16be'))), 'AGMAbQBk');
  assert.equal(out(base64(utf16(text('cmd'), 'utf16'))), '//5jAG0AZAA=');
});

void test('base64offset gives the three alignments with the unstable ends cut (values checked against Python)', () => {
  assert.deepEqual(base64offset(text('invoke')).map(out), ['aW52b2tl', 'ludm9rZ', 'pbnZva2']);
  assert.deepEqual(base64offset(utf16(text('IEX'), 'utf16le')).map(out), ['SQBFAFgA', 'kARQBYA', 'JAEUAWA']);
});

void test('base64offset: some variant occurs in the Base64 of any text that contains the value', () => {
  const fillers = ['', 'a', 'bc', 'def', 'ghij', 'klmno'];
  for (const value of ['invoke', 'IEX', 'powershell -nop', 'x1']) {
    const variants = base64offset(text(value)).map(out);
    for (const before of fillers) {
      for (const after of fillers) {
        const encoded = Buffer.from(before + value + after).toString('base64');
        assert.ok(
          variants.some((v) => encoded.includes(v)),
          `${value} between ${before}/${after}`,
        );
      }
    }
  }
});

void test('encoding a wildcard or leaving UTF-16 unencoded is a rule problem', () => {
  assert.throws(() => base64(text('a*b')), RuleProblem);
  assert.throws(() => base64offset(text('a?b')), RuleProblem);
  assert.throws(() => utf16(text('a*'), 'utf16le'), RuleProblem);
});

const count = (s: string): number => windash(parseWildcards(s)).length;

void test('windash: a word starts at a letter of any script, a digit or an underscore', () => {
  for (const s of ['-a', '-Z', '-1', '-_x', '-\u00e9t\u00e9', '-\u0434']) assert.equal(count(s), 5, s);
  for (const s of ['a-b', '1-b', '_-b', '\u00e9-b', '-', '- a', '-.a', '-*', '-?']) assert.equal(count(s), 1, s);
});

void test('windash: any of the five characters is a dash, and a wildcard before one is not a word', () => {
  for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) {
    const variants = windash(parseWildcards(`x ${d}enc`)).map(show);
    assert.deepEqual(variants, ['x -enc', 'x /enc', 'x \u2013enc', 'x \u2014enc', 'x \u2015enc'], d);
  }
  assert.deepEqual(windash(parseWildcards('*-enc')).map(show), ['<star>-enc', '<star>/enc', '<star>\u2013enc', '<star>\u2014enc', '<star>\u2015enc']);
  assert.equal(count('?/c'), 5);
});

void test('windash: up to three positions are spelt out (125 variants), more become one character class', () => {
  const three = windash(parseWildcards('-a -b -c')).map(show);
  assert.equal(three.length, 125);
  assert.equal(new Set(three).size, 125);
  assert.ok(three.includes('\u2015a /b -c'));
  // The pieces are exact: no empty text between a wildcard and a class, text kept whole.
  assert.deepEqual(windash(parseWildcards('-a -b *-c -d')), [
    [
      { kind: 'dash' },
      { kind: 'text', text: 'a ' },
      { kind: 'dash' },
      { kind: 'text', text: 'b ' },
      { kind: 'star' },
      { kind: 'dash' },
      { kind: 'text', text: 'c ' },
      { kind: 'dash' },
      { kind: 'text', text: 'd' },
    ],
  ]);
  assert.deepEqual(windash(parseWildcards('*-x?')), [
    [{ kind: 'star' }, { kind: 'text', text: '-x' }, { kind: 'one' }],
    [{ kind: 'star' }, { kind: 'text', text: '/x' }, { kind: 'one' }],
    [{ kind: 'star' }, { kind: 'text', text: '\u2013x' }, { kind: 'one' }],
    [{ kind: 'star' }, { kind: 'text', text: '\u2014x' }, { kind: 'one' }],
    [{ kind: 'star' }, { kind: 'text', text: '\u2015x' }, { kind: 'one' }],
  ]);
});

void test('base64offset: the cuts for each length modulo 3 (values checked against pySigma)', () => {
  assert.deepEqual(base64offset(text('a')).map(out), ['Y', '', 'h']);
  assert.deepEqual(base64offset(text('ab')).map(out), ['YW', 'Fi', 'hY']);
  assert.deepEqual(base64offset(text('abcd')).map(out), ['YWJjZ', 'FiY2', 'hYmNk']);
  assert.deepEqual(base64offset(text('abcde')).map(out), ['YWJjZG', 'FiY2Rl', 'hYmNkZ']);
  assert.deepEqual(base64offset(text('\u00e9\u20ac')).map(out), ['w6nigq', 'Op4oKs', 'DqeKCr'], 'text is UTF-8');
});

void test('base64 of text beyond ASCII in each encoding (values checked against Python)', () => {
  const v = '\u00e9\u20ac';
  assert.equal(out(base64(text(v))), 'w6nigqw=');
  assert.equal(out(base64(utf16(text(v), 'utf16le'))), '6QCsIA==');
  assert.equal(out(base64(utf16(text(v), 'utf16be'))), 'AOkgrA==');
  assert.equal(out(base64(utf16(text(v), 'utf16'))), '//7pAKwg');
});

void test('the messages a rule author reads name the modifier and what it cannot take', () => {
  const refused = (f: () => unknown, message: string): void => {
    assert.throws(f, (e) => e instanceof RuleProblem && e.message === message, message);
  };
  refused(() => utf16(utf16(text('a'), 'utf16le'), 'utf16be'), 'utf16be cannot follow utf16le');
  refused(() => utf16(utf16(text('a'), 'wide'), 'utf16'), 'utf16 cannot follow wide');
  refused(() => base64(text('a*b')), 'base64 cannot encode a value with wildcards');
  refused(() => base64offset(text('a?b')), 'base64offset cannot encode a value with wildcards');
  refused(() => utf16(text('a*'), 'wide'), 'wide cannot encode a value with wildcards');
});
