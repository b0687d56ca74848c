#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/bundle/main.js';

// V8 starts allocating an object literal's objects in the old generation once most of them
// survive (the findings and context records a scan keeps), and throws away the optimised code
// that allocates them: on the bench's .evtx the detector was compiled a second time for that,
// 0.11 s of a compiler thread's CPU, the scan 0.05-0.06 s of CPU in all (README, ".evtx, fifth
// pass"). Kept young, they are copied once more when promoted instead. Set before any scan runs.
setFlagsFromString('--no-allocation-site-pretenuring');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`exir: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
