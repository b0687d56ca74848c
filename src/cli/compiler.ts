import { setFlagsFromString } from 'node:v8';

/**
 * How much bytecode V8's optimising compiler inlines into one compiled function, in all (V8's
 * default: 920 bytes). A scan's hot functions (the rule matching, the record readers, the file
 * loop) call many middle-sized ones: compiling them with as much inlined, and again after each
 * deoptimisation, was a quarter of a scan's CPU on Node 20 (perf, the bench's 1 GB bundle: 25% in
 * the compiler's threads), more than the code it made saved. With 300, the same scans took 5-10%
 * less CPU on Node 20 (1 GB, 4 GB, the attackers-everywhere bundle, the .evtx), the same within
 * the spread on Node 22 and 24, whose Maglev tier leaves less to this compiler (README, Speed).
 */
const INLINED_BYTECODE_IN_ALL = 300;

/**
 * Sets the compiler's budget for this process, its worker threads included: called first, before
 * any function is hot enough to be compiled.
 */
export function tuneCompiler(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_IN_ALL}`);
}
