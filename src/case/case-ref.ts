// How a case is named: `firm/case`, or `case` when the firm is implied by --firm or by there being
// only one firm in the store. A name never silently resolves into another firm's cases.

import type { SqlRunner } from './db/driver.js';
import { num, str } from './db/driver.js';
import type { StoreContext } from './context.js';
import { CaseError } from './errors.js';

const SLUG = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkSlug(value: string, what: string): string {
  const s = value.trim().toLowerCase();
  if (!SLUG.test(s)) {
    throw new CaseError(`${what} "${value}" must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit`);
  }
  return s;
}

export interface ParsedRef {
  firm: string | undefined;
  name: string;
}

export function parseRef(ref: string): ParsedRef {
  const parts = ref.split('/');
  if (parts.length === 1) return { firm: undefined, name: checkSlug(ref, 'case name') };
  if (parts.length === 2 && parts[0] !== undefined && parts[1] !== undefined) {
    return { firm: checkSlug(parts[0], 'firm'), name: checkSlug(parts[1], 'case name') };
  }
  throw new CaseError(`"${ref}" is not a case name; write FIRM/CASE or CASE`);
}

/** The firm a command is about, honouring the session's scope. */
export async function resolveFirm(run: SqlRunner, ctx: StoreContext, named: string | undefined): Promise<string | undefined> {
  if (named !== undefined && ctx.firmScope !== undefined && named !== ctx.firmScope) {
    throw new CaseError(`firm "${named}" is outside this session, which is limited to firm "${ctx.firmScope}"`);
  }
  if (named !== undefined) return named;
  if (ctx.firmScope !== undefined) return ctx.firmScope;
  const firms = await run.all('SELECT slug FROM firms ORDER BY slug LIMIT 2');
  if (firms.length === 1 && firms[0]) return str(firms[0], 'slug');
  if (firms.length > 1) {
    throw new CaseError('this store holds cases for several firms; name the firm: FIRM/CASE, or --firm FIRM (or EXIR_FIRM)');
  }
  return undefined;
}

export interface ResolvedCase {
  caseId: number;
  firmId: number;
  firm: string;
  name: string;
  ref: string;
}

export async function resolveCase(run: SqlRunner, ctx: StoreContext, ref: string): Promise<ResolvedCase> {
  const parsed = parseRef(ref);
  const firm = await resolveFirm(run, ctx, parsed.firm);
  if (firm === undefined)
    throw new CaseError(`there is no case "${parsed.name}" yet: this store has no cases (create one with: exir case new FIRM/CASE --title …)`);
  const row = await run.get('SELECT c.id AS case_id, f.id AS firm_id FROM cases c JOIN firms f ON f.id = c.firm_id WHERE f.slug = ? AND c.name = ?', [
    firm,
    parsed.name,
  ]);
  if (!row) throw new CaseError(`there is no case "${firm}/${parsed.name}" (see: exir case list)`);
  return { caseId: num(row, 'case_id'), firmId: num(row, 'firm_id'), firm, name: parsed.name, ref: `${firm}/${parsed.name}` };
}

/**
 * Resolves the case inside a write transaction and takes its lock, so concurrent writers to one
 * case (several analysts on PostgreSQL) take turns and the audit chain stays a chain.
 */
export async function lockCase(tx: SqlRunner, ctx: StoreContext, ref: string): Promise<ResolvedCase> {
  const resolved = await resolveCase(tx, ctx, ref);
  if (tx.dialect === 'postgres') await tx.run('SELECT id FROM cases WHERE id = ? FOR UPDATE', [resolved.caseId]);
  return resolved;
}
