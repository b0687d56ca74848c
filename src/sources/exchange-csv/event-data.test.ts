import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEventData } from './event-data.js';

test('parseEventData: prefixes dropped, empty values kept, first of a repeated key kept', () => {
  assert.deepEqual(parseEventData('S:TIME=13;S:REQID=;S:URL=/ecp/x?a=b;I32:ADS.C[DC-1]=1;F:ADS.AL[DC-1]=1.69;S:TIME=99;S:ACID='), [
    ['TIME', '13'],
    ['REQID', ''],
    ['URL', '/ecp/x?a=b'],
    ['ADS.C[DC-1]', '1'],
    ['ADS.AL[DC-1]', '1.69'],
    ['ACID', ''],
  ]);
});

test('parseEventData: a ; inside a value does not start a pair unless a typed key follows', () => {
  assert.deepEqual(parseEventData('S:CMD=eval(a,"unsafe");}</script>;x=1;https://h:444/e=1;Dbl:WLM.TS=0;'), [
    ['CMD', 'eval(a,"unsafe");}</script>;x=1;https://h:444/e=1'],
    ['WLM.TS', '0'],
  ]);
  assert.deepEqual(parseEventData(''), []);
  assert.deepEqual(parseEventData('no pairs here'), []);
});
