import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The shipped source files under `dir`: every `.ts` but tests and the test helpers' folders. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test-helpers' || e.name === 'test-support' ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}
