// The evidence summary, a document of its own that the other packs refer to: per server its verdict,
// the few findings that decide it and the time they span; every evidence item with its SHA-256; the
// files those findings come from with theirs. A reader gets the conclusion and the means to check
// it, not every line a rule matched.

import { STAGES } from '../core/types.js';
import type { FindingRow } from '../case/regulatory-types.js';
import type { DraftContext, Resolved } from './resolvers.js';
import { showTime } from './time.js';

/** Findings per server the summary names: the strongest, one line per rule. */
const DECISIVE_PER_SERVER = 3;

const VERDICT_WORDS: Record<string, string> = {
  clean: 'no sign of attack in the evidence held',
  probed: 'probed by scanners only',
  'exploit-attempted': 'exploitation attempted; no sign it succeeded',
  exploited: 'exploited',
  'post-exploitation': 'exploited, and the attacker acted on the server afterwards',
};

const rank = (stage: string): number => STAGES.indexOf(stage as (typeof STAGES)[number]);

interface Decisive {
  ruleId: string;
  title: string;
  stage: string;
  count: number;
  first: string | undefined;
  last: string | undefined;
  files: Set<string>;
}

/** A server's findings grouped by rule, strongest stage first, then the earliest. */
function decisive(findings: FindingRow[]): Decisive[] {
  const byRule = new Map<string, Decisive>();
  for (const f of findings) {
    if (f.benign !== undefined) continue;
    const d = byRule.get(f.ruleId) ?? {
      ruleId: f.ruleId,
      title: f.title,
      stage: f.stage,
      count: 0,
      first: undefined,
      last: undefined,
      files: new Set<string>(),
    };
    d.count++;
    d.files.add(f.path);
    if (f.time !== undefined) {
      if (d.first === undefined || f.time < d.first) d.first = f.time;
      if (d.last === undefined || f.time > d.last) d.last = f.time;
    }
    byRule.set(f.ruleId, d);
  }
  return [...byRule.values()].sort((a, b) => rank(b.stage) - rank(a.stage) || (a.first ?? '').localeCompare(b.first ?? ''));
}

function span(c: DraftContext, first: string | undefined, last: string | undefined): string {
  if (first === undefined) return 'no times in the findings';
  return first === last || last === undefined ? showTime(first, c.tz) : `${showTime(first, c.tz)} to ${showTime(last, c.tz)}`;
}

function decisiveFor(c: DraftContext, server: string): Decisive[] {
  return decisive(c.facts.findings.filter((f) => f.server === server)).slice(0, DECISIVE_PER_SERVER);
}

export const EVIDENCE_RESOLVERS: Record<string, (c: DraftContext) => Resolved | undefined> = {
  'evidence.servers': (c) => {
    const servers = c.facts.story.servers;
    if (servers.length === 0) return undefined;
    const rows = servers.map((s) => {
      const mine = c.facts.findings.filter((f) => f.server === s.name && f.benign === undefined);
      const times = mine
        .map((f) => f.time)
        .filter((x): x is string => x !== undefined)
        .sort();
      const top = decisiveFor(c, s.name);
      const more = new Set(mine.map((f) => f.ruleId)).size - top.length;
      return [
        s.name,
        s.verdict === undefined ? 'not yet examined' : (VERDICT_WORDS[s.verdict] ?? s.verdict),
        mine.length ? span(c, times[0], times.at(-1)) : 'none',
        top.length
          ? [
              ...top.map((d) => `${d.title} [${d.ruleId}] (${d.stage}; ${d.count} time(s), ${span(c, d.first, d.last)})`),
              ...(more > 0 ? [`and ${more} other kind(s) of finding`] : []),
            ].join('; ')
          : 'none',
      ];
    });
    return {
      table: { columns: ['Server', 'Verdict', 'Attack activity seen', 'Decisive findings'], rows },
      trace: ['case scans: verdict per server', 'case findings, grouped by rule, strongest stage first'],
      ...(servers.some((s) => s.verdict === undefined) ? { open: 'A server of the case has not been scanned: scan its evidence into the case.' } : {}),
    };
  },
  'evidence.items': (c) => {
    const items = c.facts.evidence;
    if (items.length === 0) {
      return {
        lines: ['No evidence item is registered in the case; the files the findings come from are listed with their SHA-256 below.'],
        trace: ['case evidence register: empty'],
      };
    }
    return {
      table: {
        columns: ['Ref', 'Item', 'Source and collection', 'SHA-256'],
        rows: items.map((e) => [
          e.ref,
          `${e.kind === 'file' ? 'file' : e.kind === 'zip' ? 'zip archive' : `folder of ${e.fileCount} file(s)`}, ${e.size} bytes`,
          [e.source, e.collectedBy ? `collected by ${e.collectedBy}` : undefined, e.collectedAt ? showTime(e.collectedAt, c.tz) : undefined]
            .filter((x) => x !== undefined)
            .join(', ') || 'not recorded',
          e.sha256,
        ]),
      },
      trace: ['case evidence register'],
    };
  },
  'evidence.files': (c) => {
    const files = new Map<string, string>();
    for (const s of c.facts.story.servers) for (const d of decisiveFor(c, s.name)) for (const p of d.files) files.set(p, '');
    for (const f of c.facts.findings) if (files.has(f.path)) files.set(f.path, f.sha256 || "not in the scan's list of files");
    if (files.size === 0) return undefined;
    return {
      table: { columns: ['File', 'SHA-256'], rows: [...files].map(([p, h]) => [p, h]) },
      trace: ['case findings: the file and its SHA-256 as the scan read it'],
    };
  },
};

/** What a pack says in place of the findings: where the evidence is, and in a line what it holds. */
export function evidenceReference(c: DraftContext, title: string): { lines: string[]; trace: string[] } {
  const servers = c.facts.story.servers;
  const hit = servers.filter((s) => s.verdict === 'exploited' || s.verdict === 'post-exploitation').length;
  return {
    lines: [
      `The evidence is summarised in a separate document, "${title}", sent with this one: ${servers.length} server(s) examined, ` +
        `${hit} of them exploited; ${c.facts.findings.length} finding(s) in all; ${c.facts.evidence.length} evidence item(s), each with its SHA-256.`,
    ],
    trace: ['case scans, findings and evidence register'],
  };
}
