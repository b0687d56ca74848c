import type { Command } from 'commander';

/**
 * The end of a command's `--help`: examples a user can copy, then what each exit code means, in
 * the same layout everywhere (a test walks every command and checks both are there).
 */
export function withExamples(cmd: Command, examples: string[], exitCodes: string): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n\nExit codes: ${exitCodes}\n`);
}

/** The exit codes of a command that finds nothing: it did what was asked, or it could not. */
export const EXIT_DONE_OR_ERROR = '0 done, 2 error (bad arguments, an unknown case, a store that cannot be opened).';
