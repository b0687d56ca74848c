import { createRequire } from 'node:module';

type Yauzl = typeof import('yauzl');

let loaded: Yauzl | undefined;

/**
 * The zip reader, loaded when an archive is first opened, with `require`. Imported as an ES module
 * by every scan, zip or none, it cost each thread about 45 ms of CPU: Node's loader reads a CommonJS
 * package's source through its lexer to find its exports, and yauzl's 43 KB kept that lexer running
 * long enough for V8 to compile it with its optimising compiler (issue #17).
 */
export function yauzl(): Yauzl {
  loaded ??= createRequire(import.meta.url)('yauzl') as Yauzl;
  return loaded;
}
