// `exir serve`: the case dashboard in a browser, over the same case store as the CLI. Loopback by
// default with a one-time token link; --bind for a team only with a token file or a users file.

import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { tzOption } from './tz-option.js';
import { given } from './given.js';
import { safeText } from '../core/terminal-text.js';
import { withExamples } from './help.js';
import { EXIT, type SetExit } from './exit-codes.js';

interface ServeFlags {
  port: number;
  bind: string;
  tokenFile?: string;
  users?: string;
  db?: string;
  workspace?: string;
  firm?: string;
  actor?: string;
  tz: string;
  uploads?: string;
  secureCookie?: boolean;
  hashPassword?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number, 0-65535');
  return n;
}

function whoAmI(actor: string | undefined): string {
  const given = actor?.trim() || process.env.EXIR_ACTOR?.trim();
  if (given) return given;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerServe(program: Command, setExit: SetExit): void {
  withExamples(
    program.command('serve'),
    [
      'exir serve',
      'exir serve --port 8400 --db postgres://127.0.0.1/exir',
      'exir serve --bind 0.0.0.0 --users users.yaml --secure-cookie',
      'exir serve --hash-password < password.txt',
    ],
    '0 stopped cleanly, 2 error (bad arguments, --bind without --token-file or --users, a store that cannot be opened).',
  )
    .description('The case dashboard in a browser: verdicts, timeline, sessions, mailboxes, clocks, playbook, decisions, filings and packs.')
    .option('--port <n>', 'port to listen on (0: any free port)', port, 8400)
    .option('--bind <address>', 'address to listen on; anything but loopback needs --token-file or --users', '127.0.0.1')
    .option('--token-file <file>', 'a file holding the access token (at least 32 characters) instead of a random one')
    .option('--users <file>', 'a YAML users file (name, role, bcrypt password hash, optional firm): people sign in')
    .option('--hash-password', 'read a password on stdin, print its bcrypt hash for the users file, and exit')
    .option('--db <url>', "postgres://… for a shared store, or sqlite:FILE (default: env EXIR_DB, else the workspace's SQLite file)")
    .option('--workspace <dir>', 'where the SQLite store lives (default: env EXIR_WORKSPACE, else ./.exir)')
    .option('--firm <slug>', "show only this firm's cases (default: env EXIR_FIRM)")
    .option('--actor <name>', 'with the token link: whose name changes are audited under (default: env EXIR_ACTOR, else the login name)')
    .option('--uploads <dir>', 'where documents uploaded with filings are kept (default: WORKSPACE/uploads)')
    .option('--secure-cookie', 'mark the session cookie Secure (when TLS is terminated in front)')
    .addOption(tzOption('time zone to show times in (IANA name)'))
    .action(async (flags: ServeFlags) => {
      const fail = (message: string): void => {
        process.stderr.write(`exir serve: ${safeText(message)}\n`);
        setExit(EXIT.ERROR);
      };
      const web = await import('../web/index.js');
      if (flags.hashPassword) {
        const password = await readStdin();
        if (password.length < 12) return fail('a password needs at least 12 characters');
        process.stdout.write(`${await web.hashPassword(password)}\n`);
        return;
      }
      if (!web.isLoopback(flags.bind) && !flags.tokenFile && !flags.users) {
        return fail(`--bind ${flags.bind} would open the cases to the network: give --token-file or --users as well (and put TLS in front)`);
      }
      if (flags.tokenFile && flags.users) return fail('give --token-file or --users, not both');
      const { openStore } = await import('../case/index.js');
      const firm = flags.firm ?? (process.env.EXIR_FIRM?.trim() || undefined);
      let auth: import('../web/index.js').WebAuth;
      let token: string | undefined;
      try {
        if (flags.users) {
          auth = { kind: 'users', users: await web.Users.load(flags.users) };
        } else {
          token = flags.tokenFile ? (await readFile(flags.tokenFile, 'utf8')).trim() : web.randomToken();
          if (token.length < 32) return fail(`the token in ${flags.tokenFile ?? ''} is shorter than 32 characters`);
          auth = { kind: 'token', token, user: { name: whoAmI(flags.actor), role: 'responder', firm } };
        }
        // The store is opened once up front so a wrong --db fails here, not on the first page.
        const probe = await openStore(flags.db, given({ workspace: flags.workspace }));
        const location = probe.location;
        await probe.close();
        const workspace = resolve(flags.workspace ?? (process.env.EXIR_WORKSPACE?.trim() || '.exir'));
        const serving = await web.startServer({
          port: flags.port,
          bind: flags.bind,
          tz: flags.tz,
          auth,
          uploads: resolve(flags.uploads ?? join(workspace, 'uploads')),
          secureCookie: flags.secureCookie === true,
          log: (line) => process.stderr.write(`${line}\n`),
          openStore: (user) => openStore(flags.db, { actor: user.name, ...given({ workspace: flags.workspace, firm: user.firm ?? firm }) }),
        });
        process.stderr.write(`exir serve: cases from ${location}; stop with Ctrl-C\n`);
        process.stdout.write(token && !flags.tokenFile ? `${serving.url}?token=${token}\n` : `${serving.url}\n`);
        await new Promise<void>((done) => {
          const stop = (): void => {
            void serving.close().then(done);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
      }
    });
}
