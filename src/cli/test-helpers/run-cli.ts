// `exir` run as a user runs it, in a child process of its own (the CLI writes to the process's own
// stdout and stderr and sets its exit code), from the TypeScript sources.
import { execFile } from 'node:child_process';

/** The CLI's entry module, for a script that wraps its main. */
export const MAIN = new URL('../main.ts', import.meta.url).href;

/** The script a child node runs: the CLI's main with the child's arguments, its answer the exit code. */
export const RUN_MAIN = `import(${JSON.stringify(MAIN)}).then((m) => m.main(process.argv)).then((code) => { process.exitCode = code; })`;

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `script` (RUN_MAIN, or a variant of it) as `exir ARGS…` and collects what it says. */
export function runScript(script: string, ...args: string[]): Promise<CliRun> {
  return run(script, process.env, args);
}

/** Runs `exir ARGS…` with these environment variables added. */
export function runExirWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  return run(RUN_MAIN, { ...process.env, ...env }, args);
}

function run(script: string, env: NodeJS.ProcessEnv, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '-e', script, 'exir', ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) reject(error ?? new Error('no exit code'));
      else resolve({ code, out, err });
    });
  });
}

/** Runs `exir ARGS…` and collects what it says. */
export function runExir(...args: string[]): Promise<CliRun> {
  return runScript(RUN_MAIN, ...args);
}
