// A known case for the tests of the drafts, renderers and commands: two Exchange servers, one with a
// web shell, a firm's full answers, decisions, actions, and a late JOIC filing. Test support only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseStore } from '../../case/index.js';
import { openStore } from '../../case/index.js';
import { evidenceFile, finding, scanResult, server } from '../../case/test-support/scan-fixtures.js';
import { checkAnswers } from '../../assess/breach/answers.js';
import type { BreachAnswers } from '../../assess/breach/types.js';
import { assessCase, refreshObligations } from '../refresh.js';

export const FIXTURE_REF = 'acme/proxylogon';
export const HOSTILE = '<script>alert(1)</script>&"\'';
/** Characters that act on whatever shows them: right-to-left override, an escape sequence, NEL, a bidi mark, a line break. */
export const CONTROLS = '\u202egnp.exe\u001b[2J\u0085\u200f\r\nFAKE LINE';

export const FIXTURE_ANSWERS: BreachAnswers = checkAnswers({
  firm: {
    legalName: 'Acme Trust Company Limited',
    contact: { name: 'Jo Bloggs', role: 'Compliance Officer', email: 'jo@acme.je', phone: '+44 1534 000000' },
    dpo: 'Sam Smith, DPO',
    establishments: ['JE'],
    role: ['controller'],
    gdprScope: ['UK'],
    jfsc: 'registered-person',
    targets: { JFSC_CODES_P6: 24 },
  },
  datasets: [
    {
      id: 'trust-mail',
      description: 'trust administration mailboxes',
      mailboxes: ['*'],
      subjects: ['clients', 'beneficial-owners'],
      categories: ['identity', 'identity-documents', 'financial', 'cdd-aml', 'criminal'],
      records: 40000,
      people: 1500,
      jurisdictions: { JE: 900, GB: 450, CH: 150 },
      encrypted: false,
    },
    {
      id: 'hr',
      description: 'HR mailbox',
      mailboxes: ['hr@acme.je'],
      subjects: ['employees'],
      categories: ['employment', 'health'],
      records: 800,
      people: 60,
      jurisdictions: { JE: 60 },
      encrypted: false,
    },
  ],
  narrative: {
    howDiscovered: `Our IT provider ran Microsoft's EOMT script on 8 March and found a web shell ${HOSTILE}`,
    containment: 'EX01 isolated from the internet on 8 March; web shells removed; all passwords reset; server rebuilt on 10 March.',
    preventive: 'Patch management moved to a monthly cycle with sign-off by 30 April; MFA on OWA by 31 May.',
    consequences: 'Phishing and payment diversion using client correspondence; identity fraud using passport copies.',
    patchStatus: 'EX01 patched 5 March 2021 (KB5000871); EX02 patched 3 March 2021.',
    rootCause: 'The March 2021 security update was not applied within the patch window.',
    amlEffects: 'CDD files were readable; none lost. No suspicion to report to the JFCU so far.',
  },
});

/**
 * The realistic case of issue #12: two datasets, one with criminal-record checks; people in Jersey,
 * Guernsey, the UK and France; an EU representative in France; a trust company business.
 */
export const REALISTIC_ANSWERS: BreachAnswers = checkAnswers({
  ...FIXTURE_ANSWERS,
  narrative: {
    ...FIXTURE_ANSWERS.narrative,
    subjectsTold: 'Not yet: letters to clients and to staff are being prepared.',
    costs: 'Forensics £18,000 so far; legal advice about £6,000; letters and a helpline about £4,000.',
    insurer: 'Cyber insurer told on 9 March (policy CY-2291); its breach coach is engaged.',
  },
  firm: {
    ...FIXTURE_ANSWERS.firm,
    gdprScope: ['UK', 'EU', 'GG'],
    jfscClass: 'trust-company-business',
    joicRegistration: 'Z1234567',
    euRepresentative: { name: 'Acme EU Representative SAS', state: 'FR', email: 'rep@acme-eu.fr' },
  },
  datasets: [
    {
      id: 'kyc',
      description: 'client due-diligence mailboxes',
      mailboxes: ['*'],
      subjects: ['clients', 'beneficial-owners'],
      categories: ['identity', 'identity-documents', 'financial', 'cdd-aml', 'criminal'],
      records: 30000,
      people: 1200,
      jurisdictions: { JE: 700, GG: 200, GB: 250, FR: 50 },
      encrypted: false,
      consequences:
        'Someone could use the copies of your passport or your financial details to pretend to be you, or send you convincing emails that appear to come from us.',
    },
    {
      id: 'hr',
      description: 'HR mailbox',
      mailboxes: ['hr@acme.je'],
      subjects: ['employees'],
      categories: ['employment', 'health'],
      records: 800,
      people: 60,
      jurisdictions: { JE: 55, GG: 5 },
      encrypted: false,
      consequences: 'Details of your employment and any health information you gave us could be used to embarrass you or to make a scam email more convincing.',
    },
  ],
});

