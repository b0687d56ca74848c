// Signed-in browsers: a random session id in an HttpOnly cookie, and a CSRF token per session that
// every form carries. Held in memory: restarting the server signs everyone out.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebUser } from './users.js';

export interface WebSession {
  id: string;
  csrf: string;
  user: WebUser;
  lastSeen: number;
  /** What the last change did, shown once on the next page. */
  flash?: { ok: boolean; text: string } | undefined;
}

const IDLE_MS = 12 * 3600_000;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class Sessions {
  private readonly byId = new Map<string, WebSession>();

  constructor(private readonly clock: () => number = Date.now) {}

  open(user: WebUser): WebSession {
    const s = { id: randomToken(), csrf: randomToken(), user, lastSeen: this.clock() };
    this.byId.set(s.id, s);
    return s;
  }

  find(id: string | undefined): WebSession | undefined {
    if (id === undefined) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    if (this.clock() - s.lastSeen > IDLE_MS) {
      this.byId.delete(id);
      return undefined;
    }
    s.lastSeen = this.clock();
    return s;
  }

  close(id: string | undefined): void {
    if (id !== undefined) this.byId.delete(id);
  }
}
