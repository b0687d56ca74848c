import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniffW3c } from './w3c-sniff.js';

test('sniffW3c: IIS software line or a W3C field list', () => {
  assert.equal(sniffW3c('#Software: Microsoft Internet Information Services 10.0\r\n'), 'iis');
  assert.equal(sniffW3c('# Fields: date time s-ip cs-method cs-uri-stem\n\n2023-12-25 11:54:21 x'), 'iis');
  assert.equal(sniffW3c('#Fields: date time c-ip\n'), 'iis');
  assert.equal(sniffW3c('#Fields: date time message\n'), undefined);
  assert.equal(sniffW3c('#Software: Microsoft Exchange Server\n#Fields: date time cs-uri-stem\n'), undefined);
  assert.equal(sniffW3c('hello world'), undefined);
});
