// A pack draft as an editable Word document: compliance officers finish these in Word. Open
// questions are shaded where they stand; each answer carries its source in small grey text.

import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { inertText } from '../../core/inert-text.js';
import type { Draft, DraftField, DraftItem, DraftTable } from '../../regulatory/draft-types.js';
import { stampLine } from '../../regulatory/draft.js';

const OPEN_FILL = 'FFF2A8';
const GREY = '666666';
/**
 * Control characters and bidi overrides from the evidence shown as escapes, not obeyed; and the two
 * non-characters XML 1.0 forbids (Word refuses the document) replaced.
 */
const clean = (s: string): string => inertText(s).replace(/[\ufffe\uffff]/g, '\ufffd');

function traceParagraph(item: { trace: string[]; source: string }): Paragraph[] {
  // A send copy carries no provenance (its trace is emptied by src/regulatory/send-copy.ts).
  if (item.trace.length === 0 && item.source === '') return [];
  return [
    new Paragraph({
      spacing: { after: 160 },
      children: [
        new TextRun({
          text: clean(`From: ${item.trace.join('; ') || 'nothing in the case yet'}. Question: ${item.source}.`),
          size: 15,
          color: GREY,
          italics: true,
        }),
      ],
    }),
  ];
}

function openParagraph(needed: string, partly: boolean): Paragraph {
  return new Paragraph({
    shading: { type: ShadingType.CLEAR, color: 'auto', fill: OPEN_FILL },
    border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'D4A000', space: 4 } },
    children: [new TextRun({ text: partly ? 'STILL OPEN: ' : 'OPEN QUESTION: ', bold: true, color: '8A5A00' }), new TextRun({ text: clean(needed) })],
  });
}

function fieldBlocks(f: DraftField, letter: boolean, send: boolean): Paragraph[] {
  const out: Paragraph[] = [];
  // A bare part stands without its label in the copy sent; the working copy names it.
  if (!(letter && f.bare && send))
    out.push(
      letter
        ? new Paragraph({ heading: HeadingLevel.HEADING_3, spacing: { before: 200, after: 60 }, children: [new TextRun({ text: clean(f.label) })] })
        : new Paragraph({ keepNext: true, children: [new TextRun({ text: clean(f.label), bold: true })] }),
    );
  for (const line of f.lines) out.push(new Paragraph({ spacing: { after: letter ? 120 : 40 }, children: [new TextRun({ text: clean(line) })] }));
  if (f.open) out.push(openParagraph(f.open, f.lines.length > 0));
  out.push(...traceParagraph(f));
  return out;
}

function cell(text: string, header: boolean, width: number): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E8E8E8' } } : {}),
    children: [new Paragraph({ children: [new TextRun({ text: clean(text), bold: header, size: 15 })] })],
  });
}

/** Column widths in proportion to what they hold (capped), so short columns do not wrap. */
function widths(t: DraftTable): number[] {
  const weight = t.columns.map((c, i) => {
    const avg = t.rows.reduce((sum, r) => sum + (r[i] ?? '').length, 0) / Math.max(1, t.rows.length);
    const headerWord = Math.max(...c.split(/\s+/).map((w) => w.length));
    return Math.max(headerWord + 1, Math.min(30, avg)) + 3;
  });
  const total = weight.reduce((a, b) => a + b, 0);
  return weight.map((w) => Math.max(5, Math.round((w / total) * 100)));
}

function tableBlocks(t: DraftTable): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [new Paragraph({ keepNext: true, children: [new TextRun({ text: clean(t.label), bold: true })] })];
  if (t.rows.length) {
    const w = widths(t);
    out.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({ tableHeader: true, children: t.columns.map((c, i) => cell(c, true, w[i] ?? 10)) }),
          ...t.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, false, w[i] ?? 10)) })),
        ],
      }),
    );
  }
  if (t.note) out.push(new Paragraph({ children: [new TextRun({ text: clean(t.note), size: 17, color: '444444' })] }));
  if (t.open) out.push(openParagraph(t.open, t.rows.length > 0));
  out.push(...traceParagraph(t));
  return out;
}

