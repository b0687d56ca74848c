import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const TOOL = { name: 'exir', version: pkg.version } as const satisfies { name: 'exir'; version: string };
