export { readEvtx } from './read-evtx.js';
export type { EvtxDamage, EvtxStats, WinEvent } from './types.js';
