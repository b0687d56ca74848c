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

test("a value is cut at each character a log may write otherwise, and at no other ('~' is kept)", () => {
  for (const c of ['"', '&', "'", '+', '<', '>', '?', '\\', ' ', '\t', 'é', '\u007f']) {
    assert.deepEqual(patternNeed('f', parseWildcards(`abcd${c}efghij`), true), { text: 'efghij', field: 'f', start: false, end: true }, JSON.stringify(c));
  }
  assert.deepEqual(patternNeed('f', parseWildcards('serverinfo~a'), true), { text: 'serverinfo~a', field: 'f', start: true, end: true });
});

test('the piece chosen: the longest, an anchored end or start counting one more; a piece before a wildcard ends nothing', () => {
  assert.deepEqual(patternNeed('q', parseWildcards('abc defg'), true), { text: 'defg', field: 'q', start: false, end: true });
  assert.deepEqual(patternNeed('q', parseWildcards('abcd ef'), true), { text: 'abcd', field: 'q', start: true, end: false });
  assert.deepEqual(patternNeed('q', parseWildcards('ab cdefgh'), true), { text: 'cdefgh', field: 'q', start: false, end: true });
  assert.deepEqual(patternNeed('q', parseWildcards('abcd*ef'), true), { text: 'abcd', field: 'q', start: true, end: false });
});

test('AND of one need is that need; OR of none or with a branch that asks nothing asks nothing; OR of one is that one', () => {
  const a = patternNeed('x', withLeadingStar(withTrailingStar(parseWildcards('/ecp/'))), true);
  assert.deepEqual(needAll([a, null]), a);
  assert.equal(needAny([]), null);
  assert.equal(needAny([a, null]), null);
  assert.deepEqual(needAny([a]), a);
});

test('resolving an OR: every crossing of one clause from each branch while there are few, a clause implied by another left out, the same clause twice asked once', () => {
  const p = (text: string) => patternNeed('x', withLeadingStar(withTrailingStar(parseWildcards(text))), true);
  // A record matching (abcdef AND xyz) OR /owa/ holds abcdef or /owa/, and xyz or /owa/: both are asked.
  assert.deepEqual(resolveNeed(needAny([needAll([p('abcdef'), p('xyz')]), p('/owa/')]), free), [
    ['abcdef', '/owa/'],
    ['xyz', '/owa/'],
  ]);
  // The shape of a rule for known paths OR (/ecp/ AND .js): .js is asked too, not /ecp/ alone.
  const known = needAny([p('/ecp/y.js'), p('/owa/auth/x.js')]);
  assert.deepEqual(resolveNeed(needAny([known, needAll([p('/ecp/'), p('.js')])]), free), [
    ['/ecp/y.js', '/owa/auth/x.js', '/ecp/'],
    ['/ecp/y.js', '/owa/auth/x.js', '.js'],
  ]);
  // a OR (a AND b) is a: the crossing holding b asks nothing more than the one without it.
  assert.deepEqual(resolveNeed(needAny([p('/ecp/'), needAll([p('/ecp/'), p('/owa/')])]), free), [['/ecp/']]);
  // A clause sharing a string with a shorter one, but not all of its strings, is still asked.
  assert.deepEqual(resolveNeed(needAny([needAll([p('aaaa'), needAny([p('bbbb'), p('dddd')])]), p('cccc')]), free), [
    ['aaaa', 'cccc'],
    ['bbbb', 'dddd', 'cccc'],
  ]);
  // Four crossings are asked (two clauses crossed with two).
  assert.deepEqual(resolveNeed(needAny([needAll([p('aaaa'), p('bbbb')]), needAll([p('cccc'), p('dddd')])]), free), [
    ['aaaa', 'cccc'],
    ['aaaa', 'dddd'],
    ['bbbb', 'cccc'],
    ['bbbb', 'dddd'],
  ]);
  // A branch too short to ask for leaves the OR with nothing to ask, however many the others cross to.
  assert.deepEqual(resolveNeed(needAny([p('/ecp/'), p('t=')]), free), []);
  assert.deepEqual(resolveNeed(needAny([needAll([p('aaaa'), p('bbbb'), p('cccc')]), needAll([p('dddd'), p('eeee')]), p('t=')]), free), []);
  assert.deepEqual(resolveNeed(needAll([p('/ecp/'), p('/ecp/')]), free), [['/ecp/']]);
  assert.deepEqual(resolveNeed(needAll([needAny([p('/ecp/'), p('/owa/')]), needAny([p('/owa/'), p('/ecp/')])]), free), [['/ecp/', '/owa/']]);
});

test('resolving an OR past four crossings: each branch gives its most selective clause, by the shortest string in each, on a tie the one with fewer strings', () => {
  const p = (text: string) => patternNeed('x', withLeadingStar(withTrailingStar(parseWildcards(text))), true);
  // Three clauses crossed with two are six: one clause each.
  const pair = needAll([p('/owa/'), p('qqqq')]);
  assert.deepEqual(resolveNeed(needAny([needAll([p('xyz'), p('abcdef'), p('mnop')]), pair]), free), [['abcdef', '/owa/']]);
  const ties = needAll([p('ccccc'), needAny([p('aaaaa'), p('bbbbb')]), p('ddddd')]);
  assert.deepEqual(resolveNeed(needAny([ties, pair]), free), [['ccccc', '/owa/']]);
  // A clause of fewer strings is not chosen for that when its shortest string is shorter.
  const fewer = needAll([needAny([p('aaaaa'), p('bbbbb')]), p('xyz')]);
  assert.deepEqual(resolveNeed(needAny([fewer, needAll([p('/owa/'), p('qqqq'), p('rrrr')])]), free), [['aaaaa', 'bbbbb', '/owa/']]);
  // On a tie of the shortest string, the clause of fewer strings, wherever it comes.
  const tie = needAll([needAny([p('aaaaa'), p('bbbbb')]), p('ccccc')]);
  assert.deepEqual(resolveNeed(needAny([tie, needAll([p('/owa/'), p('qqqq'), p('rrrr')])]), free), [['ccccc', '/owa/']]);
  const weakestCounts = needAll([needAny([p('abcdefgh'), p('xyz')]), p('wxyzw'), p('mnop')]);
  assert.deepEqual(resolveNeed(needAny([weakestCounts, pair]), free), [['wxyzw', '/owa/']]);
});

test("resolving: clauses of the same letters cut otherwise are two; an escaped '?' cuts", () => {
  const p = (text: string) => patternNeed('x', withLeadingStar(withTrailingStar(parseWildcards(text))), true);
  assert.deepEqual(resolveNeed(needAll([needAny([p('abc'), p('defg')]), needAny([p('abcd'), p('efg')])]), free), [
    ['abc', 'defg'],
    ['abcd', 'efg'],
  ]);
  assert.deepEqual(patternNeed('f', parseWildcards('abcd\\?efghij'), true), { text: 'efghij', field: 'f', start: false, end: true });
});

test('resolved for a separated log: a start takes the space before, an end the space after, a keyword neither; three characters are enough', () => {
  assert.deepEqual(resolveNeed(patternNeed('q', withTrailingStar(parseWildcards('t=x')), true), separated), [[' t=x']]);
  assert.deepEqual(resolveNeed(patternNeed('q', withLeadingStar(parseWildcards('.aspx')), true), separated), [['.aspx ']]);
  assert.deepEqual(resolveNeed(patternNeed('', parseWildcards('444'), false), separated), [['444']]);
  assert.deepEqual(resolveNeed(patternNeed('q', withLeadingStar(withTrailingStar(parseWildcards('ab'))), true), free), []);
});
