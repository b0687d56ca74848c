import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemaErrors, SCHEMAS } from './json-schema.js';

test('every published schema compiles, and refuses what is plainly not its output', () => {
  for (const name of SCHEMAS) {
    const errors = schemaErrors(name, { unexpected: true });
    assert.ok(
      errors.some((e) => e.includes('must NOT have additional properties: unexpected')),
      `${name}: ${errors.join('; ')}`,
    );
    assert.ok(
      errors.some((e) => e.includes('must have required property')),
      name,
    );
  }
});