/** What the JFSC pack asks the firm to say, answered, so a test of send copies has no JFSC question open. */
export const JFSC_NARRATIVE = {
  clientImpact: 'No client assets moved; client correspondence was readable.',
  independentValidation: 'Containment validated by an external forensic firm on 12 March.',
  thirdParties: 'Our managed IT provider; no outsourcing notice was due.',
  responsePlan: 'The incident response plan was invoked on 8 March; last tested in 2020.',
  riskAssessmentUpdate: 'The business risk assessment was updated on 15 March.',
  remediation: 'The IT manager owns patching (30 April), verified by the compliance officer.',
  monitoring: 'Dark-web monitoring of client names; complaints logged daily.',
};

export const CLIENT = 'Bay Holdings Limited';

/** Payroll the firm runs for a client: the client is its controller, the firm its processor. */
export const PAYROLL = {
  id: 'payroll',
  description: 'payroll records run for Bay Holdings',
  mailboxes: ['payroll@acme.je'],
  subjects: ['employees'],
  categories: ['identity', 'contact', 'financial'],
  records: 4100,
  people: 340,
  jurisdictions: { JE: 300, GB: 40 },
  encrypted: false,
  consequences: 'Bank details and salaries could be used for payment fraud against these employees.',
  role: 'processor',
  controller: CLIENT,
};

/** The realistic case with a third dataset the firm holds as a client's processor. */
export const WITH_PROCESSOR: BreachAnswers = checkAnswers({
  ...REALISTIC_ANSWERS,
  firm: { ...REALISTIC_ANSWERS.firm, role: ['controller', 'processor'] },
  datasets: [...(REALISTIC_ANSWERS.datasets ?? []), PAYROLL],
  narrative: { ...REALISTIC_ANSWERS.narrative, stillInvestigating: 'Whether payroll exports left the server.' },
});

export interface Fixture {
  store: CaseStore;
  dir: string;
  url: string;
  now: string;
  close(): Promise<void>;
}

