// Makes data/baselines/exchange-web-files.json.gz from Microsoft's per-build hash baselines
// (CSS-Exchange `Security/src/Baselines/baseline_<build>.csv`, format `SHA256,build,relative path`).
// Run: node --import tsx src/detect/files/make-baseline.ts <folder with baseline_*.csv[.gz]> <out file>
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BASELINE_EXTENSIONS, type BaselineData } from './baseline-format.js';

const WEB_ROOTS = ['\\frontend\\httpproxy\\', '\\clientaccess\\'];

export interface BaselineRow {
  sha256: string;
  build: string;
  path: string;
}

/** Parses one baseline CSV; bad lines are returned with their line number, not dropped silently. */
export function parseBaselineCsv(text: string): { rows: BaselineRow[]; bad: { line: number; reason: string }[] } {
  const rows: BaselineRow[] = [];
  const bad: { line: number; reason: string }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.length === 0) return;
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    const sha256 = line.slice(0, first);
    if (first < 0 || second < 0 || !/^[0-9A-Fa-f]{64}$/.test(sha256)) {
      bad.push({ line: i + 1, reason: 'not SHA256,build,path' });
      return;
    }
    rows.push({ sha256: sha256.toLowerCase(), build: line.slice(first + 1, second), path: line.slice(second + 1) });
  });
  return { rows, bad };
}

export function keepRow(path: string): boolean {
  const lower = path.toLowerCase();
  const dot = lower.lastIndexOf('.');
  const ext = dot >= 0 ? lower.slice(dot + 1) : '';
  return (BASELINE_EXTENSIONS as readonly string[]).includes(ext) && WEB_ROOTS.some((r) => lower.startsWith(r));
}

export function buildBaseline(perBuild: Map<string, BaselineRow[]>, retrieved: string, extracted: string): BaselineData {
  const builds = [...perBuild.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const pairs = new Map<string, [string, string, number]>();
  builds.forEach((build, bit) => {
    for (const row of perBuild.get(build) ?? []) {
      if (!keepRow(row.path)) continue;
      const key = `${row.path.toLowerCase()}|${row.sha256}`;
      const entry = pairs.get(key);
      if (entry) entry[2] |= 1 << bit;
      else pairs.set(key, [row.path, row.sha256, 1 << bit]);
    }
  });
  const files = [...pairs.values()].sort((a, b) =>
    a[0].toLowerCase() < b[0].toLowerCase() ? -1 : a[0].toLowerCase() > b[0].toLowerCase() ? 1 : a[1] < b[1] ? -1 : 1,
  );
  return {
    about:
      "Known-good Exchange web files: for each build, the SHA-256 of every .aspx/.ashx/.asmx/.asax/.js file Microsoft shipped under the install root's FrontEnd\\HttpProxy\\ and ClientAccess\\ folders. A facts-only extract; no code.",
    source: {
      name: 'Microsoft CSS-Exchange per-build file hash baselines (used by the retired CompareExchangeHashes.ps1)',
      repo: 'microsoft/CSS-Exchange',
      path: 'Security/src/Baselines/baseline_<build>.csv',
      commit: '1c9607dfc7ab84b253efe0e4fcd7116cc09c1147',
      licence: 'MIT',
      url: 'https://github.com/microsoft/CSS-Exchange/tree/1c9607dfc7ab84b253efe0e4fcd7116cc09c1147/Security/src/Baselines',
      retrieved,
      note: 'The source writes a build-numbered folder (owa\\auth\\15.2.792.10\\, owa\\prem\\15.2.792.10\\, ecp\\15.2.792.10\\) as "version".',
    },
    extracted,
    scope: `files ending ${BASELINE_EXTENSIONS.map((e) => '.' + e).join(' ')} whose path starts ${WEB_ROOTS.join(' or ')}; one row per (path, hash) with a bit per build that ships it (bit i = builds[i])`,
    builds,
    files,
  };
}

function main(argv: string[]): void {
  const [dir, out] = argv;
  if (!dir || !out) throw new Error('usage: make-baseline.ts <folder with baseline_*.csv[.gz]> <out.json.gz>');
  const perBuild = new Map<string, BaselineRow[]>();
  for (const name of readdirSync(dir).sort()) {
    const m = /^baseline_(.+?)\.csv(\.gz)?$/.exec(name);
    if (!m?.[1]) continue;
    const raw = readFileSync(join(dir, name));
    const { rows, bad } = parseBaselineCsv((m[2] ? gunzipSync(raw) : raw).toString('utf8'));
    for (const b of bad) process.stderr.write(`${name}:${b.line}: ${b.reason}\n`);
    perBuild.set(m[1], rows);
  }
  const today = new Date().toISOString().slice(0, 10);
  const data = buildBaseline(perBuild, '2026-11-28', today);
  writeFileSync(out, gzipSync(Buffer.from(JSON.stringify(data, null, 0).replace(/\],\[/g, '],\n['), 'utf8'), { level: 9 }));
  process.stderr.write(`${data.files.length} (path, hash) rows for ${data.builds.join(', ')} written to ${out}\n`);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) main(process.argv.slice(2));
