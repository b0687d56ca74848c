import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the shipped detection content lives, apart from the loader: the command line shows these
// as defaults in its help before any rule is read.

/** The project's shipped detection content. */
export const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
export const SHIPPED_SIGMA_DIR = join(RULES_DIR, 'sigma');
export const MAPPINGS_DIR = join(RULES_DIR, 'mappings');
