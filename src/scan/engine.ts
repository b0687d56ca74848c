import { join } from 'node:path';
import type { Warning } from '../core/types.js';
import { Detector } from '../detect/detector.js';
import type { FileChecker, FileCheckerOptions } from '../detect/files/index.js';
import { loadMappings, type Mappings } from '../detect/mapping.js';
import { MAPPINGS_DIR, loadRuleset, SHIPPED_SIGMA_DIR, type Ruleset } from '../detect/ruleset.js';

/** What a scan needs loaded once per thread: the rules, compiled, and the detector over them. */
export interface Engine {
  ruleset: Ruleset;
  detector: Detector;
  mappings: Mappings;
  /** The file checker for these options, loaded once per thread (YARA rules compile once). */
  fileChecker(options: FileCheckerOptions): Promise<FileChecker>;
  /** What loading that checker had to say (a rule or list that could not be read). */
  fileCheckerWarnings(options: FileCheckerOptions): Promise<Warning[]>;
  /**
   * Lets the checkers go once the files that are not logs are checked: the baseline's tables and
   * the compiled YARA rules were about 16 MB of live heap kept through the follow pass and the
   * report, which V8 let grow two to three times over (README, "Rows kept as columns").
   */
  releaseFileCheckers(): void;
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
  const checkers = new Map<string, Promise<{ checker: FileChecker; warnings: Warning[] }>>();
  const load = (checkerOptions: FileCheckerOptions): Promise<{ checker: FileChecker; warnings: Warning[] }> => {
    const key = JSON.stringify(checkerOptions);
    let loaded = checkers.get(key);
    if (!loaded) {
      // Loaded on the first file that is not a log: it brings the native YARA engine, which a scan of logs never needs.
      loaded = import('../detect/files/index.js').then(({ loadFileChecker }) => loadFileChecker(checkerOptions));
      checkers.set(key, loaded);
    }
    return loaded;
  };
  return {
    ruleset,
    detector: new Detector(ruleset, mappings),
    mappings,
    fileChecker: async (checkerOptions) => (await load(checkerOptions)).checker,
    fileCheckerWarnings: async (checkerOptions) => (await load(checkerOptions)).warnings,
    releaseFileCheckers: () => checkers.clear(),
  };
}
