// Mutation testing (`npm run mutate`, not part of CI): does a deliberate small change to the code
// that decides verdicts, clocks and integrity make a test fail? One area at a time, with only the
// tests beside that area, because each mutant reruns them:
//   npm run mutate                       every area below, one after the other's tests (slow)
//   MUTATE=time npm run mutate           one area by name (MUTATE=sigma,clocks for several)
// Scores and surviving mutants are printed and written to reports/mutation/.

const AREAS = {
  // The Sigma engine; the shipped rules' conditions are data, pinned by their samples (rule-samples).
  sigma: { mutate: ['src/detect/sigma/**/*.ts'], tests: ['src/detect/sigma/*.test.ts', 'src/detect/rule-samples.test.ts'] },
  // The part of the engine that decides matching: the modifiers read from a field's key, the
  // condition parser, and AND/OR/NOT/"n of" over selections. Its three test files run in one node
  // process (two preloaded with --import): a process start with tsx is most of each file's time, and
  // one process took 0.42 of the three's time here.
  'sigma-match': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/modifiers.ts', 'src/detect/sigma/condition.ts', 'src/detect/sigma/combine.ts'],
    tests: ['--import ./src/detect/sigma/modifiers.test.ts --import ./src/detect/sigma/condition.test.ts src/detect/sigma/detection.test.ts'],
  },
  // How one value is matched: CIDR networks, the Base64/UTF-16/windash variants, wildcard patterns
  // and the string tests; their own quick tests, then the modifiers and detection ones, in one process.
  'sigma-values': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/cidr.ts', 'src/detect/sigma/transforms.ts', 'src/detect/sigma/pattern.ts', 'src/detect/sigma/string-match.ts'],
    tests: [
      ['cidr.test.ts', 'transforms.test.ts', 'pattern.test.ts', 'string-match.test.ts', 'modifiers.test.ts']
        .map((f) => `--import ./src/detect/sigma/${f}`)
        .join(' ') + ' src/detect/sigma/detection.test.ts',
    ],
  },
  // sigma-values one file at a time: each file's own quick test first, then the modifiers test that
  // drives it through a rule's keys, in one process (sigma-cidr's run took 0.46 CPU s here against
  // sigma-values' 0.60, at load 25), and only that file's mutants.
  'sigma-cidr': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/cidr.ts'],
    tests: ['--import ./src/detect/sigma/cidr.test.ts src/detect/sigma/modifiers.test.ts'],
  },
  'sigma-pattern': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/pattern.ts'],
    tests: [
      ['pattern.test.ts', 'transforms.test.ts', 'string-match.test.ts'].map((f) => `--import ./src/detect/sigma/${f}`).join(' ') +
        ' src/detect/sigma/modifiers.test.ts',
    ],
  },
  'sigma-transforms': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/transforms.ts'],
    tests: ['--import ./src/detect/sigma/transforms.test.ts src/detect/sigma/modifiers.test.ts'],
  },
  // The pre-filter's literals: a wrong one drops a record the rule would match. Its own test (with the
  // random soundness check), then the detection tests; one after the other, as most mutants die in the first.
  'sigma-literals': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/literals.ts'],
    tests: ['src/detect/sigma/literals.test.ts', 'src/detect/sigma/detection.test.ts'],
  },
  // What decides a match after the modifiers: the detection block (selections, the condition over
  // them), one field item's values, and placeholders; the quick tests that compile rules, in one process.
  'sigma-detection': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/detection.ts', 'src/detect/sigma/field-item.ts', 'src/detect/sigma/placeholders.ts'],
    tests: [
      ['field-item.test.ts', 'placeholders.test.ts', 'rule-compile.test.ts', 'modifiers.test.ts', 'public-rules.test.ts', 'rule-file.test.ts']
        .map((f) => `--import ./src/detect/sigma/${f}`)
        .join(' ') + ' src/detect/sigma/detection.test.ts',
    ],
  },
  // One field item alone, with the tests that compile and match items (the rule-file suite, whose
  // errors' locations it adds, is left out: a third of each mutant's time here).
  'sigma-field-item': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/field-item.ts'],
    tests: [
      ['field-item.test.ts', 'modifiers.test.ts', 'public-rules.test.ts'].map((f) => `--import ./src/detect/sigma/${f}`).join(' ') +
        ' src/detect/sigma/detection.test.ts',
    ],
  },
  // How a rule file is read and refused: the YAML to plain data, its check when read back from a
  // cache, and the compile of a file's documents with their located errors.
  'sigma-rules': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/rule-read.ts', 'src/detect/sigma/rule-data.ts', 'src/detect/sigma/rule-compile.ts'],
    tests: [
      ['rule-data.test.ts', 'rule-read.test.ts', 'rule-compile.test.ts'].map((f) => `--import ./src/detect/sigma/${f}`).join(' ') +
        ' src/detect/sigma/rule-file.test.ts',
    ],
  },
  // What the pre-filter's record check asks of a record (need.ts): a wrong string drops a record a rule
  // matches. Its own test, then the scan's parity test of pre-filter against rules on every record.
  'sigma-need': {
    partOf: 'sigma',
    mutate: ['src/detect/sigma/need.ts'],
    tests: ['src/detect/sigma/need.test.ts', 'src/scan/prefilter-parity.test.ts'],
  },
  correlate: { mutate: ['src/correlate/**/*.ts'], tests: ['src/correlate/*.test.ts', 'src/scan/attack-story.test.ts', 'src/scan/run.test.ts'] },
  // The decisions of correlation one file at a time, each with only the unit tests that drive it
  // (a second apiece here, where the scan tests take a minute): a survivor costs one short run.
  'correlate-verdict': {
    partOf: 'correlate',
    mutate: ['src/correlate/verdict.ts'],
    tests: ['src/correlate/verdict-summary.test.ts', 'src/correlate/verdict.test.ts', 'src/correlate/spoken-time.test.ts'],
  },
  'correlate-sessions': {
    partOf: 'correlate',
    mutate: ['src/correlate/sessions.ts'],
    tests: ['src/correlate/sessions.test.ts', 'src/correlate/follow-keys.test.ts'],
  },
  'correlate-mailboxes': {
    partOf: 'correlate',
    mutate: ['src/correlate/mailboxes.ts'],
    tests: ['src/correlate/mailbox-touches.test.ts', 'src/correlate/mailboxes.test.ts'],
  },
  'correlate-request-caps': { partOf: 'correlate', mutate: ['src/correlate/request-caps.ts'], tests: ['src/correlate/request-caps.test.ts'] },
  'correlate-coverage': { partOf: 'correlate', mutate: ['src/correlate/coverage.ts'], tests: ['src/correlate/coverage.test.ts'] },
  'correlate-web-shells': { partOf: 'correlate', mutate: ['src/correlate/web-shells.ts'], tests: ['src/correlate/web-shells.test.ts'] },
  'correlate-cve-dates': { partOf: 'correlate', mutate: ['src/correlate/cve-dates.ts'], tests: ['src/correlate/cve-dates.test.ts'] },
  'correlate-after-write': { partOf: 'correlate', mutate: ['src/correlate/after-write.ts'], tests: ['src/correlate/after-write.test.ts'] },
  'correlate-exchange-host': { partOf: 'correlate', mutate: ['src/correlate/exchange-host.ts'], tests: ['src/correlate/exchange-host.test.ts'] },
  'correlate-timeline': { partOf: 'correlate', mutate: ['src/correlate/timeline.ts'], tests: ['src/correlate/timeline.test.ts'] },
  time: { mutate: ['src/regulatory/time.ts', 'src/core/zoned-time.ts'], tests: ['src/regulatory/time.test.ts', 'src/core/zoned-time.test.ts'] },
  clocks: { mutate: ['src/regulatory/clocks.ts'], tests: ['src/regulatory/clocks.test.ts', 'src/regulatory/obligations.test.ts'] },
  // The chain's own quick test first, then the store suite narrowed to its audit-chain block, on
  // SQLite only: the PostgreSQL half doubled each mutant's time (20 of 40 s here) and runs the same
  // chain and seal code (neither driver hands back a bigint, the one engine-dependent branch).
  audit: {
    mutate: ['src/case/audit.ts', 'src/case/canonical-json.ts', 'src/case/seal.ts'],
    env: 'EXIR_TEST_PG=postgres://postgres@127.0.0.1:1/none',
    tests: ['src/case/audit.test.ts', "--test-name-pattern='audit chain' src/case/store.test.ts", 'src/case/canonical-json.test.ts'],
  },
  // The zip reader's name handling and limits alone, with the two test files that read archives.
  'evidence-zip': {
    partOf: 'evidence',
    mutate: ['src/evidence/zip.ts'],
    tests: ['src/evidence/zip.test.ts', 'src/evidence/bundle.test.ts'],
  },
  // The rest of the evidence area one file or pair at a time, each with only its own quick tests
  // (under a second apiece, where the five files together took about 70 s a mutant under load).
  // The archive's byte reader and the default limits: its own test, then the zip reader's, in one process.
  'evidence-reader': {
    partOf: 'evidence',
    mutate: ['src/evidence/zip-file-reader.ts', 'src/evidence/zip-limits.ts'],
    tests: ['--import ./src/evidence/zip-file-reader.test.ts src/evidence/zip.test.ts'],
  },
  'evidence-open': { partOf: 'evidence', mutate: ['src/evidence/open.ts'], tests: ['src/evidence/open.test.ts'] },
  // UTF-16 recognition and decoding, and the UTF-8 check: two small test files in one process.
  'evidence-text': {
    partOf: 'evidence',
    mutate: ['src/evidence/utf16.ts', 'src/evidence/utf8-check.ts'],
    tests: ['--import ./src/evidence/utf16.test.ts src/evidence/utf8-check.test.ts'],
  },
  // The layout and warnings test first, then the walk's own (a child with few file handles, a deep path).
  'evidence-bundle': {
    partOf: 'evidence',
    mutate: ['src/evidence/bundle.ts'],
    tests: ['--import ./src/evidence/bundle-layout.test.ts src/evidence/bundle.test.ts'],
  },
  // Zip names, UTF-16, opening and the bundle layout; the collector's script and manifest have their own tests.
  evidence: {
    mutate: ['src/evidence/*.ts'],
    tests: [
      'src/evidence/utf16.test.ts',
      'src/evidence/utf8-check.test.ts',
      'src/evidence/open.test.ts',
      'src/evidence/zip-file-reader.test.ts',
      'src/evidence/zip.test.ts',
      'src/evidence/bundle-layout.test.ts',
      'src/evidence/bundle.test.ts',
    ],
  },
};

