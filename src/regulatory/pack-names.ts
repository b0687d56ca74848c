// The drafts exir writes, by name, apart from the rule pack: the command line offers them as
// choices in its help before any rule is read.

export const PACKS = ['joic', 'jfsc', 'subjects', 'board', 'register', 'evidence', 'processor'] as const;
export type PackName = (typeof PACKS)[number];
