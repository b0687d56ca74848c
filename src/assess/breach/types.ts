// The personal-data breach assessment's words. Answers are what only the firm knows; the
// assessment joins them with what the case's evidence shows.

/** How far the evidence shows a dataset was touched. There is no "not accessed": the evidence never proves it. */
export type AccessLevel = 'exported' | 'read' | 'reachable' | 'no-evidence-found' | 'not-established';

export const SEVERITY_LEVELS = ['low', 'medium', 'high', 'very-high'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

export type Conclusion = 'no-risk' | 'risk' | 'high-risk';

/** One mailbox the scan found touched (from `mailboxes[]`); `mailbox: '*'` means every mailbox on the server. */
export interface MailboxReach {
  mailbox: string;
  server: string;
  level: 'read' | 'exported' | 'reachable';
  first?: string;
  last?: string;
  how: string;
  evidence: { path: string; line: number }[];
}

/** What the logs of one source on one server hold, and where they are silent (from `coverage[]`). */
export interface CoverageEntry {
  server: string;
  source: string;
  first?: string;
  last?: string;
  /** `wave`: the exploitation window the gap falls in, when the scan placed it in one. */
  gaps: { from: string; to: string; reason?: string; wave?: string }[];
}

export interface ServerFacts {
  name: string;
  verdict: string | undefined;
  summary: string | undefined;
}

export const JFSC_CLASSES = [
  'trust-company-business',
  'investment-business',
  'fund-services-business',
  'general-insurance-mediation',
  'money-service-business',
  'deposit-taking',
] as const;
type JfscClass = (typeof JFSC_CLASSES)[number];

interface ContactAnswer {
  name?: string;
  role?: string;
  email?: string;
  phone?: string;
}

export interface FirmAnswers {
  legalName?: string;
  contact?: ContactAnswer;
  dpo?: string;
  joicRegistration?: string;
  /** Where the firm is established: JE, GG, UK, or an EU member state's ISO code. */
  establishments?: string[];
  role?: ('controller' | 'processor')[];
  /** Laws beyond Jersey's that reach the firm, in its own legal view: UK or EU GDPR (Art. 3), Guernsey's DP(BoG)L (GG). */
  gdprScope?: ('UK' | 'EU' | 'GG')[];
  jfsc?: 'registered-person' | 'schedule-2' | 'none';
  /** The class the firm is registered for with the JFSC: it decides which law the notice duty rests on. */
  jfscClass?: JfscClass;
  /** The firm's representative in the EU under GDPR Art. 27, with the member state it is established in. */
  euRepresentative?: { name: string; state: string; email?: string; address?: string };
  /** Might the incident affect the registration or the clients' interests (the JFSC trigger)? */
  jfscImpact?: boolean;
  gfscLicensee?: boolean;
  gfscSignificant?: boolean;
  operatorOfEssentialService?: boolean;
  /** Clients for whom the firm is processor, with any contractual notice period. */
  processorFor?: { client: string; noticeHours?: number; contractRef?: string }[];
  /** The letterhead the firm's letters carry: its postal address (a line each) and how to reach it. */
  letterhead?: { address?: string[]; phone?: string; email?: string; website?: string };
  /** Who signs the firm's letters (the people affected, the JFSC): else the contact signs. */
  signer?: { name: string; role?: string };
  /** The firm's own reference for its letters about this incident; none is printed without it. */
  letterReference?: string;
  /** Firm-set targets, in hours, for duties the law gives no hours: keyed by rule id or `RULE_ID/stage`. */
  targets?: Record<string, number>;
}

export interface DatasetAnswer {
  id: string;
  description: string;
  /** Mailbox addresses or group names; `*` for every mailbox on the dataset's servers. */
  mailboxes?: string[];
  /** Servers that hold it; every case server when left out. */
  servers?: string[];
  subjects: string[];
  categories: string[];
  records?: number;
  people?: number;
  /** Where the people live: ISO code → approximate number (or null when the number is unknown). */
  jurisdictions?: Record<string, number | null>;
  encrypted?: boolean;
  keyCompromised?: boolean;
  /** What the breach could mean for these people, in plain words, for their letter. */
  consequences?: string;
  /** The id of a dataset that holds every person in this one: its people are not counted again. */
  subsetOf?: string;
  /** People this dataset shares with others, by the other dataset's id: counted once. */
  overlaps?: Record<string, number>;
  /**
   * The firm's role for this dataset. As processor, the controller's duties (the authority's
   * notification, the letter to the people) are its client's; the firm owes the client a notice.
   */
  role?: DatasetRole;
  /** For a dataset held as processor: the client who is its controller. */
  controller?: string;
}

export const DATASET_ROLES = ['controller', 'processor'] as const;
type DatasetRole = (typeof DATASET_ROLES)[number];

interface EnisaAnswers {
  dpcAdjustments?: { factor: string; delta: number }[];
  ei?: number;
  confidentiality?: number;
  integrity?: number;
  availability?: number;
  malicious?: number;
  /** Why the firm relies on an ENISA "low" to conclude the breach is unlikely to result in a risk (that reading is an inference). */
  unlikelyRiskReason?: string;
}

export interface BreachAnswers {
  firm?: FirmAnswers;
  datasets?: DatasetAnswer[];
  enisa?: EnisaAnswers;
  override?: { level: SeverityLevel; reason: string };
  /** Free-text answers to the question bank, keyed by question id (containment, preventive, …). */
  narrative?: Record<string, string>;
}

/** One ENISA input: its value, where it came from, and why. */
export interface EnisaInput {
  value: number;
  from: 'answer' | 'evidence' | 'default' | 'categories';
  why: string;
}

export interface EnisaResult {
  dpcBase: EnisaInput;
  dpcAdjustments: { factor: string; delta: number }[];
  dpc: number;
  ei: EnisaInput;
  cb: { confidentiality: EnisaInput; integrity: EnisaInput; availability: EnisaInput; malicious: EnisaInput };
  cbTotal: number;
  se: number;
  level: SeverityLevel;
}

export interface DatasetAssessment {
  id: string;
  description: string;
  subjects: string[];
  categories: string[];
  special: string[];
  records: number | undefined;
  people: number | undefined;
  jurisdictions: Record<string, number | null>;
  encrypted: boolean | undefined;
  unintelligible: boolean;
  consequences?: string | undefined;
  subsetOf?: string | undefined;
  overlaps?: Record<string, number> | undefined;
  /** Set only where the answers say so; a dataset without a role is the firm's as controller. */
  role?: DatasetRole | undefined;
  controller?: string | undefined;
  access: AccessLevel;
  /** Sentences that say why the access level is what it is, each naming its source. */
  accessBasis: string[];
  evidence: { path: string; line: number }[];
  cannotExcludeAccess: boolean;
}

export interface OpenQuestion {
  id: string;
  question: string;
  needed: string;
}

export interface BreachAssessment {
  assessedAt: string;
  servers: (ServerFacts & { fullReach: boolean })[];
  mailboxesKnown: boolean;
  coverageKnown: boolean;
  datasets: DatasetAssessment[];
  /** True when the evidence cannot exclude access to data on the reached systems. */
  cannotExcludeAccess: boolean;
  cannotExcludeReasons: string[];
  enisa: EnisaResult | undefined;
  computedLevel: SeverityLevel | undefined;
  level: SeverityLevel | undefined;
  override: { level: SeverityLevel; reason: string } | undefined;
  conclusion: Conclusion | undefined;
  conclusionBasis: string[];
  flags: { moreThan100People: boolean | undefined; allUnintelligible: boolean; specialCategories: string[] };
  jurisdictions: Record<string, number | null>;
  /** `people` counts each person once (subsets and overlaps taken out); `peopleBasis` says how. */
  totals: { people: number | undefined; records: number | undefined; peopleBasis: string };
  open: OpenQuestion[];
}
