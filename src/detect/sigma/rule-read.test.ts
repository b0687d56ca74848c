import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DetectionData, DocData } from './rule-data.js';
import { readRuleFile } from './rule-read.js';

/** The one document a text holds, read. */
function docOf(text: string): DocData {
  const { docs } = readRuleFile(text);
  assert.equal(docs.length, 1);
  const doc = docs[0] as DocData;
  assert.ok(!('located' in doc), JSON.stringify(doc));
  return doc;
}

/** The detection of a rule whose detection block is `block` (indented two spaces). */
function detectionOf(block: string): { text: string; detection: DetectionData } {
  const text = `title: t\nlogsource: {category: a}\ndetection:\n${block}`;
  const doc = docOf(text);
  assert.deepEqual(doc.problems, []);
  assert.ok(doc.detection);
  return { text, detection: doc.detection };
}

/** Offset of the n-th (0-based) occurrence of `s` in `text`. */
function at(text: string, s: string, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(s, i + 1);
    assert.ok(i >= 0, `'${s}' #${n} not in the text`);
  }
  return i;
}

void test('values keep their kind, the text they were written with, and where they and their key are', () => {
  const { text, detection } = detectionOf('  sel:\n    a: [x, 1.10, true, null, 0x1F]\n    b: 7\n  kw: word\n  n: 12\n  condition: sel\n');
  assert.deepEqual(detection, {
    at: at(text, 'sel:'),
    entries: [
      {
        selection: 'sel',
        at: at(text, 'a: ['),
        data: {
          at: at(text, 'a: ['),
          map: [
            {
              key: 'a',
              keyAt: at(text, 'a: ['),
              values: [
                { kind: 'string', text: 'x', at: at(text, 'x,') },
                { kind: 'number', text: '1.10', at: at(text, '1.10') },
                { kind: 'boolean', text: 'true', at: at(text, 'true') },
                { kind: 'null', text: '', at: at(text, 'null') },
                { kind: 'number', text: '0x1F', at: at(text, '0x1F') },
              ],
            },
            { key: 'b', keyAt: at(text, 'b: 7'), values: [{ kind: 'number', text: '7', at: at(text, '7') }] },
          ],
        },
      },
      { selection: 'kw', at: at(text, 'word'), data: { keyword: { kind: 'string', text: 'word', at: at(text, 'word') } } },
      { selection: 'n', at: at(text, '12'), data: { keyword: { kind: 'number', text: '12', at: at(text, '12') } } },
    ],
    condition: { at: at(text, 'sel', 1), items: [{ text: 'sel', at: at(text, 'sel', 1), shift: 0 }] },
  });
});

void test('the id is read as text; a rule without one, or with a null one, has none', () => {
  assert.equal(docOf('id: 7\ntitle: t\n').ruleId, '7');
  assert.equal(docOf('id: abc-1\n').ruleId, 'abc-1');
  assert.equal('ruleId' in docOf('id:\ntitle: t\n'), false);
  assert.equal('ruleId' in docOf('title: t\n'), false);
});

void test('rules of kinds not supported stop at their key; a rule missing its parts says each, where it is', () => {
  const kinds: [string, string, string][] = [
    ['title: t\ncorrelation: {}\naction: global\n', 'correlation rules are not supported', 'correlation'],
    ['logsource: x\nfilter: {}\n', 'Sigma filters (meta rules) are not supported', 'filter'],
    ['filter: {}\ndetection: {}\naction: reset\n', 'rule collections (action: global/reset/repeat) are not supported', 'action'],
  ];
  for (const [text, message, key] of kinds) {
    const doc = docOf(text);
    assert.deepEqual(doc, { at: 0, problems: [{ problem: message, at: at(text, `${key}:`) }], stop: true, data: {} }, text);
  }
  const notMap = docOf('- a\n- b\n');
  assert.deepEqual(notMap, { at: 0, problems: [{ problem: 'a rule must be a YAML map', at: 0 }], stop: true, data: {} });

  const blank = 'id: r\ntimeframe: 5m\ntitle: " "\nlogsource: [a]\n';
  const b = docOf(blank);
  assert.equal(b.stop, false, 'a timeframe or a missing part is reported, and the rest is still read');
  assert.deepEqual(b.problems, [
    { problem: 'timeframe (aggregation over time) is not supported', at: at(blank, 'timeframe') },
    { problem: 'title must be a non-empty string', at: at(blank, 'title') },
    { problem: 'logsource must be a map', at: at(blank, '[a]') },
    { problem: 'rule has no detection', at: 0 },
  ]);
  assert.deepEqual(b.data, { id: 'r', timeframe: '5m', title: ' ', logsource: ['a'] });
  const bare = 'id: r\nother: 1\n';
  assert.deepEqual(docOf(bare).problems, [
    { problem: 'rule has no title', at: 0 },
    { problem: 'rule has no logsource', at: 0 },
    { problem: 'rule has no detection', at: 0 },
  ]);
  assert.deepEqual(docOf('title: 5\nlogsource: {}\ndetection: {}\n').problems, [{ problem: 'title must be a non-empty string', at: 0 }]);
  // A filter key beside a detection is the rule's own custom key.
  const withFilter = docOf('title: t\nlogsource: {}\nfilter: x\ndetection:\n  condition: a\n');
  assert.deepEqual(withFilter.problems, []);
  assert.equal(withFilter.stop, false);
});

