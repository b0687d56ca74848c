import { STAGES, type Finding, type Severity, type Stage } from '../../core/types.js';
import type { Place } from './paths.js';
import type { FileFacts } from './types.js';

export interface FileFindingSpec {
  ruleId: string;
  title: string;
  cves?: string[];
  stage: Stage;
  severity: Severity;
  /** Byte offset of what was matched, and its line; the file's start (line 1, byte 0) for facts about the whole file. */
  offset?: number;
  line?: number;
  fields?: Record<string, string>;
  /** Listed, not raised: why. */
  benign?: string;
}

/** The fields every file finding carries, so a reader can find and verify the file. */
function fileFields(file: FileFacts, place: Place): Record<string, string> {
  return {
    path: file.path,
    sha256: file.sha256,
    size: String(file.size),
    ...(file.modified ? { modified: file.modified } : {}),
    folder: place.kind,
  };
}

export function fileFinding(file: FileFacts, place: Place, spec: FileFindingSpec): Finding {
  return {
    ruleId: spec.ruleId,
    title: spec.title,
    cves: spec.cves ?? [],
    // Harmless files are kept and shown, never counted: the same convention as the log classifiers.
    stage: spec.benign ? 'probe' : spec.stage,
    severity: spec.benign ? 'informational' : spec.severity,
    time: file.modified,
    server: file.server ?? 'unknown',
    clientIp: undefined,
    user: undefined,
    origin: file.origin ?? { path: file.path, line: spec.line ?? 1, offset: spec.offset ?? 0 },
    fields: { ...fileFields(file, place), ...(spec.fields ?? {}) },
    ...(spec.benign ? { benign: spec.benign } : {}),
  };
}

/** A file that only sits on disk, where no web server runs it, shows it was written, not used. */
export function capStage(stage: Stage, cap: Stage): Stage {
  return STAGES.indexOf(stage) > STAGES.indexOf(cap) ? cap : stage;
}
