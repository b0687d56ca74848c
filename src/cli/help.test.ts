import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerCommands } from './commands.js';

/** Every command under `exir`, groups and their subcommands alike, with its full name. */
function walk(cmd: Command, path: string[] = []): { name: string; cmd: Command }[] {
  return cmd.commands.flatMap((sub) => {
    const here = [...path, sub.name()];
    return [{ name: here.join(' '), cmd: sub }, ...walk(sub, here)];
  });
}

/** What `exir NAME --help` prints, including the text added after the options. */
function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({
    writeOut: (s) => {
      text += s;
    },
    writeErr: (s) => {
      text += s;
    },
  });
  cmd.outputHelp();
  return text;
}

test('every command and subcommand has examples of itself and its exit codes in --help', () => {
  const program = new Command('exir');
  registerCommands(program, () => undefined);
  const all = walk(program);
  assert.ok(all.length >= 20, `expected the whole command tree, found ${all.length} commands`);
  const missing: string[] = [];
  for (const { name, cmd } of all) {
    const help = helpOf(cmd);
    const examples = /\nExamples?:\n((?: {2}.*\n)+)/.exec(help)?.[1] ?? '';
    if (!examples.split('\n').some((line) => line.startsWith(`  exir ${name}`))) missing.push(`${name}: no example of "exir ${name}"`);
    if (!/\nExit codes: .*\b0\b.*\b2\b/.test(help)) missing.push(`${name}: no exit codes`);
  }
  assert.deepEqual(missing, []);
});
