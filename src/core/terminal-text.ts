// Evidence-derived text (file names, URLs, user agents) reaches the analyst's terminal. An escape
// sequence in a log line must not be able to rewrite the screen, hide a line, or retitle the window.
import { inertJson, inertText } from './inert-text.js';

/** The text with every control character shown as a visible escape, so nothing acts on the terminal. */
export function safeText(text: string): string {
  return inertText(text);
}

/** JSON for stdout: JSON.stringify leaves C1 controls and bidi overrides raw; escape those too (still valid JSON). */
export function safeJson(value: unknown): string {
  return inertJson(value, 2);
}
