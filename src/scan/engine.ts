import { join } from 'node:path';
import { Detector } from '../detect/detector.js';
import { loadMappings, type Mappings } from '../detect/mapping.js';
import { MAPPINGS_DIR, loadRuleset, SHIPPED_SIGMA_DIR, type Ruleset } from '../detect/ruleset.js';

/** What a scan needs loaded once per thread: the rules, compiled, and the detector over them. */
export interface Engine {
  ruleset: Ruleset;
  detector: Detector;
  mappings: Mappings;
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
  return { ruleset, detector: new Detector(ruleset, mappings), mappings };
}