/** A SQLite store in a temp folder with the known case in it; or the store at `url` (a PostgreSQL schema of the tests' harness). */
export async function fixtureCase(opts: { answers?: BreachAnswers | undefined; file?: boolean; lateGuernsey?: boolean; url?: string } = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'exir-reg-'));
  const url = opts.url ?? `sqlite:${join(dir, 'exir.db')}`;
  let clock = Date.parse('2021-03-08T10:00:00.000Z');
  const now = () => new Date((clock += 60_000)).toISOString();
  const store = await openStore(url, { actor: 'analyst', now });
  await store.createCase({
    ref: FIXTURE_REF,
    title: 'Exchange compromise (ProxyLogon)',
    firm: {
      name: 'Acme Trust',
      dpo: 'Sam Smith',
      registrations: [
        { scheme: 'JFSC', number: 'TCB-1234' },
        { scheme: 'JOIC', number: 'JOIC-55' },
      ],
    },
    occurredFrom: '2021-02-26T00:00:00Z',
    occurredTo: '2021-03-05T00:00:00Z',
    detectedAt: '2021-03-08T09:00:00Z',
    awareAt: '2021-03-08T09:00:00Z',
    servers: ['EX01', 'EX02'],
  });
  const ev = evidenceFile('EX01/W3SVC1/u_ex210303.log', 'ex01', 'EX01');
  const shell = {
    ...finding(ev.path, 412, 'iis-dropzone-page-post-200', 'EX01'),
    title: `Web shell POST ${HOSTILE}${CONTROLS}`,
    stage: 'post-exploitation' as const,
  };
  const result = scanResult(
    [ev],
    [finding(ev.path, 17, 'proxylogon-ssrf', 'EX01'), shell],
    [
      { ...server('EX01', 'post-exploitation'), summary: 'A web shell was written and used on EX01 (post-exploitation).' },
      { ...server('EX02', 'probed'), summary: 'Only scanner probes reached EX02.' },
    ],
  );
  await store.recordScan(
    FIXTURE_REF,
    {
      ...result,
      mailboxes: [
        {
          mailbox: '*',
          server: 'EX01',
          level: 'reachable',
          firstTime: '2021-03-02T10:15:00Z',
          lastTime: '2021-03-03T02:02:00Z',
          how: ['web shell run as SYSTEM'],
          evidence: [{ path: ev.path, line: 412, offset: 41200 }],
        },
        {
          mailbox: 'finance@acme.je',
          server: 'EX01',
          level: 'exported',
          firstTime: '2021-03-03T02:10:00Z',
          lastTime: '2021-03-03T02:12:00Z',
          how: ['New-MailboxExportRequest to a web folder'],
          evidence: [{ path: ev.path, line: 430, offset: 43000 }],
        },
      ],
      coverage: [
        {
          server: 'EX01',
          source: 'httpproxy',
          files: 1,
          records: 10,
          firstTime: '2021-02-20T00:00:00Z',
          lastTime: '2021-03-08T00:00:00Z',
          gaps: [{ wave: 'ProxyLogon', from: '2021-02-27T00:00:00Z', to: '2021-03-01T00:00:00Z', statement: 'no HttpProxy logs for 27-28 February' }],
        },
      ],
    },
    { actor: 'analyst', args: ['scan'] },
  );
  await store.updateAction(FIXTURE_REF, (await store.listActions(FIXTURE_REF))[0]?.key ?? 'isolate', {
    status: 'done',
    note: 'firewall rule 42',
    at: '2021-03-08T11:00:00Z',
  });
  await store.decide(FIXTURE_REF, {
    kind: 'notify',
    decision: 'Notify the JOIC and the JFSC',
    rationale: 'web shell with SYSTEM reach over client mailboxes',
    approvedBy: 'Board',
    decidedAt: '2021-03-09T10:00:00Z',
  });
  if (opts.answers !== undefined || !('answers' in opts)) {
    await assessCase(store, FIXTURE_REF, opts.answers ?? FIXTURE_ANSWERS, now());
  }
  await refreshObligations(store, FIXTURE_REF, now());
  if (opts.file) {
    const joic = (await store.listObligations(FIXTURE_REF)).find((o) => o.key.startsWith('JE_DPJL_ART20_AUTHORITY|') && o.stage === 'initial');
    if (joic) {
      await store.recordFiling(FIXTURE_REF, {
        obligation: joic.ref,
        reference: 'JOIC-BR-2021-0042',
        sentAt: '2021-03-11T12:00:00Z',
        channel: 'joic_portal',
        content: {},
        delayReasons: 'The scope of mailbox access was only established by the forensic firm on 11 March.',
      });
    }
  }
  if (opts.lateGuernsey) {
    const odpa = (await store.listObligations(FIXTURE_REF)).find((o) => o.key.startsWith('GG_DPL_S42_AUTHORITY|') && o.stage === 'initial');
    if (!odpa) throw new Error('the realistic case has no ODPA obligation');
    await store.recordFiling(FIXTURE_REF, {
      obligation: odpa.ref,
      reference: 'ODPA-2021-117',
      sentAt: '2021-03-12T16:00:00Z',
      channel: 'odpa_portal',
      content: {},
      delayReasons: 'Guernsey residents among the clients were only identified on 12 March, from the client database.',
    });
  }
  return {
    store,
    dir,
    url,
    now: '2021-03-11T15:00:00.000Z',
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
