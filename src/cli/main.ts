import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.js';
import { tuneCompiler } from './compiler.js';
import { EXIT } from './exit-codes.js';

/** A reader that stops early (`exir scan --json - | head`) is not an error: stop quietly. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/**
 * A fault that escapes every handler (a library throwing from a callback) ends the run with exit 2:
 * Node's own default is 1, which a script reads as "findings".
 */
function crashIsAnError(): void {
  const crash = (err: unknown): void => {
    process.stderr.write(`exir: internal error, nothing below is a result: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.ERROR);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  tuneCompiler();
  crashIsAnError();
  quietOnClosedPipe(process.stdout);
  const program = new Command();
  // Answered before any command loads: the rules and data tables are read only for this.
  program.option('-V, --version', "print the version, the rules' version and the dates of the data tables");
  if (argv[2] === '--version' || argv[2] === '-V') {
    const { versions, renderVersions } = await import('../scan/versions.js');
    process.stdout.write(renderVersions(await versions()));
    return EXIT.CLEAN;
  }
  program
    .name('exir')
    .description('Exchange incident response: were we exposed, were we compromised, and what do we tell the regulators.')
    .showHelpAfterError()
    .exitOverride();
  const state = { code: EXIT.CLEAN as number };
  registerCommands(program, (code) => {
    state.code = Math.max(state.code, code);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? EXIT.CLEAN : EXIT.ERROR;
    }
    throw err;
  }
  return state.code;
}
