// Windows events from any of their forms (.evtx, JSON lines, wevtutil XML) become one kind of
// record, so one mapping and one set of rules serve them all.

import type { LogRecord, Origin } from '../core/types.js';

/** An event as its readers see it, before it becomes a record. */
export interface WinEventFields {
  eventId: number | string;
  channel: string;
  provider: string;
  computer: string;
  time: string | undefined;
  recordId?: number | string;
  level?: number | string;
  userId?: string;
  data: Record<string, string>;
}

/** The system columns every event has, named as Sigma's Windows rules name them. */
export const SYSTEM_COLUMNS = ['EventID', 'Channel', 'Provider_Name', 'Computer', 'EventRecordID', 'Level', 'UserID'] as const;
/**
 * The columns that say what kind of event it is, the same for every event of that kind (unlike its
 * machine, record id or user): what a reader asks wantsEvent with, and remembers the answer by.
 */
export const EVENT_KIND_COLUMNS: readonly string[] = SYSTEM_COLUMNS.slice(0, 3);

/** `2019-03-19T23:34:46.8720512Z` → `2019-03-19T23:34:46.872Z`: one form, with the Exchange logs', for comparing. */
function millisecondTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/.exec(iso.trim());
  if (!m) {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
}

export function winEventRecord(e: WinEventFields, origin: Origin): LogRecord {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(e.data)) fields[name] = value;
  // The system columns win over a data item of the same name, as Sigma's field names expect.
  setSystemColumns(fields, e);
  return { source: 'winevent', fields, time: millisecondTime(e.time), origin, raw: rawText(fields) };
}

/**
 * The same record as winEventRecord's, for a reader that gives up the event's data: a null-prototype
 * object whose keys, in the order they were added, are `keys`. It becomes the record's fields, with
 * no copy, and its text is made without asking the object for its values (slow on an object of many
 * keys). Keys that are array indices come first in an object's order, not in the order added: such
 * an event is copied as winEventRecord does.
 */
export function winEventRecordTaking(e: WinEventFields, keys: readonly string[], origin: Origin): LogRecord {
  for (const key of keys) {
    const c = key.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) return winEventRecord(e, origin);
  }
  const fields = e.data;
  let tail = column(fields, 'EventID', String(e.eventId));
  tail += column(fields, 'Channel', e.channel);
  tail += column(fields, 'Provider_Name', e.provider);
  tail += column(fields, 'Computer', e.computer);
  if (e.recordId !== undefined) tail += column(fields, 'EventRecordID', String(e.recordId));
  if (e.level !== undefined) tail += column(fields, 'Level', String(e.level));
  if (e.userId !== undefined) tail += column(fields, 'UserID', e.userId);
  let text = '';
  for (const key of keys) text += `${fields[key]!}\n`;
  return { source: 'winevent', fields, time: millisecondTime(e.time), origin, raw: text + tail };
}

/** Sets a system column; its line of the record's text when it comes after the data (a column the data already holds keeps the data's place). */
function column(fields: Record<string, string>, name: string, value: string): string {
  const after = !(name in fields);
  fields[name] = value;
  return after ? `${value}\n` : '';
}

function setSystemColumns(fields: Record<string, string>, e: Omit<WinEventFields, 'data'>): void {
  fields['EventID'] = String(e.eventId);
  fields['Channel'] = e.channel;
  fields['Provider_Name'] = e.provider;
  fields['Computer'] = e.computer;
  if (e.recordId !== undefined) fields['EventRecordID'] = String(e.recordId);
  if (e.level !== undefined) fields['Level'] = String(e.level);
  if (e.userId !== undefined) fields['UserID'] = e.userId;
}

/** An event's kind (EVENT_KIND_COLUMNS) as its record will hold those columns: what wantsEvent is asked with. */
export function eventKindColumns(eventId: number, channel: string, provider: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  fields['EventID'] = String(eventId);
  fields['Channel'] = channel;
  fields['Provider_Name'] = provider;
  return fields;
}

/** The time an event's record will carry. */
export function winEventTime(e: Pick<WinEventFields, 'time'>): string | undefined {
  return millisecondTime(e.time);
}

/**
 * The text keyword rules search and pre-filter literals are found in: every value, one per line.
 * Not the names: a literal cut from "Domain Admins" would otherwise be found in every Security
 * event, each of which has a SubjectDomainName.
 */
function rawText(fields: Record<string, string>): string {
  let text = '';
  for (const value of Object.values(fields)) text += `${value}\n`;
  return text;
}
