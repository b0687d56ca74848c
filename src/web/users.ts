// Who may use the dashboard: a users file (YAML) of names, roles and bcrypt password hashes, and
// what each role may change. Reading is open to every signed-in user; changes follow the role.

import { readFile } from 'node:fs/promises';
import bcrypt from 'bcryptjs';
import { parse } from 'yaml';

export const ROLES = ['responder', 'compliance', 'board', 'read-only'] as const;
export type Role = (typeof ROLES)[number];

export interface WebUser {
  name: string;
  role: Role;
  /** Limits the user to one firm's cases; a provider's staff leave it out and see every firm. */
  firm: string | undefined;
}

interface StoredUser extends WebUser {
  hash: string;
}

export type Change = 'action' | 'decide' | 'file' | 'verify';

const MAY: Record<Change, readonly Role[]> = {
  action: ['responder', 'compliance'],
  decide: ['responder', 'compliance', 'board'],
  file: ['responder', 'compliance'],
  verify: ['responder'],
};

export function may(user: WebUser, change: Change): boolean {
  return MAY[change].includes(user.role);
}

export class UsersFileError extends Error {}

/** A change the signed-in user's role does not allow: refused with 403, before anything is read or written. */
export class NotAllowed extends Error {}

/** A hash for the users file; cost 12 keeps a guess at about a quarter of a second. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, 12);
}

// Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
const DUMMY_HASH = '$2b$12$I7NEaSk3fsgz2XT6GigF4.08xhlF8IZGkzvehLPhgvxlJz2IPWGPq';

export class Users {
  private constructor(private readonly byName: Map<string, StoredUser>) {}

  static async load(path: string): Promise<Users> {
    let doc: unknown;
    try {
      doc = parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new UsersFileError(`cannot read the users file ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return Users.from(doc, path);
  }

  static from(doc: unknown, where: string): Users {
    const list = (doc as { users?: unknown } | null)?.users;
    if (!Array.isArray(list) || list.length === 0) throw new UsersFileError(`${where}: expected "users:" with at least one entry`);
    const byName = new Map<string, StoredUser>();
    list.forEach((u: unknown, i) => {
      const at = `${where}: users[${i}]`;
      const e = (u ?? {}) as Record<string, unknown>;
      const name = typeof e.name === 'string' ? e.name.trim() : '';
      if (!/^[\w.@-]{1,64}$/.test(name)) throw new UsersFileError(`${at}: name must be 1-64 letters, digits, dots, dashes, @ or underscores`);
      if (byName.has(name)) throw new UsersFileError(`${at}: ${name} appears twice`);
      if (typeof e.role !== 'string' || !(ROLES as readonly string[]).includes(e.role))
        throw new UsersFileError(`${at}: role must be one of ${ROLES.join(', ')}`);
      if (typeof e.password !== 'string' || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(e.password)) {
        throw new UsersFileError(`${at}: password must be a bcrypt hash (make one with: exir serve --hash-password)`);
      }
      if (e.firm !== undefined && (typeof e.firm !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(e.firm)))
        throw new UsersFileError(`${at}: firm must be a firm's slug`);
      byName.set(name, { name, role: e.role as Role, firm: e.firm, hash: e.password });
    });
    return new Users(byName);
  }

  async check(name: string, password: string): Promise<WebUser | undefined> {
    const u = this.byName.get(name);
    const ok = await bcrypt.compare(password, u?.hash ?? DUMMY_HASH);
    return ok && u ? { name: u.name, role: u.role, firm: u.firm } : undefined;
  }
}
