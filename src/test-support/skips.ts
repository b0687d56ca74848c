// The one place a test decides it cannot run here, and says why. A skip on a laptop without the
// shared corpus is fine; in CI (CI=true) the conditions are provided by .ci/run, so a skip there
// means a test silently stopped testing, and fails unless it is on the short allow-list below.

import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromiumMissing } from '../report/packs/pdf.js';
import { byteSearchEngine, nativeSearch } from '../sources/bytes/native.js';

/** What a test may need that a machine may lack. */
export type Need = 'corpus' | 'postgres' | 'chromium' | 'redis' | 'native';

/** The public sample evidence beside the checkout (`../shared/corpus`, see its SOURCES.md). */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** The PostgreSQL server the store suites use: EXIR_TEST_PG, or the machine's own with trust auth. */
export const PG_URL = process.env.EXIR_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Skips that CI accepts, by need, each with the reason it cannot be provided there. Empty: .ci/run
 * provides the corpus, PostgreSQL, Redis and Chromium, so in CI every test runs.
 */
const ALLOWED_IN_CI: Readonly<Partial<Record<Need, string>>> = {};

/** Undefined when every path exists, or the reason the test cannot read the corpus. */
export function corpusMissing(...paths: string[]): string | undefined {
  const absent = (paths.length > 0 ? paths : [CORPUS]).find((p) => !existsSync(p));
  return absent === undefined ? undefined : `corpus not found at ${absent}`;
}

/**
 * How long a test waits for PostgreSQL to answer before calling it missing. In CI a missing server
 * fails the run, and a heavily loaded machine has been seen to take more than 3 s to accept a
 * connection to a server that was up: CI waits longer rather than fail on load.
 */
export function postgresWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  return env.CI === 'true' ? 30_000 : 3_000;
}

/** Undefined when the server answers a query, or the reason it does not. */
export async function postgresMissing(url: string = PG_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: postgresWaitMs() });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable at ${url}: ${err instanceof Error ? err.message || err.name : String(err)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export { chromiumMissing };

/** Undefined when the native byte search (built by `npm install`) is loaded, or why it is not. */
export function nativeMissing(): string | undefined {
  return nativeSearch() ? undefined : `native byte search not in use: ${byteSearchEngine()}`;
}

/**
 * Skips the test when `missing` holds a reason, and answers whether it did (the caller returns).
 * Under CI=true a skip for a need not on the allow-list fails the test instead.
 */
export function skipIf(
  t: TestContext,
  need: Need,
  missing: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  allowed: Readonly<Partial<Record<Need, string>>> = ALLOWED_IN_CI,
): boolean {
  if (missing === undefined) return false;
  if (env.CI === 'true' && allowed[need] === undefined) {
    throw new Error(
      `${missing}. CI must run every test: .ci/run provides the ${need}; a skip CI accepts is listed, with its reason, in ALLOWED_IN_CI (src/test-support/skips.ts)`,
    );
  }
  t.skip(missing);
  return true;
}

/**
 * The same decision for a whole `describe` block: its `skip` option (the reason, or false). Under
 * CI=true a need not on the allow-list throws instead, so the file fails as it loads.
 */
export function suiteSkip(
  need: Need,
  missing: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  allowed: Readonly<Partial<Record<Need, string>>> = ALLOWED_IN_CI,
): string | false {
  if (missing === undefined) return false;
  let reason: string | undefined;
  skipIf(
    {
      skip: (why: string) => {
        reason = why;
      },
    } as unknown as TestContext,
    need,
    missing,
    env,
    allowed,
  );
  return reason ?? false;
}
