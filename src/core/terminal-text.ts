// Evidence-derived text (file names, URLs, user agents) reaches the analyst's terminal. An escape
// sequence in a log line must not be able to rewrite the screen, hide a line, or retitle the window.

/** C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what is shown. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    case '\u001b': return '\\e';
    default: {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

/** The text with every control character shown as a visible escape, so nothing acts on the terminal. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** JSON for stdout: JSON.stringify leaves C1 controls and bidi overrides raw; escape those too (still valid JSON). */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
