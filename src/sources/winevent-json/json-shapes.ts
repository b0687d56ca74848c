// The shapes in which tools write Windows events as JSON objects, each read into the one form the
// EVTX reader gives: system columns, and every EventData/UserData item by its name.
//
// - winlogbeat: Elastic Winlogbeat 7+ (ECS): `winlog.event_id`, `winlog.channel`, `winlog.event_data`...
// - winlogbeat-6: Winlogbeat 6: `event_id`, `log_name`, `source_name`, `event_data` at the top.
// - flat: NXLog's `to_json()` and the collections built on it (OTRF Security-Datasets / Mordor):
//   `EventID`, `Channel`, `SourceName`, `Hostname`, and the event data at the top level.
// - system: EVTX converted element by element (evtx_dump, Velociraptor): `Event.System`, `Event.EventData`.
// - get-winevent: PowerShell `Get-WinEvent | ConvertTo-Json`: `Id`, `LogName`, unnamed `Properties`.

import type { WinEventFields } from '../winevent-record.js';
import { DataBag, scalarText as scalar } from './data-bag.js';
import { readTime } from './json-time.js';

export type JsonShape = 'winlogbeat' | 'winlogbeat-6' | 'flat' | 'system' | 'get-winevent';

type Obj = Record<string, unknown>;

export interface JsonEvent {
  shape: JsonShape;
  event: WinEventFields;
  /** The event's time named no zone and was read as UTC. */
  zoneless: boolean;
}

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(o: Obj, key: string): boolean {
  return o[key] !== undefined && o[key] !== null && o[key] !== '';
}

export function shapeOf(o: Obj): JsonShape | undefined {
  const w = o['winlog'];
  if (isObject(w) && (has(w, 'event_id') || (isObject(o['event']) && has(o['event'], 'code'))) && (has(w, 'channel') || has(w, 'provider_name'))) {
    return 'winlogbeat';
  }
  const system = isObject(o['Event']) ? o['Event']['System'] : o['System'];
  if (isObject(system) && system['EventID'] !== undefined && (has(system, 'Channel') || system['Provider'] !== undefined)) return 'system';
  if (has(o, 'event_id') && (has(o, 'log_name') || has(o, 'source_name'))) return 'winlogbeat-6';
  if (has(o, 'EventID') && (has(o, 'Channel') || has(o, 'SourceName') || has(o, 'ProviderName') || has(o, 'Provider_Name'))) return 'flat';
  if (has(o, 'Id') && has(o, 'LogName') && has(o, 'ProviderName')) return 'get-winevent';
  return undefined;
}

function str(v: unknown): string {
  return scalar(v) ?? '';
}

/** An id written as a number, a numeric string, or an element with its text (`{"#text": 4624}`, `{"Value": 4624}`). */
function idOf(v: unknown): string | undefined {
  if (isObject(v)) return idOf(v['#text'] ?? v['Value'] ?? v['value']);
  const s = scalar(v)?.trim();
  return s ? s : undefined;
}

/** `{"#attributes": {"Name": x}}` (evtx_dump) or `{"Name": x}` (Velociraptor). */
function attribute(v: unknown, name: string): unknown {
  if (!isObject(v)) return undefined;
  const attrs = v['#attributes'];
  return isObject(attrs) ? attrs[name] : v[name];
}

const LEVEL_WORDS: Record<string, number> = {
  logalways: 0,
  audit_success: 0,
  audit_failure: 0,
  'audit success': 0,
  'audit failure': 0,
  critical: 1,
  error: 2,
  warning: 3,
  warn: 3,
  information: 4,
  informational: 4,
  info: 4,
  verbose: 5,
  debug: 5,
};

/** Windows' level number (0 log always, 1 critical, 2 error, 3 warning, 4 information, 5 verbose). */
function levelOf(v: unknown): number | string | undefined {
  if (typeof v === 'number') return v;
  const s = scalar(v)?.trim();
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  return LEVEL_WORDS[s.toLowerCase()] ?? s;
}

/** NXLog's own fields and what shippers add beside the event (Logstash, OTRF); the rest is event data. */
const FLAT_META = new Set([
  'EventID',
  'Channel',
  'SourceName',
  'ProviderName',
  'Provider_Name',
  'Hostname',
  'Computer',
  'MachineName',
  'RecordNumber',
  'EventRecordID',
  'Level',
  'EventType',
  'Severity',
  'SeverityValue',
  'UserID',
  'Message',
  'EventTime',
  'EventReceivedTime',
  'TimeCreated',
  '@timestamp',
  '@version',
  'SourceModuleName',
  'SourceModuleType',
  'Keywords',
  'ProviderGuid',
  'Version',
  'Task',
  'OpcodeValue',
  'Opcode',
  'Category',
  'ProcessID',
  'ThreadID',
  'Domain',
  'AccountName',
  'AccountType',
  'ActivityID',
  'RelatedActivityID',
  'ERROR_EVT_UNRESOLVED',
  'host',
  'port',
  'tags',
  'type',
  'log',
  'agent',
  'ecs',
  'input',
  'beat',
]);

function message(bag: DataBag, v: unknown): void {
  const m = scalar(v);
  // The rendered message holds what unnamed data items said (MSExchange Management's cmdlet text).
  if (m) bag.put('Message', m);
}

/** The first of several time fields that reads as a time; a time with its zone wins over one without. */
function firstTime(values: unknown[]): { iso: string | undefined; zoneless: boolean } {
  let fallback: { iso: string | undefined; zoneless: boolean } = { iso: undefined, zoneless: false };
  for (const v of values) {
    const t = readTime(v);
    if (!t.iso) continue;
    if (!t.zoneless) return t;
    if (!fallback.iso) fallback = t;
  }
  return fallback;
}

