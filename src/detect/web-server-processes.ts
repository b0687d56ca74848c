// What Exchange's web-server and worker processes legitimately start
// (data/exchange/web-server-processes.json), for the rules that treat any other child by what it is.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const WEB_SERVER_PROCESSES_FILE = fileURLToPath(new URL('../../data/exchange/web-server-processes.json', import.meta.url));
export const WEB_SERVER_PARENTS_PLACEHOLDER = 'exchange_web_server_processes';
export const WEB_SERVER_CHILDREN_PLACEHOLDER = 'exchange_web_server_legitimate_children';
export const WEB_SERVER_SHELLS_PLACEHOLDER = 'exchange_web_server_shells_and_tools';

interface Entry {
  image: string;
  source: string;
}

export interface WebServerProcesses {
  sources: Record<string, { name: string; url: string }>;
  parents: (Entry & { what: string })[];
  legitimateChildren: (Entry & { why: string })[];
  /** Shells and discovery tools a web shell's operator runs: the children that say most. */
  shellsAndTools: Entry[];
}

export async function loadWebServerProcesses(file = WEB_SERVER_PROCESSES_FILE): Promise<WebServerProcesses> {
  const data = JSON.parse(await readFile(file, 'utf8')) as WebServerProcesses;
  if (!Array.isArray(data.parents) || !Array.isArray(data.legitimateChildren) || !Array.isArray(data.shellsAndTools)) {
    throw new Error(`${file}: not a web-server process list (parents, legitimateChildren and shellsAndTools expected)`);
  }
  for (const e of [...data.parents, ...data.legitimateChildren, ...data.shellsAndTools]) {
    // An image is matched with endswith: without its leading backslash "xw3wp.exe" would pass as w3wp.
    if (!/^\\[^\\]+\.exe$/i.test(e.image)) throw new Error(`${file}: ${e.image} is not a \\name.exe image`);
    if (!data.sources[e.source]) throw new Error(`${file}: ${e.image} names an unknown source ${e.source}`);
  }
  return data;
}