function itemBlocks(item: DraftItem, letter: boolean, send: boolean): (Paragraph | Table)[] {
  return item.kind === 'table' ? tableBlocks(item) : fieldBlocks(item, letter, send);
}

function packDocument(d: Draft): Document {
  const send = d.copy === 'send';
  const children: (Paragraph | Table)[] = send
    ? [
        new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: clean(d.title) })] }),
        new Paragraph({ children: [new TextRun({ text: clean(`${d.firmName} · ${d.generatedAtShown}`), color: '444444', size: 19 })] }),
      ]
    : [
        new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: clean(d.title) })] }),
        new Paragraph({
          children: [
            new TextRun({
              text: clean(
                `${d.firmName} · case ${d.caseRef} · drafted ${d.generatedAtShown} · times in ${d.timeZone}${d.assessmentVersion !== undefined ? ` · assessment v${d.assessmentVersion}` : ' · no assessment yet'}`,
              ),
              color: '444444',
              size: 19,
            }),
          ],
        }),
        new Paragraph({ children: [new TextRun({ text: clean(`Basis: ${d.basis}`), color: '444444', size: 19 })] }),
        new Paragraph({
          border: {
            top: { style: BorderStyle.SINGLE, size: 12, color: 'BB0000', space: 2 },
            bottom: { style: BorderStyle.SINGLE, size: 12, color: 'BB0000', space: 2 },
          },
          spacing: { before: 120, after: 120 },
          children: [
            new TextRun({
              text: `DRAFT, not sent. ${d.open.length ? `${d.open.length} question(s) still open, highlighted below.` : 'No open questions.'}`,
              bold: true,
              color: 'BB0000',
            }),
          ],
        }),
        ...d.caveats.map((c) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: clean(c), size: 18 })] })),
      ];
  if (d.open.length) {
    children.push(
      new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new TextRun({ text: 'Open questions' })] }),
    );
    d.open.forEach((o, i) =>
      children.push(
        new Paragraph({
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: OPEN_FILL },
          children: [new TextRun({ text: `${i + 1}. ${clean(o.label)}: `, bold: true, size: 18 }), new TextRun({ text: clean(o.needed), size: 18 })],
        }),
      ),
    );
  }
  for (const s of d.sections) {
    if (s.title)
      children.push(
        new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 360, after: 120 }, children: [new TextRun({ text: clean(s.title) })] }),
      );
    for (const item of s.items) children.push(...itemBlocks(item, s.style === 'letter', d.copy === 'send'));
  }
  children.push(new Paragraph({ spacing: { before: 360 }, children: [new TextRun({ text: clean(stampLine(d)), size: 14, color: '555555' })] }));
  return new Document({
    creator: d.stamp.tool,
    subject: clean(stampLine(d)),
    keywords: clean(
      `content-sha256:${d.stamp.contentHash} rule-pack:v${d.stamp.rulePack.version}/${d.stamp.rulePack.checked}${d.stamp.assessmentVersion !== undefined ? ` assessment:v${d.stamp.assessmentVersion}` : ''}`,
    ),
    title: clean(`${d.title}: ${d.caseRef}`),
    description: send ? clean(`${d.title}, ${d.firmName}`) : 'Draft prepared by exir from the case record',
    styles: { default: { document: { run: { font: 'Arial', size: 21 } } } },
    sections: [
      {
        properties: { page: { margin: { top: 1000, bottom: 1000, left: 1000, right: 1000 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    children: [
                      clean(send ? `${d.title} · page ` : `DRAFT · ${d.title} · ${d.caseRef} · page `),
                      PageNumber.CURRENT,
                      ' of ',
                      PageNumber.TOTAL_PAGES,
                    ],
                    size: 15,
                    color: '555555',
                  }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}

export function renderPackDocx(d: Draft): Promise<Buffer> {
  return Packer.toBuffer(packDocument(d));
}
