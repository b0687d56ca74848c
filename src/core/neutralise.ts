// Evidence text is attacker-controlled. These make it safe where it is shown.

/** A CSV cell that a spreadsheet will not run as a formula, quoted when it needs to be. */
export function csvCell(value: string | number | undefined | null): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: (string | number | undefined | null)[]): string {
  return cells.map(csvCell).join(',');
}

/** Text for HTML element content and attribute values. */
export function forHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
