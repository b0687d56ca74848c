// Measures how fast the shipped YARA rules scan synthetic files, and the whole file check around
// them. Run: node --import tsx bench/yara-throughput.ts [total MB, default 200]
import { createHash, randomBytes } from 'node:crypto';
import { loadFileChecker } from '../src/detect/files/checker.js';
import type { FileFacts } from '../src/detect/files/types.js';
import { loadYara, scanWithYara } from '../src/detect/files/yara.js';

const MB = 1024 * 1024;

/** ASP.NET-like text: markup and C# with the words the rules look for, but no web shell. */
function pageText(size: number, seed: number): Buffer {
  const parts = [
    '<%@ Page Language="C#" AutoEventWireup="true" %>\r\n<script runat="server">\r\n',
    `protected void Page_Load(object s, EventArgs e) { var q = Request.QueryString["id${seed}"]; Response.Write(Server.HtmlEncode(q)); }\r\n`,
    '<div class="signInInputLabel">User name:</div><input id="username" name="username" type="text" />\r\n',
    'function clkLgn() { var r = eval("(" + json + ")"); document.forms[0].submit(); }\r\n',
    '// ExternalUrl and InternalUrl are read from configuration; Process and Assembly are not used here.\r\n',
  ];
  const unit = Buffer.from(parts.join(''), 'utf8');
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += unit.length) unit.copy(out, i, 0, Math.min(unit.length, size - i));
  return out;
}

async function main(totalMb: number): Promise<void> {
  const files: { name: string; data: Buffer }[] = [];
  const perKind = Math.max(1, Math.round(totalMb / 4));
  for (let i = 0; i < perKind; i++) files.push({ name: `page${i}.aspx`, data: pageText(2 * MB, i) });
  for (let i = 0; i < perKind; i++) files.push({ name: `blob${i}.bin`, data: randomBytes(2 * MB) });
  const total = files.reduce((n, f) => n + f.data.length, 0);

  const { set } = await loadYara();
  let hits = 0;
  const yaraSeconds = { text: 0, random: 0 };
  for (const f of files) {
    const t0 = performance.now();
    hits += (await scanWithYara(set, f.data, { filename: f.name, extension: `.${f.name.split('.').pop() ?? ''}` })).length;
    const seconds = (performance.now() - t0) / 1000;
    if (f.name.startsWith('page')) yaraSeconds.text += seconds;
    else yaraSeconds.random += seconds;
  }

  const { checker } = await loadFileChecker({ build: '15.2.792.10' });
  const facts: FileFacts[] = files.map((f) => ({
    path: `EX01/inetpub/wwwroot/aspnet_client/${f.name}`,
    sha256: createHash('sha256').update(f.data).digest('hex'),
    size: f.data.length,
    server: 'EX01',
    head: f.data.subarray(0, 64 * 1024),
    read: () => Promise.resolve(f.data),
  }));
  const t = performance.now();
  let findings = 0;
  for (const f of facts) findings += (await checker.check(f)).length;
  const checkSeconds = (performance.now() - t) / 1000;
  const mb = total / MB;
  process.stdout.write(`${files.length} files, ${mb.toFixed(0)} MiB (half ASP.NET-like text, half random bytes)\n`);
  const half = mb / 2;
  const yaraTotal = yaraSeconds.text + yaraSeconds.random;
  process.stdout.write(
    `YARA scan only: ${yaraTotal.toFixed(2)} s = ${(mb / yaraTotal).toFixed(0)} MiB/s; ASP.NET-like text ${(half / yaraSeconds.text).toFixed(0)} MiB/s, random bytes ${(half / yaraSeconds.random).toFixed(0)} MiB/s (${hits} rule hits)\n`,
  );
  process.stdout.write(
    `check() per file, YARA and the other checks (SHA-256 given, as the scanner computes it while reading): ${checkSeconds.toFixed(2)} s = ${(mb / checkSeconds).toFixed(0)} MiB/s (${findings} findings)\n`,
  );
}

await main(Number(process.argv[2] ?? 200));
