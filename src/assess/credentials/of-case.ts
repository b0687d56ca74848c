// The credentials assessment of one case: gathers what the case's scans recorded and asks
// assessCredentials. Reads only.

import type { CaseStore } from '../../case/index.js';
import { assessCredentials, resetActions, type CredentialsReport } from './credentials.js';

export interface CaseCredentials extends CredentialsReport {
  case: string;
  /** The playbook's reset steps, each with the accounts it covers. */
  actions: { step: string; accounts: string[] }[];
}

export async function credentialsOfCase(store: CaseStore, ref: string): Promise<CaseCredentials> {
  const [record, story, findings, context, mailboxes] = await Promise.all([
    store.getCase(ref),
    store.story(ref),
    store.listFindings(ref),
    store.readContext(ref),
    store.listMailboxes(ref),
  ]);
  const report = assessCredentials({
    findings: findings.map((f) => ({ ruleId: f.ruleId, time: f.time, server: f.server, path: f.path, line: f.line, benign: f.benign })),
    servers: story.servers,
    context: context.records,
    mailboxes: mailboxes ?? [],
    modifiedFiles: context.modifiedFiles,
  });
  if (context.scans > context.scansWithContext) {
    report.limits.push(
      `${context.scans - context.scansWithContext} of the case's ${context.scans} scan(s) were recorded by an exir that kept no logons or account changes: scan that evidence again to list the accounts it shows.`,
    );
  }
  return { case: record.ref, ...report, actions: resetActions(report) };
}
