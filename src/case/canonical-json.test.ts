import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.js';

// The audit chain and the scan seals hash this text: equal values must give equal text whatever
// order their keys were built in, and different values different text.

test('keys are sorted at every depth, inside arrays too; array order is kept', () => {
  const a = { b: 1, a: { d: [{ y: 1, x: 2 }], c: null } };
  const b = { a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 };
  assert.equal(canonicalJson(a), '{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1}');
  assert.equal(canonicalJson(b), canonicalJson(a));
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  assert.equal(canonicalJson([[{ b: 1, a: 2 }]]), '[[{"a":2,"b":1}]]');
});

test('null, strings and numbers are written as JSON writes them; a member set to undefined is left out, as JSON leaves it', () => {
  assert.equal(canonicalJson(null), 'null');
  assert.equal(canonicalJson({ a: null }), '{"a":null}');
  assert.equal(canonicalJson('x"y'), '"x\\"y"');
  assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  assert.equal(canonicalJson({ a: undefined, b: 1 }), canonicalJson({ b: 1 }));
});
