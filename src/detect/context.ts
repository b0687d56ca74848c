// Context records: logons, account and right changes, inbound mail. None is an attack by itself and
// none reaches a verdict; they are kept with the scan so that the credentials and phishing
// assessments can ask who logged on before a dump, what changed, and what mail came after.
// Which records count is data (data/credentials/context-records.json), not code.

import { readFileSync } from 'node:fs';
import { serverName } from '../core/server-name.js';
import type { ContextKind, ContextRecord, LogRecord, SourceKind } from '../core/types.js';
import type { ReadPlan } from './detector.js';

interface ContextData {
  security: Record<string, ContextKind>;
  cmdlets: string[];
  msgtrk: string[];
  keep: string[];
}
const DATA = JSON.parse(readFileSync(new URL('../../data/credentials/context-records.json', import.meta.url), 'utf8')) as ContextData;
const KEEP = new Set(DATA.keep);
const CMDLETS = DATA.cmdlets.map((c) => c.toLowerCase());
const MSGTRK_EVENTS = new Set(DATA.msgtrk.map((e) => e.toUpperCase()));

/** At most this many context records per file: bounds the memory a huge Security log can take. */
export const MAX_CONTEXT_PER_FILE = 100_000;

/** Lower-case literals a record must hold to be worth offering here, per kind of log; none for logs with no context. */
function contextLiterals(kind: SourceKind): string[] {
  if (kind === 'winevent') return [...Object.keys(DATA.security), ...CMDLETS];
  if (kind === 'rps-cmdlet') return CMDLETS;
  if (kind === 'msgtrk') return [...MSGTRK_EVENTS].map((e) => e.toLowerCase());
  return [];
}

/** The reader's plan widened by the context's literals, so that its pre-filter lets context records through. */
export function withContextLiterals(kind: SourceKind, plan: ReadPlan): ReadPlan {
  if (plan.literals === undefined) return { literals: undefined };
  const extra = contextLiterals(kind);
  const literals = [...new Set([...plan.literals, ...extra])];
  // Each context literal is an alternative of its own: a record holding one is wanted whatever the rules ask.
  return { literals, ...(plan.needs ? { needs: [...plan.needs, ...extra.map((l) => [[l]])] } : {}) };
}

/**
 * Whether a Windows event with these system columns can be context (what kindOf looks at first), so
 * that a reader may leave the others' data unread. Other logs are asked nothing.
 */
export function mayBeContext(system: Readonly<Record<string, string>>): boolean {
  if (system.Channel === 'Security') return DATA.security[system.EventID ?? ''] !== undefined;
  return system.Channel === 'MSExchange Management';
}

function kindOf(record: LogRecord): ContextKind | undefined {
  const f = record.fields;
  if (record.source === 'winevent') {
    if (f.Channel === 'Security') return DATA.security[f.EventID ?? ''];
    if (f.Channel === 'MSExchange Management' && CMDLETS.some((c) => record.raw.toLowerCase().includes(c))) return 'permission-cmdlet';
    return undefined;
  }
  if (record.source === 'rps-cmdlet') return CMDLETS.includes((f.Cmdlet ?? '').toLowerCase()) ? 'permission-cmdlet' : undefined;
  if (record.source === 'msgtrk') return MSGTRK_EVENTS.has((f['event-id'] ?? '').toUpperCase()) ? 'mail' : undefined;
  return undefined;
}

/** The record as context, or undefined when it is none. */
export function contextOf(record: LogRecord, server: string): ContextRecord | undefined {
  const kind = kindOf(record);
  if (!kind) return undefined;
  const fields: Record<string, string> = {};
  // Keys, not entries: a Windows event's fields are a many-keyed object, and a pair per field was most of the cost.
  const all = record.fields;
  for (const name of Object.keys(all)) {
    const value = all[name]!;
    if (KEEP.has(name) && value !== '') fields[name] = value;
  }
  return { kind, time: record.time, server: serverName(record.fields.Computer) ?? server, origin: record.origin, fields };
}
