import type { Command } from 'commander';
import type { SetExit } from './exit-codes.js';

/** One line per command; each command lives in its own file beside this one. */
export function registerCommands(_program: Command, _setExit: SetExit): void {
}
