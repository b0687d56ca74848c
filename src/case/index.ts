// The case stage's public face: the store, its types, and the text views the CLI prints.

export { openStore, storeTarget, DEFAULT_WORKSPACE, DB_FILE } from './store.js';
export type { CaseStore, OpenOptions } from './store.js';
export type { CaseContext } from './scan-context.js';
export { SCHEMA_VERSION } from './db/migrations.js';
export { CaseError } from './errors.js';
export { pendingObligationChanges } from './obligations.js';
export * from './types.js';
export * from './render-text.js';
export { safeJson, safeText } from '../core/terminal-text.js';
