// The compact known-good file list kept in data/baselines/: which web files Microsoft shipped in
// each build, with their SHA-256. Written by make-baseline.ts, read by baseline.ts.

export const BASELINE_FILE = 'exchange-web-files.json.gz';

/** File kinds compared with the baseline: the ones IIS runs (aspx, ashx, asmx, asax) and the scripts pages load (js). */
export const BASELINE_EXTENSIONS = ['aspx', 'ashx', 'asmx', 'asax', 'js'] as const;

export interface BaselineSource {
  name: string;
  repo: string;
  /** Path in the repository, with `<build>` for the build number. */
  path: string;
  commit: string;
  licence: string;
  url: string;
  /** Day the copy used here was taken (YYYY-MM-DD). */
  retrieved: string;
  note: string;
}

export interface BaselineData {
  about: string;
  source: BaselineSource;
  /** Day this extract was made (YYYY-MM-DD). */
  extracted: string;
  /** What was kept, in words. */
  scope: string;
  builds: string[];
  /** `[path below the install root as the source writes it, sha256 lower-case hex, bit mask of builds]`. */
  files: [string, string, number][];
}
