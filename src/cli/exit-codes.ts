/** The exit codes every command uses. */
export const EXIT = { CLEAN: 0, FINDINGS: 1, ERROR: 2 } as const;

/** Each command reports the exit code it wants; the highest wins. */
export type SetExit = (code: number) => void;
