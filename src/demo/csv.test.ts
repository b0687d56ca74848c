import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, csvRow, exchangeUserAgent } from './csv.js';

describe('csv', () => {
  it('quotes only values that need it, doubling inner quotes', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField(''), '');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('-ResultSize "1"'), '"-ResultSize ""1"""');
    assert.equal(csvField("''single''"), "''single''");
    assert.equal(csvRow(['x', 'y,z', '']), 'x,"y,z",');
  });

  it('writes the User-Agent as HttpProxy does, commas turned to spaces', () => {
    assert.equal(exchangeUserAgent('AppleWebKit/537.36 (KHTML, like Gecko)'), 'AppleWebKit/537.36 (KHTML  like Gecko)');
  });
});
