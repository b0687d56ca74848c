// Runs regulatory commands in this process, as `exir` would, with their output captured and the
// clock fixed, so a test reads what a user would see and the exit code the process would end with.

import { Command } from 'commander';
import type { RegulatoryIo } from '../assess.js';
import type { SetExit } from '../exit-codes.js';

type Register = (program: Command, setExit: SetExit, io: RegulatoryIo) => void;

export async function runRegulatory(commands: Register[], args: string[], now: string): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  let code = 0;
  const io: RegulatoryIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    interactive: () => false,
    ask: () => Promise.resolve(''),
    now: () => now,
  };
  const program = new Command().exitOverride();
  for (const register of commands) {
    register(
      program,
      (c) => {
        code = Math.max(code, c);
      },
      io,
    );
  }
  await program.parseAsync(['node', 'exir', ...args]);
  return { out, err, code };
}
