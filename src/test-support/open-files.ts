import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

/**
 * How many of this process's descriptors are open on files under `dir` (Linux's /proc), once the
 * closes under way have landed. Only those: the test runner, the TypeScript loader and other threads
 * open and close descriptors of their own at any time, which made a count of them all flake.
 */
export async function openFilesUnder(dir: string): Promise<number> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  const under = `${realpathSync(dir)}/`;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(under)) count += 1;
    } catch {
      // Closed between the listing and the look: not open.
    }
  }
  return count;
}
