import { join } from 'node:path';
import { Detector } from '../detect/detector.js';
import { loadFileChecker, type FileChecker, type FileCheckerOptions } from '../detect/files/index.js';
import { loadMappings, type Mappings } from '../detect/mapping.js';
import { MAPPINGS_DIR, loadRuleset, SHIPPED_SIGMA_DIR, type Ruleset } from '../detect/ruleset.js';

/** What a scan needs loaded once per thread: the rules, compiled, and the detector over them. */
export interface Engine {
  ruleset: Ruleset;
  detector: Detector;
  mappings: Mappings;
  /** The file checker for these options, loaded once per thread (YARA rules compile once). */
  fileChecker(options: FileCheckerOptions): Promise<FileChecker>;
}

export interface EngineOptions {
  /** Extra folders of Sigma rules, added to the shipped ones. */
  sigmaDirs?: string[];
  /** Leave the shipped rules out (rule tests load one rule folder alone). */
  noShippedRules?: boolean;
  mappingFile?: string;
}

export async function loadEngine(options: EngineOptions = {}): Promise<Engine> {
  const mappings = await loadMappings(options.mappingFile ?? MAPPINGS_DIR);
  const dirs = [...(options.noShippedRules ? [] : [SHIPPED_SIGMA_DIR]), ...(options.sigmaDirs ?? []).map((d) => join(d))];
  const ruleset = await loadRuleset(dirs, mappings);
  const checkers = new Map<string, Promise<FileChecker>>();
  return {
    ruleset,
    detector: new Detector(ruleset, mappings),
    mappings,
    fileChecker(checkerOptions) {
      const key = JSON.stringify(checkerOptions);
      let checker = checkers.get(key);
      if (!checker) {
        checker = loadFileChecker(checkerOptions).then((loaded) => loaded.checker);
        checkers.set(key, checker);
      }
      return checker;
    },
  };
}
