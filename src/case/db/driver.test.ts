import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identifier, numberedPlaceholders } from './driver.js';

test('placeholders are numbered for PostgreSQL, quoted text left alone', () => {
  assert.equal(numberedPlaceholders('SELECT ? , ? FROM t WHERE a = ?'), 'SELECT $1 , $2 FROM t WHERE a = $3');
  assert.equal(numberedPlaceholders('SELECT \'?\' , "col?" , ?'), 'SELECT \'?\' , "col?" , $1');
});

test('only plain identifiers reach SQL text', () => {
  assert.equal(identifier('scanned_files'), 'scanned_files');
  assert.throws(() => identifier('x; DROP TABLE cases'), /not an SQL identifier/);
  assert.throws(() => identifier('Cases'), /not an SQL identifier/);
});
