// Evidence text is attacker-controlled. These make it safe where it is shown.
import { inertText } from './inert-text.js';

/**
 * A CSV cell that a spreadsheet will not run as a formula, with no control character or bidi
 * override left raw, quoted when it needs to be. Spreadsheets skip leading white space and line
 * breaks before deciding a cell is a formula, so those count as the cell's start too.
 */
export function csvCell(value: string | number | undefined | null): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[\s\u0000-\u001f]*[=+\-@]/.test(text) || /^[\t\r]/.test(text)) text = `'${text}`;
  text = inertText(text);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: (string | number | undefined | null)[]): string {
  return cells.map(csvCell).join(',');
}

/** Text for HTML element content and attribute values. */
export function forHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
