// One `<Event>` element of Windows' event schema, read into the fields the EVTX reader gives: the
// System values, `<Data Name=...>` pairs (unnamed ones as Data, Data1...), UserData leaves and their
// attributes (`Element.Attribute`), and the rendered message where `/f:RenderedXml` added one.
// A small tokenizer, not an XML library: the schema has no DTD, so only the five named entities
// and character references need undoing.

import { DataBag } from '../winevent-json/data-bag.js';
import type { WinEventFields } from '../winevent-record.js';

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** `name='value'` and `name="value"` pairs, read in one pass (a regular expression here could be made to backtrack). */
function attributes(text: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < n && !isSpace(text.charCodeAt(i)) && text[i] !== '=' && text[i] !== '/' && text[i] !== '>') i++;
    const name = text.slice(nameStart, i);
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (text[i] !== '=') {
      // Not an attribute: step over one character and look again.
      if (i === nameStart) i++;
      continue;
    }
    i++;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") continue;
    const end = text.indexOf(quote, i + 1);
    if (end === -1) break;
    if (name) out.push([name, unescapeXml(text.slice(i + 1, end))]);
    i = end + 1;
  }
  return out;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Where an element sits: the part of the event it belongs to decides what its text means. */
const enum Zone {
  Event,
  System,
  EventData,
  User,
  Rendering,
  Other,
}

interface Frame {
  name: string;
  zone: Zone;
  text: string;
  hasChild: boolean;
  /** The `Name` attribute of an EventData `<Data>`; undefined when it has none. */
  dataName: string | undefined;
  attributeData: boolean;
}

class EventBuilder {
  eventId = '';
  channel = '';
  provider = '';
  computer = '';
  time: string | undefined;
  recordId: string | undefined;
  level: string | undefined;
  userId: string | undefined;
  readonly bag = new DataBag();
  message: string | undefined;

  open(frame: Frame, attrs: [string, string][]): void {
    if (frame.zone === Zone.System) {
      for (const [k, v] of attrs) {
        if (frame.name === 'Provider' && k === 'Name') this.provider = v;
        else if (frame.name === 'TimeCreated' && k === 'SystemTime') this.time = v;
        else if (frame.name === 'Security' && k === 'UserID') this.userId = v;
      }
    } else if (frame.zone === Zone.EventData) {
      for (const [k, v] of attrs) if (frame.name === 'Data' && k === 'Name') frame.dataName = v;
    } else if (frame.zone === Zone.User || frame.zone === Zone.Other) {
      for (const [k, v] of attrs) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
        this.bag.put(`${frame.name}.${k}`, v);
        frame.attributeData = true;
      }
    }
  }

  close(frame: Frame): void {
    const text = frame.text;
    switch (frame.zone) {
      case Zone.System:
        if (frame.name === 'EventID') this.eventId = text.trim();
        else if (frame.name === 'Channel') this.channel = text;
        else if (frame.name === 'Computer') this.computer = text;
        else if (frame.name === 'EventRecordID') this.recordId = text.trim();
        else if (frame.name === 'Level') this.level = text.trim();
        return;
      case Zone.EventData:
        if (frame.name === 'Data') this.bag.put(frame.dataName ?? '', text);
        else if (!frame.hasChild) this.bag.put(frame.name, text);
        return;
      case Zone.User:
      case Zone.Other:
        // A leaf holds a value; an element with children holds only layout.
        if (!frame.hasChild && !(frame.attributeData && text === '')) this.bag.put(frame.name, text);
        return;
      case Zone.Rendering:
        if (frame.name === 'Message' && text !== '') this.message = text;
        return;
      default:
    }
  }

  result(): WinEventFields {
    if (this.message !== undefined) this.bag.put('Message', this.message);
    const out: WinEventFields = {
      eventId: this.eventId,
      channel: this.channel,
      provider: this.provider,
      computer: this.computer,
      time: this.time,
      data: this.bag.data,
    };
    if (this.recordId) out.recordId = this.recordId;
    if (this.level) out.level = this.level;
    if (this.userId) out.userId = this.userId;
    return out;
  }
}

/** End of the element name in a start tag's text. */
function nameEnd(body: string): number {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return i;
  }
  return body.length;
}

/** Attributes are read only where they carry something: most System elements' (Execution, Correlation) do not. */
function wantsAttributes(frame: Frame): boolean {
  if (frame.zone === Zone.System) return frame.name === 'Provider' || frame.name === 'TimeCreated' || frame.name === 'Security';
  if (frame.zone === Zone.EventData) return frame.name === 'Data';
  return frame.zone === Zone.User || frame.zone === Zone.Other;
}

function childZone(parent: Frame | undefined, name: string): Zone {
  if (!parent) return Zone.Event;
  if (parent.zone !== Zone.Event) return parent.zone;
  if (name === 'System') return Zone.System;
  if (name === 'EventData') return Zone.EventData;
  if (name === 'UserData') return Zone.User;
  if (name === 'RenderingInfo') return Zone.Rendering;
  return Zone.Other;
}

/** Windows' schema nests a few levels; far deeper nesting is damage (and would make end tags costly to match). */
const MAX_DEPTH = 64;

/** The event an `<Event>` element holds, or why it holds none. */
export function parseEventXml(xml: string): WinEventFields | string {
  const b = new EventBuilder();
  const stack: Frame[] = [];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1];
    if (lt === -1 || lt > i) {
      if (top) top.text += unescapeXml(xml.slice(i, lt === -1 ? xml.length : lt));
      if (lt === -1) break;
    }
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      i = end === -1 ? xml.length : end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (top) top.text += xml.slice(lt + 9, end === -1 ? xml.length : end);
      i = end === -1 ? xml.length : end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt + 1);
    if (gt === -1) return 'an unfinished tag';
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag[0] === '?' || tag[0] === '!') continue;
    if (tag[0] === '/') {
      const name = localName(tag.slice(1).trim());
      // Close up to the matching element; a stray end tag is ignored.
      let at = stack.length - 1;
      while (at >= 0 && stack[at]!.name !== name) at--;
      if (at === -1) continue;
      while (stack.length > at) b.close(stack.pop()!);
      if (stack.length === 0) break;
      continue;
    }
    const selfClosing = tag.charCodeAt(tag.length - 1) === 0x2f;
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const space = nameEnd(body);
    const name = localName(space === body.length ? body : body.slice(0, space));
    if (top) top.hasChild = true;
    const frame: Frame = { name, zone: childZone(top, name), text: '', hasChild: false, dataName: undefined, attributeData: false };
    if (stack.length === 0 && name !== 'Event') return `an <${name}> element where an <Event> was expected`;
    if (space < body.length && wantsAttributes(frame)) b.open(frame, attributes(body.slice(space)));
    if (selfClosing) b.close(frame);
    else if (stack.length >= MAX_DEPTH) return `elements nested deeper than ${MAX_DEPTH}`;
    else stack.push(frame);
  }
  const event = b.result();
  if (event.eventId === '') return 'an <Event> without an EventID';
  return event;
}
