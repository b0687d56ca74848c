// exir's native addon (native/exir_scan.c, built by node-gyp at `npm install`), loaded once on first
// use by whichever stage needs it: the byte search (sources/bytes/native.ts) and the read buffers
// (evidence/aligned.ts). The build is optional: when it failed, or EXIR_NATIVE=0 asks for none,
// each user takes its JavaScript path, with the same results.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Where node-gyp puts the addon, the same from src/ (tests) and dist/ (the built CLI). */
const ADDON = fileURLToPath(new URL('../../build/Release/exir_scan.node', import.meta.url));

/** The addon's exports and the file they came from, or no exports and why not (for diagnostics). */
type Loaded = { addon: Readonly<Record<string, unknown>>; from: string } | { addon: undefined; why: string };

let loaded: Loaded | undefined;

/** The addon, loaded on the first call. */
export function nativeAddon(): Loaded {
  if (loaded) return loaded;
  if (process.env.EXIR_NATIVE === '0') {
    loaded = { addon: undefined, why: 'EXIR_NATIVE=0' };
    return loaded;
  }
  try {
    loaded = { addon: createRequire(import.meta.url)(ADDON) as Record<string, unknown>, from: ADDON };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    loaded = { addon: undefined, why: `the native addon did not load: ${why}; \`npm install\` builds it` };
  }
  return loaded;
}

/** One function of the addon, or undefined without the addon or where it was built without that function. */
export function addonFunction<F>(name: string): F | undefined {
  const fn = nativeAddon().addon?.[name];
  return typeof fn === 'function' ? (fn as F) : undefined;
}
