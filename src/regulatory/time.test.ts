import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkZone } from '../core/zoned-time.js';
import { addElapsedHours, localParts, showDuration, showTime } from './time.js';

test('72 hours across the March change: 09:00 local on the Friday ends at 10:00 local on the Monday', () => {
  // Jersey went from GMT to BST at 01:00 UTC on Sunday 28 March 2021.
  const aware = '2021-03-26T09:00:00.000Z';
  assert.deepEqual(localParts(aware), { date: '2021-03-26', time: '09:00', weekday: 'Fri', zone: 'GMT' });
  const due = addElapsedHours(aware, 72);
  assert.equal(due, '2021-03-29T09:00:00.000Z');
  assert.deepEqual(localParts(due), { date: '2021-03-29', time: '10:00', weekday: 'Mon', zone: 'BST' });
});

test('72 hours across the October change: 09:00 local on the Friday ends at 08:00 local on the Monday', () => {
  // Jersey went from BST back to GMT at 01:00 UTC on Sunday 31 October 2021.
  const aware = '2021-10-29T08:00:00.000Z';
  assert.deepEqual(localParts(aware), { date: '2021-10-29', time: '09:00', weekday: 'Fri', zone: 'BST' });
  const due = addElapsedHours(aware, 72);
  assert.equal(due, '2021-11-01T08:00:00.000Z');
  assert.deepEqual(localParts(due), { date: '2021-11-01', time: '08:00', weekday: 'Mon', zone: 'GMT' });
});

test('times show in Jersey with UTC beside them, and in UTC when asked', () => {
  assert.equal(showTime('2021-03-29T09:00:00.000Z'), 'Mon 29 Mar 2021 10:00 BST (09:00 UTC)');
  assert.equal(showTime('2021-03-29T09:00:00.000Z', 'UTC'), 'Mon 29 Mar 2021 09:00 UTC');
  assert.equal(showTime(undefined), 'not recorded');
  // British Summer Time is called BST where the clocks keep it; other zones keep the name Intl gives.
  assert.equal(showTime('2021-07-01T10:00:00.000Z', 'Europe/Guernsey'), 'Thu 01 Jul 2021 11:00 BST (10:00 UTC)');
  assert.equal(showTime('2021-07-01T10:00:00.000Z', 'Europe/Paris'), 'Thu 01 Jul 2021 12:00 CEST (10:00 UTC)');
  assert.throws(() => checkZone('Europe/Jersy'), /unknown time zone/);
});

test('durations in days, hours and minutes', () => {
  assert.equal(showDuration(0), '0 min');
  assert.equal(showDuration(-(26 * 3600_000 + 5 * 60_000)), '1 d 2 h 5 min');
  assert.equal(showDuration(72 * 3600_000), '3 d');
});

test('every month by its number and its name, in any zone', () => {
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  names.forEach((name, i) => {
    const mm = String(i + 1).padStart(2, '0');
    const iso = `2021-${mm}-15T12:00:00.000Z`;
    assert.equal(localParts(iso, 'UTC').date, `2021-${mm}-15`, name);
    assert.match(showTime(iso, 'UTC'), new RegExp(`^\\w{3} 15 ${name} 2021 12:00 UTC$`));
  });
});

test('the UTC time follows a local time only when asked and only when the zone is not UTC already', () => {
  assert.equal(showTime('2021-03-29T09:00:00.000Z', 'Europe/Jersey', false), 'Mon 29 Mar 2021 10:00 BST');
  assert.equal(showTime('2021-01-04T09:00:00.000Z', 'Europe/London'), 'Mon 04 Jan 2021 09:00 GMT (09:00 UTC)');
  assert.equal(showTime('2021-01-04T09:00:00.000Z', 'Etc/UTC'), 'Mon 04 Jan 2021 09:00 UTC');
});

test('a value that is not a time is shown as it is, and refused as a clock anchor', () => {
  assert.equal(showTime('soon'), 'soon');
  assert.throws(() => addElapsedHours('soon', 72), /^Error: not a time: soon$/);
});
