// A check of the collector script for the rules that matter on a victim's server, since
// PSScriptAnalyzer cannot run here: strict mode, no aliases, no network, no change to the server,
// and writes only inside the output folder. It reads PowerShell's surface syntax only: comments and
// string contents are set aside first so that words inside them are not taken for commands.

export interface LintProblem {
  line: number;
  rule: 'strict-mode' | 'alias' | 'network' | 'changes-server' | 'write-outside-output' | 'not-ascii';
  text: string;
}

/**
 * The script with comments removed and, unless `keepStrings`, each string's contents blanked but for
 * the variables a double-quoted string expands; line numbers are kept.
 */
export function codeOnly(script: string, keepStrings = false): string {
  let out = '';
  let i = 0;
  while (i < script.length) {
    const c = script[i] as string;
    if (c === '<' && script[i + 1] === '#') {
      const end = script.indexOf('#>', i + 2);
      const stop = end < 0 ? script.length : end + 2;
      out += script.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '#') {
      while (i < script.length && script[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === "'" || c === '"') {
      // Strings are kept as their quotes around blanks; "…$(…)…" sub-expressions are code, kept.
      out += c;
      i++;
      while (i < script.length && script[i] !== c) {
        if (keepStrings) {
          out += script[i];
          i++;
          continue;
        }
        if (c === '"' && script[i] === '`') {
          out += '  ';
          i += 2;
          continue;
        }
        const variable = c === '"' ? /^\$\w+/.exec(script.slice(i, i + 64))?.[0] : undefined;
        if (variable) {
          out += variable;
          i += variable.length;
          continue;
        }
        if (c === '"' && script[i] === '$' && script[i + 1] === '(') {
          let depth = 0;
          while (i < script.length) {
            const d = script[i] as string;
            out += d;
            i++;
            if (d === '(') depth++;
            else if (d === ')' && --depth === 0) break;
          }
          continue;
        }
        out += script[i] === '\n' ? '\n' : ' ';
        i++;
      }
      out += i < script.length ? c : '';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// Aliases of the cmdlets a script like this might use (PowerShell 5.1's built-in list, in part).
const ALIASES = new Set([
  '%',
  '?',
  'ac',
  'cat',
  'cd',
  'chdir',
  'clc',
  'clear',
  'cls',
  'copy',
  'cp',
  'cpi',
  'curl',
  'del',
  'dir',
  'echo',
  'epal',
  'epcsv',
  'erase',
  'fl',
  'foreach',
  'ft',
  'fw',
  'gc',
  'gci',
  'gcm',
  'gdr',
  'gi',
  'gm',
  'gp',
  'gps',
  'group',
  'gsv',
  'gv',
  'h',
  'icm',
  'iex',
  'ii',
  'ipal',
  'ipcsv',
  'irm',
  'iwr',
  'kill',
  'ls',
  'man',
  'md',
  'measure',
  'mi',
  'mkdir',
  'mount',
  'move',
  'mv',
  'ni',
  'nv',
  'popd',
  'ps',
  'pushd',
  'pwd',
  'r',
  'rd',
  'ren',
  'ri',
  'rm',
  'rmdir',
  'rni',
  'rp',
  'rv',
  'sajb',
  'sal',
  'saps',
  'sc',
  'select',
  'set',
  'si',
  'sl',
  'sleep',
  'sort',
  'sp',
  'spps',
  'start',
  'sv',
  'tee',
  'type',
  'where',
  'wget',
  'write',
]);

const NETWORK =
  /invoke-webrequest|invoke-restmethod|net\.webclient|net\.http|net\.sockets|net\.dns\b|start-bitstransfer|send-mailmessage|new-pssession|enter-pssession|invoke-command|-computername\b|test-connection|test-netconnection|resolve-dnsname|https?:\/\/|(^|[\s'"(])\\\\[\w.$]/i;

// Verbs that change a system, allowed only for the script's own functions and the few harmless uses below.
const CHANGING =
  /^(set|new|remove|add|clear|enable|disable|install|uninstall|register|unregister|start|stop|restart|suspend|resume|rename|move|copy|import|update|grant|revoke|reset|write|out|export|publish|mount|dismount|rename|unblock)-/i;
const ALLOWED_CHANGING = new Set([
  'set-strictmode',
  'new-object',
  'add-type',
  'add-pssnapin',
  'write-host',
  'write-warning',
  'write-verbose',
  'out-null',
  'new-item',
  'remove-item',
  'export-csv',
  'export-clixml',
]);
const WRITES = new Set(['new-item', 'remove-item', 'export-csv', 'export-clixml']);

/** Lints the collector script; returns the problems found, each with its line. */
export function lintCollector(script: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const code = codeOnly(script);
  const lines = code.split('\n');
  const own = new Set([...code.matchAll(/^\s*function\s+([A-Za-z][\w-]*)/gim)].map((m) => (m[1] as string).toLowerCase()));
  // Variables that hold paths inside the output folder: the folder itself and what is joined onto it.
  const outputVars = new Set(['outdir']);
  for (let grew = true; grew;) {
    grew = false;
    for (const m of code.matchAll(/\$(\w+)\s*=\s*(?:\(?\s*)?Join-Path\s+-Path\s+\$(\w+)/gi)) {
      const [name, base] = [(m[1] as string).toLowerCase(), (m[2] as string).toLowerCase()];
      if (outputVars.has(base) && !outputVars.has(name)) {
        outputVars.add(name);
        grew = true;
      }
    }
  }
  // Strict mode must be the first statement after the parameters.
  const paramAt = lines.findIndex((l) => /^\s*param\s*\(/i.test(l));
  const paramEnd = paramAt < 0 ? -1 : lines.findIndex((l, i) => i > paramAt && /^\)\s*$/.test(l));
  const firstCode = lines.findIndex((l, i) => i > paramEnd && /\S/.test(l) && !/^\s*\[CmdletBinding/i.test(l) && !(paramAt >= 0 && i <= paramAt));
  if (firstCode < 0 || !/^\s*Set-StrictMode\s+-Version\s+\S+/i.test(lines[firstCode] ?? '')) {
    problems.push({ line: firstCode + 1, rule: 'strict-mode', text: 'the first statement after the parameters is not Set-StrictMode -Version …' });
  }
  const withStrings = codeOnly(script, true).split('\n');
  script.split('\n').forEach((raw, i) => {
    if (/[^\x00-\x7f]/.test(raw))
      problems.push({ line: i + 1, rule: 'not-ascii', text: 'non-ASCII text: Windows PowerShell 5.1 reads a file without a BOM in the local code page' });
  });
  lines.forEach((line, i) => {
    const n = i + 1;
    const full = withStrings[i] ?? '';
    if (NETWORK.test(full)) problems.push({ line: n, rule: 'network', text: full.trim() });
    if (/wevtutil(\.exe)?['"]?\s+['"]?(cl|sl|im|clear-log|set-log|install-manifest)\b/i.test(full)) {
      problems.push({ line: n, rule: 'changes-server', text: line.trim() });
    }
    // Words in command position: at the start of a statement, after a pipe, a brace, a bracket, `=` or `&`.
    for (const m of line.matchAll(/(?:^|[|;{(=&])\s*([A-Za-z%?][\w-]*|[%?])(?=\s|$|[({])/g)) {
      const word = (m[1] as string).toLowerCase();
      if (ALIASES.has(word) && !(word === 'foreach' && /foreach\s*\(/i.test(line)))
        problems.push({ line: n, rule: 'alias', text: `alias '${m[1] as string}'` });
      if (CHANGING.test(word) && !own.has(word) && !ALLOWED_CHANGING.has(word)) problems.push({ line: n, rule: 'changes-server', text: `${m[1] as string}` });
      if (WRITES.has(word)) {
        const target = /-(?:LiteralPath|Path)\s+\$(\w+)/i.exec(line.slice(m.index))?.[1]?.toLowerCase();
        if (!target || !outputVars.has(target)) problems.push({ line: n, rule: 'write-outside-output', text: line.trim() });
      }
    }
    for (const m of line.matchAll(/\[IO\.File\]::(WriteAll\w+|Open|Create|AppendAll\w+)\(\s*([^,)]*)/gi)) {
      const [method, arg] = [(m[1] as string).toLowerCase(), (m[2] as string).trim()];
      if (method === 'open' && !/::(CreateNew|Create|OpenOrCreate|Append)\b/i.test(line)) continue;
      const v = /^"?\$(\w+)/.exec(arg)?.[1]?.toLowerCase();
      if (!v || !outputVars.has(v)) problems.push({ line: n, rule: 'write-outside-output', text: line.trim() });
    }
    const epl = /wevtutil\.exe['"]?\s+['"]?epl['"]?\s+\S+\s+\$(\w+)/i.exec(full);
    if (epl && !outputVars.has((epl[1] as string).toLowerCase())) problems.push({ line: n, rule: 'write-outside-output', text: line.trim() });
  });
  return problems;
}
