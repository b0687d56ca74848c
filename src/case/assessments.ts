// Breach assessments, versioned with the case: each `exir assess` adds a version; none is changed.

import { appendAudit } from './audit.js';
import { lockCase, resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { SqlRunner } from './db/driver.js';
import { json, num, optStr, str } from './db/driver.js';
import type { NewAssessment, StoredAssessment } from './regulatory-types.js';

async function readAssessments(run: SqlRunner, caseId: number): Promise<StoredAssessment[]> {
  const rows = await run.all('SELECT * FROM breach_assessments WHERE case_id = ? ORDER BY version', [caseId]);
  return rows.map((r) => ({
    version: num(r, 'version'),
    answers: json<unknown>(r, 'answers'),
    result: json<unknown>(r, 'result'),
    conclusion: optStr(r, 'conclusion'),
    level: optStr(r, 'level'),
    assessedBy: str(r, 'assessed_by'),
    assessedAt: str(r, 'assessed_at'),
  }));
}

export async function listAssessments(ctx: StoreContext, ref: string): Promise<StoredAssessment[]> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  return readAssessments(ctx.driver, caseId);
}

export async function recordAssessment(ctx: StoreContext, ref: string, input: NewAssessment): Promise<StoredAssessment> {
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const last = await tx.get('SELECT MAX(version) AS v FROM breach_assessments WHERE case_id = ?', [resolved.caseId]);
    const version = (last && last.v !== null && last.v !== undefined ? num(last, 'v') : 0) + 1;
    const now = ctx.now();
    await tx.run(
      `INSERT INTO breach_assessments (case_id, version, answers, result, conclusion, level, assessed_by, assessed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        resolved.caseId,
        version,
        JSON.stringify(input.answers ?? {}),
        JSON.stringify(input.result ?? {}),
        input.conclusion ?? null,
        input.level ?? null,
        ctx.actor,
        input.assessedAt ?? now,
      ],
    );
    await appendAudit(tx, resolved.caseId, ctx.actor, now, {
      entity: 'assessment',
      entityId: `v${version}`,
      action: 'assess',
      after: {
        version,
        conclusion: input.conclusion ?? null,
        level: input.level ?? null,
        answers: input.answers ?? {},
        ...(input.assessedAt !== undefined ? { assessedAt: input.assessedAt } : {}),
      },
    });
    const all = await readAssessments(tx, resolved.caseId);
    const made = all.find((a) => a.version === version);
    if (!made) throw new Error(`assessment v${version} vanished`);
    return made;
  });
}
