// The file formats of a draft, apart from their renderers (DOCX and PDF load large libraries).

export const FORMATS = ['html', 'docx', 'pdf', 'json'] as const;
export type PackFormat = (typeof FORMATS)[number];
