// A template compiled once into what each substitution means for a WinEvent, so that a record
// costs only the values it needs: no XML is built, no token is walked twice.

/** Where an element sits, which decides what its text and attributes become. */
export const Z_ROOT = 0;
/** Children of <Event>: System, EventData, UserData, RenderingInfo, ... */
export const Z_EVENT = 1;
/** Children of <System>: Provider, EventID, TimeCreated, ... */
export const Z_SYSTEM = 2;
/** Children of <EventData>: Data, Binary. */
export const Z_EVENTDATA = 3;
/** Inside UserData (and other payloads): leaf elements become data entries. */
export const Z_USER = 4;
/** Ignored: RenderingInfo, and the insides of System's elements. */
export const Z_SKIP = 5;
export const ZONES = 6;

export const F_RECORD_ID = 0;
export const F_TIME = 1;
export const F_EVENT_ID = 2;
export const F_LEVEL = 3;
export const F_PROVIDER = 4;
export const F_CHANNEL = 5;
export const F_COMPUTER = 6;
export const F_USER_ID = 7;

/** Literal text (sub = -1), or substitution `sub`, whose BinXML value would be walked in `zone`. */
export interface Part {
  text: string;
  sub: number;
  zone: number;
  /** An optional substitution: an element holding only this, with a NULL value, is left out. */
  optional: boolean;
}

export const OP_FIELD = 0;
export const OP_DATA = 1;
/** Only walks nested BinXML substitutions; their text is not data. */
export const OP_WALK = 2;

export interface Op {
  kind: typeof OP_FIELD | typeof OP_DATA | typeof OP_WALK;
  /** F_* for OP_FIELD. */
  field: number;
  /** Data name when known at compile time; '' for an unnamed Data item. */
  name: string;
  /** Data name made of substitutions, when the template does not fix it. */
  nameParts: Part[] | null;
  parts: Part[];
}

export interface Plan {
  ops: Op[];
  /** How many ops at the start are OP_FIELD (the System section): read before deciding whether to read the rest. */
  leadingFields: number;
}

export function childZone(zone: number, name: string): number {
  switch (zone) {
    case Z_ROOT:
      return Z_EVENT;
    case Z_EVENT:
      if (name === 'System') return Z_SYSTEM;
      if (name === 'EventData') return Z_EVENTDATA;
      if (name === 'RenderingInfo') return Z_SKIP;
      return Z_USER;
    case Z_EVENTDATA:
    case Z_USER:
      return Z_USER;
    default:
      return Z_SKIP;
  }
}

/** System elements whose text is a WinEvent field. */
export const SYSTEM_TEXT_FIELDS: ReadonlyMap<string, number> = new Map([
  ['EventID', F_EVENT_ID],
  ['Level', F_LEVEL],
  ['EventRecordID', F_RECORD_ID],
  ['Channel', F_CHANNEL],
  ['Computer', F_COMPUTER],
]);

/** System attributes that are WinEvent fields, keyed 'Element@Attribute'. */
export const SYSTEM_ATTRIBUTE_FIELDS: ReadonlyMap<string, number> = new Map([
  ['Provider@Name', F_PROVIDER],
  ['TimeCreated@SystemTime', F_TIME],
  ['Security@UserID', F_USER_ID],
]);
