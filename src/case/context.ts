import type { SqlDriver } from './db/driver.js';
import type { Playbook } from './playbook.js';

/** What every repository function needs: the connection, who is acting, and which firm they may see. */
export interface StoreContext {
  driver: SqlDriver;
  actor: string;
  /** When set, only this firm's cases can be named or listed. */
  firmScope: string | undefined;
  now(): string;
  playbook(): Promise<Playbook>;
}
