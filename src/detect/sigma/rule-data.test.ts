import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineCounter, parseAllDocuments } from 'yaml';
import { isRuleFileData, linePos } from './rule-data.js';
import { readRuleFile } from './rule-read.js';

void test("linePos gives each offset's line and column as the YAML library's line counter does", () => {
  const text = 'a: 1\n\nbb: [x,\n  y]\n  \nlast';
  const counter = new LineCounter();
  parseAllDocuments(text, { lineCounter: counter });
  for (let offset = 0; offset <= text.length; offset++) {
    assert.deepEqual(linePos(counter.lineStarts, offset), counter.linePos(offset), `offset ${offset}`);
  }
  assert.deepEqual(linePos([0, 5, 6], 6), { line: 3, col: 1 }, 'an empty line starts where the line before ends');
  assert.deepEqual(linePos([0, 5, 6], 100), { line: 3, col: 95 }, 'past the end: on the last line');
  assert.deepEqual(linePos([], 3), { line: 0, col: 3 }, 'no lines at all');
});

/** A file's data holding every kind of node, each optional offset given once and left out once. */
function full(): unknown {
  return {
    lineStarts: [0, 10, 20],
    docs: [
      { located: [{ message: 'YAML: x', line: 1, column: 2 }, { message: 'no position' }] },
      {
        at: 0,
        ruleId: 'r-1',
        problems: [{ problem: 'p', at: 3 }, { problem: 'q' }],
        stop: false,
        data: { title: 't' },
        detection: {
          at: 5,
          entries: [
            {
              selection: 'sel',
              at: 6,
              data: {
                at: 6,
                map: [
                  {
                    key: 'a',
                    keyAt: 7,
                    values: [
                      { kind: 'string', text: 'x', at: 8 },
                      { kind: 'number', text: '1.10' },
                      { kind: 'boolean', text: 'true' },
                      { kind: 'null', text: '' },
                    ],
                  },
                  { key: 'b', values: { fieldProblem: 'no-value', at: 9 } },
                  { key: 'c', values: { fieldProblem: 'values-not-scalars' } },
                  { key: 'd', values: { fieldProblem: 'value-not-scalar' } },
                  { key: 'e', values: { problem: 'bad', at: 1 } },
                  { problem: 'an item' },
                ],
              },
            },
            { selection: 'kw', data: { keyword: { kind: 'string', text: 'k' } } },
            { selection: 'list', data: { list: [{ map: [] }, { keyword: { kind: 'number', text: '2' } }, { problem: 'x', at: 0 }] } },
            { selection: 'broken', data: { problem: 'selection is empty' } },
            { timeframe: true, at: 4 },
            { timeframe: true },
          ],
          condition: { at: 1, items: [{ text: 'sel', at: 1, shift: 0 }, { text: 'kw', shift: null }, { problem: 'c' }] },
        },
      },
      { problems: [], stop: true, data: {}, detection: { problem: 'detection must be a map', at: 2 } },
      { problems: [], stop: false, data: {}, detection: { entries: [], condition: { problem: 'not a string' } } },
      { problems: [], stop: false, data: {}, detection: { entries: [] } },
      { problems: [], stop: false, data: {} },
    ],
  };
}

type Json = Record<string, unknown> | unknown[];
const DELETE = Symbol('delete');

