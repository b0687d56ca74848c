// The response playbook is data (data/playbook/*.yml), read and checked here.

import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

interface PlaybookStep {
  id: string;
  phase: string;
  title: string;
  detail: string;
  condition: string | undefined;
}

export interface Playbook {
  id: string;
  version: number;
  title: string;
  phases: string[];
  steps: PlaybookStep[];
}

const DEFAULT_PLAYBOOK = new URL('../../data/playbook/exchange-compromise.yml', import.meta.url);

const STEP_ID = /^[a-z][a-z0-9-]{0,47}$/;

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${where}: expected text`);
  return value.trim();
}

/** Parses and checks a playbook; any defect names the file and the step. */
export function parsePlaybook(source: string, where: string): Playbook {
  const doc = parse(source) as unknown;
  if (doc === null || typeof doc !== 'object') throw new Error(`${where}: not a playbook`);
  const d = doc as Record<string, unknown>;
  const version = d.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) throw new Error(`${where}: version must be a whole number`);
  if (!Array.isArray(d.phases) || d.phases.length === 0) throw new Error(`${where}: phases must be a list`);
  const phases = d.phases.map((p, i) => text(p, `${where}: phases[${i}]`));
  if (!Array.isArray(d.steps) || d.steps.length === 0) throw new Error(`${where}: steps must be a list`);
  const seen = new Set<string>();
  const steps = d.steps.map((raw: unknown, i): PlaybookStep => {
    const at = `${where}: steps[${i}]`;
    if (raw === null || typeof raw !== 'object') throw new Error(`${at}: expected a mapping`);
    const s = raw as Record<string, unknown>;
    const id = text(s.id, `${at}.id`);
    if (!STEP_ID.test(id)) throw new Error(`${at}.id: "${id}" must be lower-case letters, digits and dashes`);
    if (seen.has(id)) throw new Error(`${at}.id: "${id}" appears twice`);
    seen.add(id);
    const phase = text(s.phase, `${at}.phase`);
    if (!phases.includes(phase)) throw new Error(`${at}.phase: "${phase}" is not one of ${phases.join(', ')}`);
    return {
      id,
      phase,
      title: text(s.title, `${at}.title`),
      detail: text(s.detail, `${at}.detail`),
      condition: s.condition === undefined ? undefined : text(s.condition, `${at}.condition`),
    };
  });
  return { id: text(d.id, `${where}: id`), version, title: text(d.title, `${where}: title`), phases, steps };
}

export async function loadPlaybook(url: URL = DEFAULT_PLAYBOOK): Promise<Playbook> {
  return parsePlaybook(await readFile(url, 'utf8'), url.pathname);
}
