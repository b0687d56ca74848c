// Evidence text is attacker-controlled, and reaches terminals, spreadsheets, Timesketch and the
// documents sent to regulators. Control characters and bidirectional overrides in it must not act
// anywhere it lands: not rewrite a screen, not hide a line, not reorder what a reader sees.

/** C0 controls, DEL, C1 controls, and the bidirectional marks and overrides that reorder what is shown. */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The same minus the C0 controls, which JSON.stringify already escapes. */
const UNSAFE_AFTER_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\u001b':
      return '\\e';
    default: {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

/**
 * The text with every such character shown as a visible escape (`\e`, `\x85`, `\u202e`): for the
 * console, CSV cells, and the words of HTML, DOCX and PDF documents.
 */
export function inertText(text: string): string {
  return text.replace(UNSAFE_CHARS, escapeChar);
}

/**
 * JSON whose text holds no raw control character or bidi override: JSON.stringify leaves C1 and bidi
 * raw, so they are written as \u escapes. Still valid JSON, and it parses to the same value.
 */
export function inertJson(value: unknown, indent?: number): string {
  return inertAfterJson(JSON.stringify(value, null, indent));
}

/** JSON.stringify's text made inert as inertJson makes it: for a writer that escapes only the pieces that need it. */
export function inertAfterJson(json: string): string {
  return json.replace(UNSAFE_AFTER_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
