import { Command } from 'commander';
import { positiveInt } from './whole-numbers.js';
import { safeText } from '../core/terminal-text.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

interface QueueFlags {
  queue?: string;
  db?: string;
  concurrency?: number;
  lockMs?: number;
}

function endpoints(flags: QueueFlags, command: string): { redisUrl: string; dbUrl: string } | string {
  const redisUrl = flags.queue ?? process.env['EXIR_QUEUE'];
  const dbUrl = flags.db ?? process.env['EXIR_DB'];
  if (!redisUrl) return `exir ${command}: --queue redis://… (or EXIR_QUEUE) is needed`;
  if (!dbUrl?.startsWith('postgres')) return `exir ${command}: --db postgres://… (or EXIR_DB) is needed`;
  return { redisUrl, dbUrl };
}

export function registerQueue(program: Command, setExit: SetExit): void {
  program
    .command('worker')
    .description(
      'Take scan jobs from the queue and read them as `exir scan` does, storing each result in PostgreSQL. Run as many as wanted, on any machine that sees the evidence.',
    )
    .option('--queue <url>', 'the Redis queue (redis://…; default EXIR_QUEUE)')
    .option('--db <url>', 'PostgreSQL for the results (postgres://…; default EXIR_DB)')
    .option('--concurrency <n>', 'jobs in hand at once', positiveInt, 1)
    .option('--lock-ms <n>', 'how long a job stays with a worker that stops answering before another takes it', positiveInt, 30_000)
    .addHelpText(
      'after',
      '\nExamples:\n  exir worker --queue redis://127.0.0.1:6379 --db postgres://127.0.0.1/exir\n  EXIR_QUEUE=redis://10.0.0.5:6379 EXIR_DB=postgres://10.0.0.6/exir exir worker --concurrency 2\n' +
        '\nIt stops after the job in hand on SIGTERM or Ctrl-C.\nExit codes: 0 stopped cleanly, 2 error (no queue or database).',
    )
    .action(async (flags: QueueFlags) => {
      const where = endpoints(flags, 'worker');
      if (typeof where === 'string') {
        process.stderr.write(`${where}\n`);
        setExit(EXIT.ERROR);
        return;
      }
      const { startWorker } = await import('../scan/queue/worker.js');
      const worker = await startWorker({
        ...where,
        concurrency: flags.concurrency ?? 1,
        lockMs: flags.lockMs ?? 30_000,
        log: (line) => process.stderr.write(`${safeText(line)}\n`),
      });
      const stop = (): void => {
        void worker.stop();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      await worker.stopped;
      setExit(EXIT.CLEAN);
    });

  const queue = withExamples(
    program.command('queue').description('The scan queue: runs, jobs waiting, active and failed per firm, and the slowest files.'),
    ['exir queue status --queue redis://127.0.0.1:6379 --db postgres://127.0.0.1/exir'],
    '0 shown, 2 error (no queue or database).',
  );
  queue
    .command('status')
    .option('--queue <url>', 'the Redis queue (redis://…; default EXIR_QUEUE)')
    .option('--db <url>', 'PostgreSQL for the results (postgres://…; default EXIR_DB)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  exir queue status --queue redis://127.0.0.1:6379 --db postgres://127.0.0.1/exir\n\nExit codes: 0 shown, 2 error.')
    .action(async (flags: QueueFlags & { json?: boolean }) => {
      const where = endpoints(flags, 'queue status');
      if (typeof where === 'string') {
        process.stderr.write(`${where}\n`);
        setExit(EXIT.ERROR);
        return;
      }
      const { queueStatus, renderQueueStatus } = await import('../scan/queue/status.js');
      const status = await queueStatus(where.redisUrl, where.dbUrl);
      process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : renderQueueStatus(status));
      setExit(EXIT.CLEAN);
    });
}
