// The pack renderers: HTML, DOCX, PDF and JSON of a draft built by src/regulatory/draft.ts.

export { renderPackHtml } from './html.js';
export { renderPackDocx } from './docx.js';
export { renderPackPdfs, chromiumMissing, CHROMIUM } from './pdf.js';
export { renderPackJson } from './json.js';

export const FORMATS = ['html', 'docx', 'pdf', 'json'] as const;
export type PackFormat = (typeof FORMATS)[number];
