import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needAll, needAny, patternNeed, resolveNeed, type FieldWriting } from './need.js';
import { parseWildcards, withLeadingStar, withTrailingStar } from './pattern.js';

const separated: FieldWriting = () => 'separated';
const free: FieldWriting = () => 'free';

test('a piece that starts or ends the value says so, and only where the value has no wildcard there', () => {
  assert.deepEqual(patternNeed('s-port', parseWildcards('444'), true), { text: '444', field: 's-port', start: true, end: true });
  assert.deepEqual(patternNeed('q', withTrailingStar(parseWildcards('t=')), true), { text: 't=', field: 'q', start: true, end: false });
  assert.deepEqual(patternNeed('q', withLeadingStar(parseWildcards('.aspx')), true), { text: '.aspx', field: 'q', start: false, end: true });
  assert.deepEqual(patternNeed('q', withLeadingStar(withTrailingStar(parseWildcards('cmd='))), true), { text: 'cmd=', field: 'q', start: false, end: false });
  // Cut at the characters a log may write otherwise: the piece after a `+` starts nothing.
  assert.deepEqual(patternNeed('ua', parseWildcards('Microsoft WinRM Client'), true), { text: 'microsoft', field: 'ua', start: true, end: false });
  assert.deepEqual(patternNeed('ua', parseWildcards('a b?c'), true), { text: 'a', field: 'ua', start: true, end: false });
  assert.equal(patternNeed('q', parseWildcards('*'), true), null);
  // Not anchorable (a keyword, a transformed value): no ends claimed.
  assert.deepEqual(patternNeed('', parseWildcards('444'), false), { text: '444', field: '', start: false, end: false });
});

test('resolved for a space-separated log, anchored pieces take their spaces; for others they do not', () => {
  const port = patternNeed('s-port', parseWildcards('444'), true);
  const query = patternNeed('q', withTrailingStar(parseWildcards('t=')), true);
  const rule = needAll([port, query]);
  assert.deepEqual(resolveNeed(rule, separated), [[' 444 '], [' t=']]);
  // `t=` alone is too short to ask for: only the port is left.
  assert.deepEqual(resolveNeed(rule, free), [['444']]);
});

test('OR asks one clause of each branch, and nothing when a branch asks nothing; NOT-like nulls drop out of AND', () => {
  const a = patternNeed('x', withLeadingStar(withTrailingStar(parseWildcards('/ecp/'))), true);
  const b = patternNeed('x', withLeadingStar(withTrailingStar(parseWildcards('/owa/auth/'))), true);
  assert.deepEqual(resolveNeed(needAny([a, b]), free), [['/ecp/', '/owa/auth/']]);
  assert.deepEqual(resolveNeed(needAny([a, null]), free), []);
  assert.deepEqual(resolveNeed(needAll([a, null]), free), [['/ecp/']]);
  assert.equal(needAll([null, null]), null);
});
