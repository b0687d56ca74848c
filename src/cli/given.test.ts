import assert from 'node:assert/strict';
import { test } from 'node:test';
import { given } from './given.js';

test('a flag left out is absent, so it does not override a default; null, false, 0 and empty text are kept', () => {
  const picked = given({ firm: undefined, actor: 'ana', quiet: false, limit: 0, note: '', none: null });
  assert.deepEqual(picked, { actor: 'ana', quiet: false, limit: 0, note: '', none: null });
  assert.ok(!('firm' in picked));
  assert.deepEqual({ ...{ firm: 'default' }, ...given({ firm: undefined }) }, { firm: 'default' });
});
