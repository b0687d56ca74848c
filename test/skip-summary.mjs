// A node:test reporter that ends the run with how many tests were skipped and why, grouped by
// reason, so a run without the public corpus or Chromium says so plainly instead of passing quietly.
// Plain JavaScript: node loads reporters before `--import tsx` can teach it TypeScript.

/** `corpus not found at /x/shared/corpus` and `… at /y/shared/corpus` are one reason. */
function reasonOf(skip) {
  return typeof skip === 'string' && skip !== '' ? skip.replace(/ at \S+/, '') : 'skipped without a reason';
}

export default async function* skipSummary(source) {
  const reasons = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const skip = event.data.skip;
    if (skip === undefined || skip === false) continue;
    const reason = reasonOf(skip);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const total = [...reasons.values()].reduce((a, b) => a + b, 0);
  if (total === 0) {
    yield '\nskipped: none\n';
    return;
  }
  const lines = [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `  ${n}  ${reason}`);
  yield `\nskipped: ${total} test(s) (see "Tests that need more than the checkout" in the README)\n${lines.join('\n')}\n`;
}
