// The exposure stage's public surface: build table, evaluation, inputs, probe, history, renderers.

export { compareBuilds, formatBuild, formatLong, parseAdminDisplayVersion, parseDotted, type ExchangeBuild, type Precision } from './version.js';
export {
  DEFAULT_TABLE,
  loadTable,
  productOf,
  levelOf,
  newestBuild,
  tableAgeDays,
  TableError,
  type BuildEntry,
  type CveInfo,
  type ExposureTable,
  type ProductInfo,
  type UpdateInfo,
  type Wave,
} from './table.js';
export {
  assessBuild,
  exposedToKnownExploited,
  notAKnownBuild,
  openExposures,
  wavesFor,
  type BuildAssessment,
  type CveExposure,
  type CveStatus,
  type FixAdvice,
  type WaveExposure,
} from './evaluate.js';
export { readBuildArgument, readBuildInput, readBuildValue, readingCaveat, type BuildReading, type ReadingKind, type ReadResult } from './inputs.js';
export { probe, probeTarget, CVE_2021_26855_COOKIE, type ProbeOptions, type ProbeReading, type ProbeResult } from './probe.js';
export {
  buildObservations,
  exposureWindows,
  type BuildObservationRecord,
  type BuildSegment,
  type ExposureInterval,
  type ObservationResult,
  type ServerBuildHistory,
  type WaveHistory,
} from './history.js';
export { historiesFromLogs } from './log-histories.js';
export { mergeMicrosoftPage, parseMicrosoftPage, serializeBuilds, type MergeResult } from './ms-page.js';
export {
  anyKnownExploitedExposure,
  assessReadings,
  exposureReport,
  probeReading,
  summarizeTable,
  type ExposureReport,
  type ServerExposure,
  type ServerHistoryReport,
  type TableSummary,
} from './assess.js';
export {
  applySettings,
  DEFAULT_SETTINGS,
  factsFor,
  loadSettings,
  readSettingsInput,
  sameServer,
  type SettingFact,
  type SettingInfo,
  type SettingsFile,
} from './settings.js';
export { compareCssDictionary, looksLikeCssDictionary, readCssDictionary } from './css-dictionary.js';
export { compareCveRecords, looksLikeCveRecords, readCveRecords, type RecordChange, type RecordFix, type RecordReading } from './cve-records.js';
export { compareKev, looksLikeKevCatalogue, readKevCatalogue } from './kev.js';
export { renderConsole, renderCsv, renderJson } from './render.js';
