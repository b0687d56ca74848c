// A test reporter beside the usual one: at the end of `npm test`, how many tests were skipped and
// why, so a skip is read, not scrolled past. Plain JavaScript: Node loads reporters before any
// `--import` loader, so it cannot be TypeScript.

import { relative } from 'node:path';

/** @param {AsyncIterable<import('node:test/reporters').TestEvent>} source */
export default async function* skipReport(source) {
  /** @type {Map<string, string[]>} */
  const byReason = new Map();
  let count = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file } = event.data;
    if (skip === undefined || skip === false) continue;
    count += 1;
    const reason = skip === true ? '(no reason given)' : skip;
    byReason.set(reason, [...(byReason.get(reason) ?? []), file === undefined ? name : `${name} (${relative(process.cwd(), file)})`]);
  }
  yield `\nskipped: ${count}\n`;
  for (const [reason, tests] of byReason) {
    yield `  ${tests.length} × ${reason}\n`;
    for (const t of tests) yield `      ${t}\n`;
  }
}
