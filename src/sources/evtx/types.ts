// The shape of what the EVTX reader gives back. Integration with LogRecord comes later.

export interface WinEvent {
  /** EventRecordID from the event's System section, or the record header's id when that is absent. */
  recordId: number;
  /**
   * TimeCreated SystemTime as ISO 8601 UTC, keeping the FILETIME's full 7-digit fraction
   * ('2019-03-19T23:34:46.8720512Z'). The record header's time when the event carries none.
   */
  time: string;
  /** EventID without its Qualifiers. */
  eventId: number;
  level?: number;
  provider: string;
  channel: string;
  computer: string;
  /** Security UserID SID, where present. */
  userId?: string;
  /**
   * EventData `<Data Name=...>` pairs, and UserData's leaf elements, flattened to strings.
   * Unnamed Data items get 'Data', 'Data1', ...; a repeated name gets the same suffixes.
   */
  data: Record<string, string>;
  /**
   * Set when readEvtx was asked for data a record can take over (`forRecords`): `data` is then a
   * null-prototype object and these are its keys in the order they were added.
   */
  dataKeys?: string[];
  /** Only the System section was read: the reader's `wantsEvent` refused the event, and `data` is empty. */
  partial?: true;
  /** `chunk` is the 0-based chunk slot; `offset` the byte offset of the record in the file. */
  origin: { chunk: number; offset: number };
}

/** A part of the file that could not be read as it should: located and counted, never thrown. */
export interface EvtxDamage {
  /** Byte offset in the file where the damage starts. */
  offset: number;
  /** 0-based chunk slot, when the damage lies in one. */
  chunk?: number;
  reason: string;
}

export interface EvtxStats {
  events: number;
  /** Number of damage reports. */
  damaged: number;
  /** Chunks read (slots with a chunk header, or whose records could still be read). */
  chunks: number;
}
