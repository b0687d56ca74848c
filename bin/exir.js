#!/usr/bin/env node
import { main } from '../dist/bundle/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`exir: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
