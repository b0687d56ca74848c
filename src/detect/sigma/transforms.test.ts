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
