import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL } from '../core/tool.js';
import { RULES_DIR } from '../detect/ruleset.js';

const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export interface Versions {
  tool: string;
  rules: { sigma: number; newest: string | undefined; digest: string };
  /** Each data table with the date its facts were last checked against their sources. */
  data: { file: string; checked: string | undefined }[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const items = await readdir(dir, { withFileTypes: true, recursive: true });
  return items
    .filter((i) => i.isFile())
    .map((i) => join(i.parentPath, i.name))
    .sort();
}

/**
 * What this copy of exir is: its version, the rules it ships (a digest of their content, since rules
 * change between releases) and the date each data table was checked. A report quoting a verdict can
 * then say which rules and facts gave it.
 */
export async function versions(): Promise<Versions> {
  const hash = createHash('sha256');
  let sigma = 0;
  let newest: string | undefined;
  for (const file of await filesUnder(RULES_DIR)) {
    const inner = relative(RULES_DIR, file).split(sep).join('/');
    const text = await readFile(file);
    hash.update(`${inner}\0${text.length}\0`).update(text);
    if (!inner.startsWith('sigma/') || !inner.endsWith('.yml') || inner.includes('.tests/')) continue;
    sigma += 1;
    for (const m of text.toString('utf8').matchAll(/^(?:date|modified):\s*['"]?(\d{4}[-/]\d{2}[-/]\d{2})/gm)) {
      const day = (m[1] as string).replaceAll('/', '-');
      if (!newest || day > newest) newest = day;
    }
  }
  const data: Versions['data'] = [];
  for (const file of await filesUnder(DATA_DIR)) {
    if (!/\.(json|ya?ml)$/.test(file)) continue;
    const text = await readFile(file, 'utf8');
    const checked =
      /^\s*"?checked"?\s*:\s*"?(\d{4}-\d{2}-\d{2})/m.exec(text) ??
      /"extracted"\s*:\s*"(\d{4}-\d{2}-\d{2})"/.exec(text) ??
      /\bretrieved (\d{4}-\d{2}-\d{2})/.exec(text);
    data.push({ file: relative(DATA_DIR, file).split(sep).join('/'), checked: checked?.[1] });
  }
  return { tool: `${TOOL.name} ${TOOL.version}`, rules: { sigma, newest, digest: hash.digest('hex').slice(0, 16) }, data };
}

/** `exir --version` as people read it. */
export function renderVersions(v: Versions): string {
  return (
    `${v.tool}\n` +
    `rules: ${v.rules.sigma} Sigma rules, newest dated ${v.rules.newest ?? 'unknown'}, content ${v.rules.digest}\n` +
    `data tables (date checked against their sources):\n${v.data.map((d) => `  ${d.file}  ${d.checked ?? 'no date given'}\n`).join('')}`
  );
}
