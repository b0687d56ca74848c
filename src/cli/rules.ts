import { Command } from 'commander';
import { pc } from '../core/colour.js';
import { safeText } from '../core/terminal-text.js';
import { MAPPINGS_DIR, SHIPPED_SIGMA_DIR } from '../detect/rules-dirs.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

export function registerRules(program: Command, setExit: SetExit): void {
  const rules = withExamples(
    program.command('rules').description('Check detection rules: their samples and their syntax.'),
    ['exir rules test', 'exir rules lint ./my-rules'],
    '0 every rule passes, 1 a rule failed its samples or did not load, 2 error.',
  );

  withExamples(
    rules.command('test'),
    ['exir rules test', 'exir rules test ./my-rules --json'],
    '0 every rule matches its samples and misses its near misses, 1 a check failed, 2 error.',
  )
    .description('Run every rule against the must-match and near-miss samples beside it.')
    .argument('[dir]', 'rules folder', SHIPPED_SIGMA_DIR)
    .option('--json', 'print the checks as JSON')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const { checkRuleSamples } = await import('../detect/rule-samples.js');
      const checks = await checkRuleSamples(dir);
      const failed = checks.filter((c) => !c.ok);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
      } else {
        for (const c of checks) {
          const mark = c.ok ? pc.green('ok  ') : pc.red('FAIL');
          process.stdout.write(`${mark} ${safeText(c.rule)}${c.sample ? ` · ${safeText(c.sample)}` : ''}: ${safeText(c.message)}\n`);
        }
        process.stdout.write(`${checks.length - failed.length} passed, ${failed.length} failed\n`);
      }
      setExit(failed.length ? EXIT.FINDINGS : EXIT.CLEAN);
    });

  withExamples(
    rules.command('lint'),
    ['exir rules lint', 'exir rules lint rules/sigma ./my-rules --json'],
    '0 every rule loaded, 1 a rule did not load (file and position shown), 2 error.',
  )
    .description('Load every rule and report the broken ones with file and position.')
    .argument('[dirs...]', 'rules folders', [SHIPPED_SIGMA_DIR])
    .option('--json', 'print the problems as JSON')
    .action(async (dirs: string[], flags: { json?: boolean }) => {
      const [{ loadMappings }, { loadRuleset }] = await Promise.all([import('../detect/mapping.js'), import('../detect/ruleset.js')]);
      const set = await loadRuleset(dirs, await loadMappings(MAPPINGS_DIR));
      const unreached = set.rules.filter((r) => r.sources.length === 0);
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ loaded: set.rules.length, errors: set.errors, unreached: unreached.map((r) => ({ id: r.id, file: r.file, logsource: r.compiled.rule.logsource })) }, null, 2)}\n`,
        );
      } else {
        for (const e of set.errors) {
          const at = [e.file, e.line, e.column].filter((x) => x !== undefined).join(':');
          process.stdout.write(`${pc.red('error')} ${safeText(at)}: ${safeText(e.message)}\n`);
        }
        for (const r of unreached) {
          process.stdout.write(
            `${pc.yellow('note')} ${safeText(r.file)}: logsource ${safeText(JSON.stringify(r.compiled.rule.logsource))} reaches no log exir reads\n`,
          );
        }
        process.stdout.write(`${set.rules.length} rule(s) loaded, ${set.errors.length} not loaded\n`);
      }
      setExit(set.errors.length ? EXIT.FINDINGS : EXIT.CLEAN);
    });
}