void test('empty documents hold no rule; a YAML mistake is located without the excerpt', () => {
  assert.deepEqual(readRuleFile('---\n# only a comment\n---\n~\n---\n').docs, []);
  const { docs } = readRuleFile('title: a\n---\nx: [\n');
  assert.equal(docs.length, 2);
  assert.deepEqual(docs[1], {
    located: [{ line: 4, column: 1, message: 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' }],
  });
});

void test('a document of plain text is a rule refused where it starts, not an empty one skipped', () => {
  assert.deepEqual(readRuleFile('hello\n').docs, [{ problems: [{ problem: 'a rule must be a YAML map', at: 0 }], stop: true, data: {}, at: 0 }]);
  const { docs } = readRuleFile('title: a\n---\nplain words here\n');
  assert.equal(docs.length, 2);
  assert.deepEqual(docs[1], { problems: [{ problem: 'a rule must be a YAML map', at: 13 }], stop: true, data: {}, at: 13 });
});

void test("a YAML mistake past the ninth column keeps its column and loses the library's excerpt", () => {
  assert.deepEqual(readRuleFile('title: a\ndetection:          {a: [b}\n').docs, [
    {
      located: [
        { line: 2, column: 27, message: 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
        { line: 2, column: 28, message: 'YAML: Flow map in block collection must be sufficiently indented and end with a }' },
      ],
    },
  ]);
});

void test('a detection that is not a map is one problem at the detection', () => {
  const text = 'title: t\nlogsource: {}\ndetection: [x]\n';
  assert.deepEqual(docOf(text).detection, { problem: 'detection must be a map of selections and a condition', at: at(text, '[x]') });
});

void test("a selection's structural mistakes are kept where met, and a list or map stops at its first", () => {
  const { text, detection } = detectionOf(
    '  a: []\n  b: {}\n  c:\n  d: [x, [y], z]\n  e: [{f: [1, [2]], g: 1}]\n  h: {i: {j: 1}, k: 2}\n  l: {m: [], k: 2}\n  timeframe: 1h\n',
  );
  assert.ok(!('problem' in detection));
  assert.equal(detection.condition, undefined, 'no condition key');
  assert.deepEqual(detection.entries, [
    { selection: 'a', at: at(text, '[]'), data: { problem: 'selection is an empty list', at: at(text, '[]') } },
    { selection: 'b', at: at(text, '{}'), data: { at: at(text, '{}'), map: [{ problem: 'selection is an empty map', at: at(text, '{}') }] } },
    // An empty value is an empty scalar where the line ends.
    { selection: 'c', at: at(text, 'c:\n') + 2, data: { problem: 'selection is empty', at: at(text, 'c:\n') + 2 } },
    {
      selection: 'd',
      at: at(text, '[x'),
      data: {
        list: [
          { keyword: { kind: 'string', text: 'x', at: at(text, 'x,') } },
          { problem: 'a selection list holds maps or keywords, not nested lists', at: at(text, '[y]') },
        ],
      },
    },
    {
      selection: 'e',
      at: at(text, '[{f'),
      data: { list: [{ at: at(text, '{f'), map: [{ key: 'f', keyAt: at(text, 'f:'), values: { fieldProblem: 'values-not-scalars', at: at(text, '[2]') } }] }] },
    },
    {
      selection: 'h',
      at: at(text, '{i'),
      data: { at: at(text, '{i'), map: [{ key: 'i', keyAt: at(text, 'i:'), values: { fieldProblem: 'value-not-scalar', at: at(text, '{j') } }] },
    },
    {
      selection: 'l',
      at: at(text, '{m'),
      data: { at: at(text, '{m'), map: [{ key: 'm', keyAt: at(text, 'm:'), values: { fieldProblem: 'no-value', at: at(text, '[]', 1) } }] },
    },
    { timeframe: true, at: at(text, 'timeframe') },
  ]);
});

void test('a condition is a string or a list of strings; where its text maps to the file', () => {
  const cond = (c: string) => {
    const { text, detection } = detectionOf(`  condition: ${c}\n`);
    assert.ok(!('problem' in detection));
    return { text, condition: detection.condition };
  };
  const plain = cond('a or b');
  assert.deepEqual(plain.condition, { at: at(plain.text, 'a or'), items: [{ text: 'a or b', at: at(plain.text, 'a or'), shift: 0 }] });
  for (const quoted of ["'a  or b'", '"a  or b"']) {
    const q = cond(quoted);
    assert.deepEqual(q.condition, { at: at(q.text, quoted), items: [{ text: 'a  or b', at: at(q.text, quoted), shift: 1 }] }, quoted);
  }
  // Written otherwise than read (an escape, a doubled quote, a block): problems point at the string's start.
  for (const [written, value] of [
    ['"a\\tb"', 'a\tb'],
    ["'it''s'", "it's"],
    ['|\n    a or b', 'a or b\n'],
    ['>-\n    a or\n    b', 'a or b'],
    ['a\n    or b', 'a or b'],
  ] as const) {
    const c = cond(written);
    assert.deepEqual(c.condition, { at: at(c.text, written), items: [{ text: value, at: at(c.text, written), shift: null }] }, written);
  }
  const list = cond('[a, 5, "b", [c]]');
  assert.deepEqual(list.condition, {
    at: at(list.text, '[a'),
    items: [
      { text: 'a', at: at(list.text, 'a,'), shift: 0 },
      { problem: 'condition must be a string or a list of strings', at: at(list.text, '5') },
      { text: 'b', at: at(list.text, '"b"'), shift: 1 },
      { problem: 'condition must be a string or a list of strings', at: at(list.text, '[c]') },
    ],
  });
  const empty = cond('~');
  assert.deepEqual(empty.condition, {
    at: at(empty.text, '~'),
    items: [{ problem: 'condition must be a string or a list of strings', at: at(empty.text, '~') }],
  });
});

void test('aliases resolve, up to a hundred in a detection; one more is a problem at that alias', () => {
  // Two anchors, so that the YAML library's own limit (per anchor) is not the one met first.
  const refs = (n: number) => Array.from({ length: n }, (_, i) => `  s${i}: *${i % 2 ? 'w' : 'v'}`).join('\n');
  const head = '  base: &v {a: 1}\n  other: &w {b: 2}\n';
  const ok = detectionOf(`${head}${refs(100)}\n  condition: base\n`);
  assert.ok(!('problem' in ok.detection));
  assert.equal(ok.detection.entries.length, 102);
  assert.deepEqual(ok.detection.entries[101], { ...ok.detection.entries[1], selection: 's99', at: at(ok.text, '*w', 49) });
  const over = detectionOf(`${head}${refs(101)}\n  condition: base\n`);
  assert.ok(!('problem' in over.detection));
  assert.deepEqual(over.detection.entries[102], {
    selection: 's100',
    at: at(over.text, '*v', 50),
    data: { problem: 'too many YAML aliases', at: at(over.text, '*v', 50) },
  });
  // An alias inside a map item counts too, and the problem is where it is met.
  const inItem = detectionOf(`${head}${refs(100)}\n  t:\n    f: [a, *v]\n  condition: base\n`);
  assert.ok(!('problem' in inItem.detection));
  assert.deepEqual(inItem.detection.entries[102], {
    selection: 't',
    at: at(inItem.text, 'f:'),
    data: {
      at: at(inItem.text, 'f:'),
      map: [{ key: 'f', keyAt: at(inItem.text, 'f:'), values: { problem: 'too many YAML aliases', at: at(inItem.text, '*v', 50) } }],
    },
  });
  // The library's own limit on the whole document stops the rule, pointed at its start.
  const bomb = `title: t\nlogsource: {}\nx: &v 1\ny: [${Array.from({ length: 101 }, () => '*v').join(', ')}]\ndetection:\n  condition: a\n`;
  assert.deepEqual(docOf(bomb), {
    at: 0,
    problems: [{ problem: 'cannot read rule: Excessive alias count indicates a resource exhaustion attack', at: 0 }],
    stop: true,
    data: {},
  });
});
