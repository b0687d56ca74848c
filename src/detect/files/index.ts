// Files in the web and staging folders, as evidence: known-good baseline, indicator lists, YARA,
// credential dumps and staged archives. `exir scan` calls loadFileChecker once, then check() for
// each file that is not a log (and inScope() to decide which are worth reading).
export { DEFAULT_MAX_YARA_BYTES, loadFileChecker } from './checker.js';
export { inScope, placeOf, urlPathOf, type Place, type PlaceKind } from './paths.js';
export type { FileChecker, FileCheckerOptions, FileFacts, TimeWindow } from './types.js';