// A narrowed area (`partOf`) is run only when named: the whole run already covers it.
const chosen = process.env.MUTATE ? process.env.MUTATE.split(',') : Object.keys(AREAS).filter((a) => !AREAS[a].partOf);
const unknown = chosen.filter((a) => !(a in AREAS));
if (unknown.length) throw new Error(`MUTATE names no area: ${unknown.join(', ')}; the areas are ${Object.keys(AREAS).join(', ')}`);
const areas = chosen.map((a) => AREAS[a]);

// Each test file runs as a plain node script (node:test sets exit code 1 on a failure), without the
// `--test` parent process, and the first failing file ends the run: a killed mutant costs one file.
// A test entry is a file, a glob (expanded by the shell), or node options followed by a file.
// An area's `env` (VAR=value) is set for its own tests only.
const runOne = (t, env = '') =>
  t.includes('*') ? `for f in ${t}; do ${env} node --import tsx "$f" >/dev/null || exit 1; done` : `${env} node --import tsx ${t} >/dev/null`;
const command = areas.flatMap((a) => a.tests.map((t) => runOne(t, a.env))).join(' && ');

export default {
  testRunner: 'command',
  commandRunner: { command },
  // The command runner cannot tell which test covers which mutant: every mutant runs the area's tests.
  coverageAnalysis: 'off',
  mutate: [...areas.flatMap((a) => a.mutate), '!**/*.test.ts', '!**/test-helpers/**', '!**/test-support/**'],
  ignorePatterns: ['dist', 'reports', '.stryker-tmp', 'bench'],
  // Two cores shared with other work: one mutant at a time.
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress-append-only', 'html'],
  // One report per area run, so areas run side by side do not overwrite each other's.
  htmlReporter: { fileName: `reports/mutation/${chosen.join('-')}.html` },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
};
