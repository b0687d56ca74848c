import type { Command } from 'commander';
import type { SetExit } from './exit-codes.js';
import { registerCase } from './case.js';
import { registerDemo } from './demo.js';
import { registerRules } from './rules.js';
import { registerScan } from './scan.js';
import { registerTimeline } from './timeline.js';
import { registerExposure } from './exposure.js';
import { registerAssess } from './assess.js';
import { registerObligations } from './obligations.js';
import { registerReport } from './report.js';
import { registerFile } from './file.js';
import { registerCredentials } from './credentials.js';
import { registerPhishing } from './phishing.js';
import { registerCollectScript } from './collect-script.js';
import { registerQueue } from './queue.js';
import { registerServe } from './serve.js';

/** One line per command; each command lives in its own file beside this one. */
export function registerCommands(program: Command, setExit: SetExit): void {
  registerScan(program, setExit);
  registerTimeline(program, setExit);
  registerRules(program, setExit);
  registerDemo(program, setExit);
  registerCase(program, setExit);
  registerExposure(program, setExit);
  registerAssess(program, setExit);
  registerObligations(program, setExit);
  registerReport(program, setExit);
  registerFile(program, setExit);
  registerCredentials(program, setExit);
  registerPhishing(program, setExit);
  registerCollectScript(program, setExit);
  registerQueue(program, setExit);
  registerServe(program, setExit);
}