function fromWinlogbeat(o: Obj): JsonEvent {
  const w = o['winlog'] as Obj;
  const bag = new DataBag();
  bag.addAll(w['event_data']);
  bag.addAll(w['user_data']);
  message(bag, o['message']);
  const event = isObject(o['event']) ? o['event'] : {};
  const host = isObject(o['host']) ? o['host'] : {};
  const log = isObject(o['log']) ? o['log'] : {};
  const user = isObject(w['user']) ? w['user'] : {};
  const time = firstTime([o['@timestamp'], w['time_created']]);
  return {
    shape: 'winlogbeat',
    zoneless: time.zoneless,
    event: {
      eventId: idOf(w['event_id']) ?? idOf(event['code']) ?? '',
      channel: str(w['channel']),
      provider: str(w['provider_name']),
      computer: str(w['computer_name'] ?? host['name'] ?? host['hostname']),
      time: time.iso,
      ...opt('recordId', idOf(w['record_id'])),
      ...opt('level', levelOf(log['level'] ?? w['level'])),
      ...opt('userId', scalar(user['identifier']) || undefined),
      data: bag.data,
    },
  };
}

function fromWinlogbeat6(o: Obj): JsonEvent {
  const bag = new DataBag();
  bag.addAll(o['event_data']);
  bag.addAll(o['user_data']);
  message(bag, o['message']);
  const user = isObject(o['user']) ? o['user'] : {};
  const time = firstTime([o['@timestamp']]);
  return {
    shape: 'winlogbeat-6',
    zoneless: time.zoneless,
    event: {
      eventId: idOf(o['event_id']) ?? '',
      channel: str(o['log_name']),
      provider: str(o['source_name']),
      computer: str(o['computer_name']),
      time: time.iso,
      ...opt('recordId', idOf(o['record_number'])),
      ...opt('level', levelOf(o['level'])),
      ...opt('userId', scalar(user['identifier']) || undefined),
      data: bag.data,
    },
  };
}

function fromFlat(o: Obj): JsonEvent {
  const bag = new DataBag();
  for (const [k, v] of Object.entries(o)) {
    if (!FLAT_META.has(k)) bag.add(k, v);
  }
  message(bag, o['Message']);
  // EventTime is the event's own time but NXLog writes it without a zone by default; @timestamp is UTC.
  const time = firstTime([o['TimeCreated'], o['EventTime'], o['@timestamp']]);
  return {
    shape: 'flat',
    zoneless: time.zoneless,
    event: {
      eventId: idOf(o['EventID']) ?? '',
      channel: str(o['Channel']),
      provider: str(o['SourceName'] ?? o['ProviderName'] ?? o['Provider_Name']),
      computer: str(o['Hostname'] ?? o['Computer'] ?? o['MachineName']),
      time: time.iso,
      ...opt('recordId', idOf(o['RecordNumber'] ?? o['EventRecordID'])),
      ...opt('level', levelOf(o['Level'] ?? o['EventType'] ?? o['Severity'])),
      ...opt('userId', scalar(o['UserID']) || undefined),
      data: bag.data,
    },
  };
}

function fromSystem(o: Obj): JsonEvent {
  const root = isObject(o['Event']) ? o['Event'] : o;
  const system = root['System'] as Obj;
  const bag = new DataBag();
  bag.addAll(root['EventData']);
  bag.addAll(root['UserData']);
  const created = system['TimeCreated'];
  const time = firstTime([attribute(created, 'SystemTime'), created]);
  const userId = scalar(attribute(system['Security'], 'UserID'));
  return {
    shape: 'system',
    zoneless: time.zoneless,
    event: {
      eventId: idOf(system['EventID']) ?? '',
      channel: str(system['Channel']),
      provider: str(attribute(system['Provider'], 'Name')),
      computer: str(system['Computer']),
      time: time.iso,
      ...opt('recordId', idOf(system['EventRecordID'])),
      ...opt('level', levelOf(system['Level'])),
      ...opt('userId', userId || undefined),
      data: bag.data,
    },
  };
}

function fromGetWinEvent(o: Obj): JsonEvent {
  const bag = new DataBag();
  const props = o['Properties'];
  if (Array.isArray(props)) for (const p of props) bag.add('Data', isObject(p) && 'Value' in p ? p['Value'] : p);
  message(bag, o['Message']);
  const time = firstTime([o['TimeCreated']]);
  const user = o['UserId'];
  return {
    shape: 'get-winevent',
    zoneless: time.zoneless,
    event: {
      eventId: idOf(o['Id']) ?? '',
      channel: str(o['LogName']),
      provider: str(o['ProviderName']),
      computer: str(o['MachineName']),
      time: time.iso,
      ...opt('recordId', idOf(o['RecordId'])),
      ...opt('level', levelOf(o['Level'])),
      ...opt('userId', (isObject(user) ? scalar(user['Value']) : scalar(user)) || undefined),
      data: bag.data,
    },
  };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const READERS: Record<JsonShape, (o: Obj) => JsonEvent> = {
  winlogbeat: fromWinlogbeat,
  'winlogbeat-6': fromWinlogbeat6,
  flat: fromFlat,
  system: fromSystem,
  'get-winevent': fromGetWinEvent,
};

/** The event a JSON object holds, or why it holds none. */
export function eventFromJson(o: Obj): JsonEvent | string {
  const shape = shapeOf(o);
  if (!shape) return 'a JSON object that is not a Windows event (no event id with a channel or provider)';
  const read = READERS[shape](o);
  if (read.event.eventId === '') return `a ${shape} event without an event id`;
  return read;
}
