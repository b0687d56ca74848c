import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Draft } from '../../regulatory/draft-types.js';
import { buildDraft } from '../../regulatory/draft.js';
import { refreshObligations } from '../../regulatory/refresh.js';
import { sendCopy } from '../../regulatory/send-copy.js';
import type { Fixture } from '../../regulatory/test-helpers/fixture-case.js';
import { FIXTURE_REF, fixtureCase, REALISTIC_ANSWERS } from '../../regulatory/test-helpers/fixture-case.js';
import { pdfPages } from '../../test-support/pdf-text.js';
import { skipIf } from '../../test-support/skips.js';
import { chromiumMissing, renderPackPdfs } from './index.js';

let fx: Fixture;
let board: Draft;

before(async () => {
  fx = await fixtureCase({ answers: REALISTIC_ANSWERS, file: true, lateGuernsey: true });
  const s = await refreshObligations(fx.store, FIXTURE_REF, fx.now);
  board = buildDraft('board', { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: fx.now, tz: 'Europe/Jersey' });
});
after(() => fx.close());

const item = (id: string) => board.sections.flatMap((s) => s.items).find((i) => i.id === id);

test('the board briefing of the realistic case fits on two pages, working copy and send copy', async (t) => {
  if (skipIf(t, 'chromium', chromiumMissing())) return;
  const [working, sent] = await renderPackPdfs([board, sendCopy(board)]);
  for (const [name, pdf] of [
    ['working', working],
    ['send', sent],
  ] as const) {
    const pages = await pdfPages(pdf as Buffer);
    assert.ok(pages.length <= 2, `the ${name} copy is ${pages.length} pages`);
    assert.match(pages.join('\n'), /Decisions for the board now/);
  }
});

test('the board decides per authority, for the people affected, the police and the insurer, each with where it stands', () => {
  const decisions = item('board.decisions');
  assert.ok(decisions && decisions.kind === 'table');
  const row = (re: RegExp) => decisions.rows.find((r) => re.test(r[0] ?? ''));
  assert.match(row(/^Notify: JOIC/)?.[1] ?? '', /^Done: told Thu 11 Mar 2021 12:00 GMT, 3 h late, with reasons/);
  assert.match(row(/^Notify: ODPA/)?.[1] ?? '', /^Done: told .*late/);
  assert.match(row(/^Notify: UK Information/)?.[1] ?? '', /^OVERDUE since Thu 11 Mar 2021 09:00 GMT/);
  assert.match(row(/^Notify: JFSC/)?.[1] ?? '', /our own target passed Tue 09 Mar 2021 09:00 GMT/);
  assert.equal(
    row(/^Tell: Affected/)?.join(' | '),
    'Tell: Affected individuals; Affected individuals in Guernsey; Affected individuals in the United Kingdom; Affected individuals in the EU | Not yet told (the law gives no hours)',
    'the people affected under each law, in one row where they stand alike',
  );
  assert.match(row(/police/)?.[1] ?? '', /^DECIDE NOW: whether to report the crime/);
  assert.match(row(/insurer/)?.[1] ?? '', /^Done or decided: Cyber insurer told on 9 March/);
  assert.ok(!decisions.rows.some((r) => /breach log/i.test(r[0] ?? '')), "the firm's own log is not a board decision");
  const deadlines = item('board.deadlines');
  assert.ok(
    deadlines?.kind === 'field' && deadlines.lines.some((l) => /^UK Information Commissioner's Office \(initial\): passed Thu 11 Mar 2021 09:00 GMT$/.test(l)),
  );
  const costs = item('board.costs-risks');
  assert.ok(costs?.kind === 'field');
  assert.match(costs.lines.join('\n'), /^Risk: high risk to the people affected/);
  assert.match(costs.lines.join('\n'), /Regulatory: 2 notification\(s\) were late; 2 are overdue/);
  assert.match(costs.lines.join('\n'), /Costs: Forensics £18,000/);
});

test('every response action is shown with its real status and last update, by its title, not its key', () => {
  const actions = item('board.actions');
  assert.ok(actions && actions.kind === 'field');
  assert.equal(actions.lines[0], 'Done: Isolate the Exchange server from the internet (analyst, Mon 08 Mar 2021 11:00 GMT: firewall rule 42).');
  assert.match(actions.lines[1] ?? '', /^Not started: Capture the server's memory; .*; Monitor for the attacker's return\.$/);
  assert.equal(actions.lines.length, 2);
  assert.doesNotMatch(actions.lines.join('\n'), /\b[a-z]+-[a-z]+:/, 'titles, not keys');
});