/** `full()` with the node at `path` replaced by `value` (or its key removed). */
function edited(path: (string | number)[], value: unknown): unknown {
  const root = full() as Json;
  let node: Json = root;
  for (const k of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[k] as Json;
  const last = path[path.length - 1] as string | number;
  const holder = node as Record<string | number, unknown>;
  assert.ok(last in holder, `no node at ${path.join('.')}`);
  if (value === DELETE) delete holder[last];
  else holder[last] = value;
  return root;
}

void test("every kind of node the reader writes is accepted, as readRuleFile's own output is", () => {
  assert.equal(isRuleFileData(full()), true);
  const texts = [
    'title: t\nid: 1\nlogsource: {category: a}\ndetection:\n    sel:\n        a|contains: [x, 1, true, null]\n        b:\n    kw: word\n    list: [{c: d}, word, [nested]]\n    timeframe: 5m\n    condition: [sel, "kw or list"]\n',
    'title: t\nlogsource: {}\ndetection:\n    sel: []\n    other: {}\n    n: ~\n    condition: 5\n---\n- a list\n---\ntitle: [\n---\ncorrelation: {}\n',
    'detection: [x]\n',
  ];
  for (const text of texts) {
    const data = JSON.parse(JSON.stringify(readRuleFile(text))) as unknown;
    assert.equal(isRuleFileData(data), true, text);
  }
});

void test('a copy read back from a cache is refused when any one node is not what compiling relies on', () => {
  const det = ['docs', 1, 'detection'];
  const sel = [...det, 'entries', 0, 'data'];
  const item = [...sel, 'map', 0];
  const breaks: [string, (string | number)[], unknown][] = [
    ['the whole', [], null],
    ['line starts not a list', ['lineStarts'], 'x'],
    ['a line start not an integer', ['lineStarts', 1], 1.5],
    ['docs not a list', ['docs'], {}],
    ['a doc not an object', ['docs', 5], 'x'],
    ['a located message not text', ['docs', 0, 'located', 0, 'message'], 5],
    ['a located line not an integer', ['docs', 0, 'located', 0, 'line'], '1'],
    ['a located column not an integer', ['docs', 0, 'located', 0, 'column'], 0.5],
    ['located not a list', ['docs', 0, 'located'], {}],
    ['a doc at a negative offset', ['docs', 1, 'at'], -1],
    ['a doc at a fractional offset', ['docs', 1, 'at'], 1.5],
    ['a rule id not text', ['docs', 1, 'ruleId'], 1],
    ['problems absent', ['docs', 1, 'problems'], DELETE],
    ['a problem without its message', ['docs', 1, 'problems', 1, 'problem'], DELETE],
    ['a problem at an offset that is text', ['docs', 1, 'problems', 0, 'at'], '3'],
    ['stop not a boolean', ['docs', 1, 'stop'], 0],
    ['stop absent', ['docs', 5, 'stop'], DELETE],
    ['data not a map', ['docs', 1, 'data'], []],
    ['data null', ['docs', 5, 'data'], null],
    ['detection a list', det, []],
    ['detection at text', [...det, 'at'], 'x'],
    ['entries absent', ['docs', 4, 'detection', 'entries'], DELETE],
    ['an entry not a map', [...det, 'entries', 1], 'kw'],
    ['an entry at a negative offset', [...det, 'entries', 0, 'at'], -5],
    ['a timeframe entry not true', [...det, 'entries', 4, 'timeframe'], 'yes'],
    ['a selection name not text', [...det, 'entries', 0, 'selection'], 3],
    ['a selection without data', [...det, 'entries', 1, 'data'], DELETE],
    ['a selection that is text', [...det, 'entries', 3, 'data'], 'x'],
    ['a map not a list', [...sel, 'map'], {}],
    ['a map at text', [...sel, 'at'], 'x'],
    ['an item key not text', [...item, 'key'], 1],
    ['an item key at text', [...item, 'keyAt'], '7'],
    ['an item without values', [...item, 'values'], DELETE],
    ['a value of an unknown kind', [...item, 'values', 0, 'kind'], 'function'],
    ['a value whose text is a number', [...item, 'values', 1, 'text'], 1.1],
    ['a value at a negative offset', [...item, 'values', 0, 'at'], -1],
    ['an item problem unknown', [...sel, 'map', 1, 'values', 'fieldProblem'], 'other'],
    ['an item problem at text', [...sel, 'map', 1, 'values', 'at'], 'x'],
    ['an item problem without its message', [...sel, 'map', 4, 'values', 'problem'], DELETE],
    ['a map entry neither item nor problem', [...sel, 'map', 5], { nothing: 1 }],
    ['a keyword that is text', [...det, 'entries', 1, 'data', 'keyword'], 'k'],
    ['a keyword of an unknown kind', [...det, 'entries', 1, 'data', 'keyword', 'kind'], 'regex'],
    ['a list not a list', [...det, 'entries', 2, 'data', 'list'], {}],
    ['a list member neither map, keyword nor problem', [...det, 'entries', 2, 'data', 'list', 1], { keyword: 'k' }],
    ['a list member map with a broken item', [...det, 'entries', 2, 'data', 'list', 0, 'map'], [{ key: 1, values: [] }]],
    ['a condition of text', [...det, 'condition'], 'sel'],
    ['condition items absent', [...det, 'condition', 'items'], DELETE],
    ['condition at text', [...det, 'condition', 'at'], 'x'],
    ['a condition item without text', [...det, 'condition', 'items', 0, 'text'], DELETE],
    ['a condition shift fractional', [...det, 'condition', 'items', 0, 'shift'], 0.5],
    ['a condition shift absent', [...det, 'condition', 'items', 1, 'shift'], DELETE],
    ['a condition item at text', [...det, 'condition', 'items', 0, 'at'], 'x'],
    ['a condition problem without text', ['docs', 3, 'detection', 'condition', 'problem'], 4],
    ['a detection problem at text', ['docs', 2, 'detection', 'at'], 'x'],
  ];
  for (const [what, path, value] of breaks) {
    const data = path.length === 0 ? value : edited(path, value);
    assert.equal(isRuleFileData(data), false, what);
  }
  // Offsets and ids are optional.
  const fine: [string, (string | number)[], unknown][] = [
    ['no doc offset', ['docs', 1, 'at'], DELETE],
    ['no rule id', ['docs', 1, 'ruleId'], DELETE],
  ];
  for (const [what, path, value] of fine) assert.equal(isRuleFileData(edited(path, value)), true, what);
});
