// What follows the breach, in short, for `exir case show` and the dashboard: the accounts to reset
// and the phishing seen since, from the same assessments as `exir credentials` and `exir phishing`.

import type { CaseStore } from '../case/index.js';
import { credentialsOfCase, type CaseCredentials } from './credentials/of-case.js';
import { phishingOfCase } from './phishing/of-case.js';
import type { WatchHit } from './phishing/message-watch.js';

export interface AfterBreach {
  credentials: CaseCredentials;
  phishing: {
    domains: string[];
    watch: WatchHit[];
    /** Lookalike domains seen as senders in the case's mail. */
    lookalikesSeen: string[];
    limits: string[];
  };
}

export async function afterBreach(store: CaseStore, ref: string): Promise<AfterBreach> {
  const [credentials, phishing] = await Promise.all([credentialsOfCase(store, ref), phishingOfCase(store, ref)]);
  return {
    credentials,
    phishing: {
      domains: phishing.domains.map((d) => d.domain),
      watch: phishing.watch,
      lookalikesSeen: phishing.lookalikes.filter((l) => l.seen).map((l) => l.domain),
      limits: phishing.limits,
    },
  };
}
