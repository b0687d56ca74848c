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

// The British zones and UTC are worked out without the runtime's formatter (it costs ~50 ms of each
// start); they must read exactly as the formatter reads them, at every instant, transitions most of all.
test('British time and UTC worked out here read as the runtime formatter reads them, 1996 to 2037', () => {
  const viaFormatter = (ms: number, zone: string): string => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      })
        .formatToParts(new Date(ms))
        .map((p) => [p.type, p.value]),
    );
    const name = parts['timeZoneName'] === 'GMT+1' ? 'BST' : parts['timeZoneName'];
    return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']} ${name}`;
  };
  const instants: number[] = [];
  for (let year = 1996; year <= 2037; year++) {
    for (const month of [2, 9]) {
      // Around each last-Sunday 01:00 UTC switch, to the millisecond.
      const last = new Date(Date.UTC(year, month + 1, 0));
      const at = Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
      for (const d of [-3_600_000, -1000, -1, 0, 1, 999, 1000, 3_600_000]) instants.push(at + d);
    }
    instants.push(Date.UTC(year, 0, 1), Date.UTC(year, 11, 31, 23, 59, 59, 999), Date.UTC(year, 6, 1, 12));
  }
  let seed = 17;
  const start = Date.UTC(1996, 0, 1);
  const span = Date.UTC(2037, 11, 31) - start;
  for (let i = 0; i < 3000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    instants.push(start + Math.floor((seed / 2147483648) * span));
  }
  for (const zone of ['Europe/Jersey', 'Europe/London', 'Europe/Guernsey', 'Europe/Isle_of_Man', 'UTC']) {
    for (const ms of instants) {
      const iso = new Date(ms).toISOString();
      const expected = viaFormatter(ms, zone);
      assert.equal(inZone(iso, zone), expected, `${zone} ${iso}`);
      assert.equal(zoneAbbreviation(iso, zone), expected.split(' ')[2], `${zone} ${iso}`);
    }
  }
  // Outside those years the formatter still answers (British Summer Time all year in 1970).
  assert.equal(inZone('1970-01-01T00:00:00Z', 'Europe/London'), viaFormatter(0, 'Europe/London'));
});
