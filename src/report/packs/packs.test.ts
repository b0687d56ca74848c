import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import yauzl from 'yauzl';
import type { Draft } from '../../regulatory/draft-types.js';
import { buildDraft } from '../../regulatory/draft.js';
import type { Fixture } from '../../regulatory/test-helpers/fixture-case.js';
import { CONTROLS, FIXTURE_REF, fixtureCase, HOSTILE } from '../../regulatory/test-helpers/fixture-case.js';
import { refreshObligations } from '../../regulatory/refresh.js';
import { PACKS } from '../../regulatory/rules.js';
import { breakable } from './html.js';
import { chromiumMissing, renderPackDocx, renderPackHtml, renderPackJson, renderPackPdfs } from './index.js';
import { skipIf } from '../../test-support/skips.js';
import { assertSchema } from '../../test-support/json-schema.js';

let fx: Fixture;
const drafts: Draft[] = [];

before(async () => {
  fx = await fixtureCase({ file: true });
  const s = await refreshObligations(fx.store, FIXTURE_REF, fx.now);
  const c = { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: fx.now, tz: 'Europe/Jersey' };
  for (const p of PACKS) drafts.push(buildDraft(p, c));
});
after(() => fx.close());

function readZipEntry(buf: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e2, stream) => {
          if (e2) return reject(e2);
          const chunks: Buffer[] = [];
          stream.on('data', (d: Buffer) => chunks.push(d));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in the document`)));
      zip.readEntry();
    });
  });
}

const labels = (d: Draft): string[] => d.sections.flatMap((s) => s.items.map((i) => i.label));
const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

test('HTML: every field and open question is on the page; evidence text is escaped, never markup', () => {
  for (const d of drafts) {
    const html = renderPackHtml(d);
    for (const label of labels(d)) assert.ok(html.includes(xmlText(label).replace(/"/g, '&#34;').replace(/'/g, '&#39;')), `${d.pack}: ${label}`);
    assert.equal(
      (html.match(/class="open"/g) ?? []).length,
      d.sections.flatMap((s) => s.items).filter((i) => i.open).length,
      `${d.pack}: each open field is highlighted`,
    );
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /DRAFT, not sent/);
  }
  const evidence = renderPackHtml(drafts.find((d) => d.pack === 'evidence') as Draft);
  assert.ok(evidence.replace(/<wbr>/g, '').includes('&#60;script&#62;alert(1)&#60;/script&#62;&#38;&#34;&#39;'), 'the hostile finding title is shown as text');
  assert.match(evidence, /Content-Security-Policy/);
});

test('DOCX: an editable Word document holding every field, open questions shaded, evidence escaped', async () => {
  for (const d of drafts) {
    const buf = await renderPackDocx(d);
    assert.equal(buf.subarray(0, 2).toString(), 'PK');
    const xml = (await readZipEntry(buf, 'word/document.xml')).replace(/&apos;/g, "'").replace(/&quot;/g, '"');
    for (const label of labels(d)) assert.ok(xml.includes(xmlText(label)), `${d.pack}: ${label}`);
    const shaded = (xml.match(/w:fill="FFF2A8"/g) ?? []).length;
    assert.ok(shaded >= d.open.length * 2, `${d.pack}: ${shaded} shaded paragraphs for ${d.open.length} open questions (list and field)`);
    assert.doesNotMatch(xml, /<script/);
  }
  const evidence = drafts.find((d) => d.pack === 'evidence') as Draft;
  const xml = (await readZipEntry(await renderPackDocx(evidence), 'word/document.xml')).replace(/&apos;/g, "'").replace(/&quot;/g, '"');
  assert.ok(xml.includes(xmlText(HOSTILE)), 'hostile text kept as text');
  assert.match(xml, /<w:tbl>/, 'the per-server summary is a table');
});

test('JSON: the whole draft, with a format marker', () => {
  const parsed = assertSchema<{ format: string; pack: string; open: unknown[]; sections: unknown[] }>('pack-draft', renderPackJson(drafts[0] as Draft));
  for (const d of drafts) assertSchema('pack-draft', renderPackJson(d));
  assert.equal(parsed.format, 'exir-pack-draft');
  assert.equal(parsed.pack, 'joic');
  assert.equal(parsed.sections.length, (drafts[0] as Draft).sections.length);
});

test('PDF: printed by Chromium, one file per pack', async (t) => {
  if (skipIf(t, 'chromium', chromiumMissing())) return;
  const pdfs = await renderPackPdfs([drafts[0] as Draft, drafts[2] as Draft]);
  assert.equal(pdfs.length, 2);
  for (const pdf of pdfs) {
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 10_000);
    assert.match(pdf.toString('latin1'), /\/Type\s*\/Page[^s]/);
  }
});

test('every pack states the tool, rule-pack and assessment versions and a content hash, in the page and in the DOCX properties', async () => {
  const d = drafts.find((x) => x.pack === 'board');
  assert.ok(d);
  assert.match(d.stamp.contentHash, /^[0-9a-f]{64}$/);
  assert.match(d.stamp.tool, /^exir \d+\.\d+\.\d+/);
  const html = renderPackHtml(d);
  assert.match(
    html,
    new RegExp(
      `Prepared with exir [^;]+; regulatory rule pack v\\d+, checked \\d{4}-\\d{2}-\\d{2}; case acme/proxylogon; assessment version 1; content SHA-256 ${d.stamp.contentHash}`,
    ),
  );
  const core = await readZipEntry(await renderPackDocx(d), 'docProps/core.xml');
  assert.match(core, new RegExp(`content-sha256:${d.stamp.contentHash}`));
  assert.match(core, /rule-pack:v\d+\/\d{4}-\d{2}-\d{2} assessment:v1/);
  // The hash is of the content: another wording, another hash.
  const other = drafts.find((x) => x.pack === 'register');
  assert.notEqual(other?.stamp.contentHash, d.stamp.contentHash);
});

test('table cells wrap long values at separators and hashes in 16-character groups, never inside a word', () => {
  assert.equal(
    breakable('C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'),
    'C:<wbr>\\<wbr>inetpub\\<wbr>wwwroot\\<wbr>aspnet_<wbr>client\\<wbr>shell.<wbr>aspx',
  );
  const hash = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(16) + 'd'.repeat(16);
  assert.equal(breakable(hash), `${'a'.repeat(16)}<wbr>${'b'.repeat(16)}<wbr>${'c'.repeat(16)}<wbr>${'d'.repeat(16)}`);
  assert.equal(breakable('short words stay whole'), 'short words stay whole');
  assert.equal(breakable('<script>alert(1)</script>/aaaaaaaaaaaaaaaaaaaa'), '&#60;script&#62;alert(1)&#60;/<wbr>script&#62;/<wbr>aaaaaaaaaaaaaaaaaaaa');
  const html = renderPackHtml(drafts[0] as Draft);
  assert.doesNotMatch(html, /overflow-wrap: anywhere/);
});

/** What no pack may hold raw: C0 and C1 controls but the document's own line ends and tabs, DEL, bidi marks and overrides. */
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The hostile finding title's controls as the packs must show them: visible escapes. */
const SHOWN = '\\u202egnp.exe\\e[2J\\x85\\u200f\\r\\nFAKE LINE';

test('a finding holding control and bidi characters reaches the HTML (and so the PDF) and DOCX packs inert: shown, never obeyed', async () => {
  // The evidence summary is the pack that carries findings; the others refer to it.
  const d = drafts.find((x) => x.pack === 'evidence') as Draft;
  assert.ok(JSON.stringify(d).includes(JSON.stringify(CONTROLS).slice(1, -1)), 'the hostile title reaches the draft');
  const html = renderPackHtml(d);
  assert.doesNotMatch(html, RAW_CONTROL);
  assert.ok(html.replace(/<wbr>/g, '').includes(SHOWN), 'shown as escapes in the page');
  assert.doesNotMatch(html, /\r\nFAKE LINE/, 'no line of its own');
  const xml = await readZipEntry(await renderPackDocx(d), 'word/document.xml');
  assert.doesNotMatch(xml, RAW_CONTROL);
  assert.ok(xml.includes(SHOWN), 'shown as escapes in the Word document');
});
