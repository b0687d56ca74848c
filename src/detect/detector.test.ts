import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutSubsumed } from './detector.js';

test('a literal that holds another adds no candidate record and is dropped', () => {
  assert.deepEqual(
    withoutSubsumed(['/owa/auth/x.js', '/owa/auth/', '.aspx', '/aspnet_client/shell.aspx', 'serverinfo~localhost', 'serverinfo~', 'server~', 'zgrab', 'zgrab']),
    ['.aspx', '/owa/auth/', 'serverinfo~', 'server~', 'zgrab'],
  );
});
