// Mutation testing (`npm run mutate`, not part of CI): does a deliberate small change to the code
// that decides verdicts, clocks and integrity make a test fail? One area at a time, with only the
// tests beside that area, because each mutant reruns them:
//   npm run mutate                       every area below, one after the other's tests (slow)
//   MUTATE=time npm run mutate           one area by name (MUTATE=sigma,clocks for several)
// Scores and surviving mutants are printed and written to reports/mutation/.

const AREAS = {
  // The Sigma engine; the shipped rules' conditions are data, pinned by their samples (rule-samples).
  sigma: { mutate: ['src/detect/sigma/**/*.ts'], tests: ['src/detect/sigma/*.test.ts', 'src/detect/rule-samples.test.ts'] },
  correlate: { mutate: ['src/correlate/**/*.ts'], tests: ['src/correlate/*.test.ts', 'src/scan/attack-story.test.ts', 'src/scan/run.test.ts'] },
  time: { mutate: ['src/regulatory/time.ts', 'src/core/zoned-time.ts'], tests: ['src/regulatory/time.test.ts', 'src/core/zoned-time.test.ts'] },
  clocks: { mutate: ['src/regulatory/clocks.ts'], tests: ['src/regulatory/*.test.ts'] },
  audit: { mutate: ['src/case/audit.ts', 'src/case/canonical-json.ts', 'src/case/scans.ts'], tests: ['src/case/store.test.ts'] },
  evidence: { mutate: ['src/evidence/**/*.ts'], tests: ['src/evidence/*.test.ts'] },
};

const chosen = process.env.MUTATE ? process.env.MUTATE.split(',') : Object.keys(AREAS);
const unknown = chosen.filter((a) => !(a in AREAS));
if (unknown.length) throw new Error(`MUTATE names no area: ${unknown.join(', ')}; the areas are ${Object.keys(AREAS).join(', ')}`);
const areas = chosen.map((a) => AREAS[a]);

export default {
  testRunner: 'command',
  commandRunner: { command: `node --import tsx --test ${areas.flatMap((a) => a.tests).join(' ')}` },
  // The command runner cannot tell which test covers which mutant: every mutant runs the area's tests.
  coverageAnalysis: 'off',
  mutate: [...areas.flatMap((a) => a.mutate), '!**/*.test.ts', '!**/test-helpers/**', '!**/test-support/**'],
  ignorePatterns: ['dist', 'reports', '.stryker-tmp', 'bench'],
  // Two cores shared with other work: one mutant at a time.
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress-append-only', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
};
