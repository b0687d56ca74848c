// The pack renderers: HTML, DOCX, PDF and JSON of a draft built by src/regulatory/draft.ts.

export { renderPackHtml } from './html.js';
export { renderPackDocx } from './docx.js';
export { renderPackPdfs, chromiumMissing, CHROMIUM } from './pdf.js';
export { renderPackJson } from './json.js';

export { FORMATS, type PackFormat } from './formats.js';
