import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkZone, inZone, zoneAbbreviation } from './zoned-time.js';

test('Jersey time is GMT in winter and BST in summer', () => {
  assert.equal(inZone('2021-03-03T02:14:22.123Z'), '2021-03-03 02:14:22 GMT');
  assert.equal(inZone('2021-07-03T02:14:22Z'), '2021-07-03 03:14:22 BST');
  // The March 2021 change: 01:00 UTC on the 28th.
  assert.equal(inZone('2021-03-28T00:59:59Z'), '2021-03-28 00:59:59 GMT');
  assert.equal(inZone('2021-03-28T01:00:00Z'), '2021-03-28 02:00:00 BST');
  assert.equal(inZone('2021-03-03T02:14:22Z', 'UTC'), '2021-03-03 02:14:22 UTC');
  assert.equal(inZone(undefined), 'time unknown');
});

test('an unknown zone is a clear error', () => {
  assert.throws(() => checkZone('Mars/Olympus'), /unknown time zone "Mars\/Olympus"/);
});

test('each zone is named as people there name it', () => {
  assert.equal(zoneAbbreviation('2021-07-03T02:00Z', 'Europe/Guernsey'), 'BST');
  assert.equal(zoneAbbreviation('2021-07-03T02:00Z', 'Europe/Dublin'), 'IST');
  assert.equal(zoneAbbreviation('2021-01-03T02:00Z', 'Europe/Paris'), 'CET');
  assert.equal(zoneAbbreviation('2021-07-03T02:00Z', 'Europe/Paris'), 'CEST');
  // A zone without an English abbreviation keeps its offset.
  assert.equal(zoneAbbreviation('2021-07-03T02:00Z', 'America/New_York'), 'GMT-4');
  assert.equal(zoneAbbreviation('2021-07-03T02:00Z', 'Asia/Tokyo'), 'GMT+9');
});

test('a value that is not a time is shown as it is', () => {
  assert.equal(inZone('yesterday'), 'yesterday');
});
