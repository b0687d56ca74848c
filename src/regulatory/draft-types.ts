// A pack draft as data: sections of fields and tables, each traced to where its words came from,
// with every unanswered question kept in place and listed. The renderers (src/report/packs) only
// lay this out; they compute nothing.

export interface OpenItem {
  id: string;
  label: string;
  needed: string;
  /** Answered by the signer on sending (declarations): does not hold back the send copy. */
  atSigning?: boolean;
}

export interface DraftField {
  kind: 'field';
  id: string;
  label: string;
  /** The answer, a line or paragraph each; empty when the question is open. */
  lines: string[];
  /** What is needed to answer (or finish answering) it; set when the field is open or partly open. */
  open: string | undefined;
  /** Where each statement came from: case fields, findings, decisions, the firm's answers. */
  trace: string[];
  /** Where the question comes from (the regulator's form, guidance, our inference). */
  source: string;
  /** In a letter: shown without its label (letterhead, date, addressee, signature). */
  bare?: true;
}

export interface DraftTable {
  kind: 'table';
  id: string;
  label: string;
  columns: string[];
  rows: string[][];
  /** Said under the table: e.g. how many rows were left to the JSON. */
  note: string | undefined;
  open: string | undefined;
  trace: string[];
  source: string;
}

export type DraftItem = DraftField | DraftTable;

export interface DraftSection {
  title: string;
  /** `letter`: labels are headings and lines paragraphs, for letters to send. */
  style: 'form' | 'letter';
  items: DraftItem[];
}

export interface DraftAudience {
  id: string;
  datasets: { id: string; description: string; people: number | undefined }[];
  people: number | undefined;
  /** Every letter of the case, by id, with the datasets that feed it. */
  letters: { id: string; datasets: string[] }[];
}

/** One of the case's own references (O3, JOIC-1, D2, E1, a rule id), and what the send copy says instead. */
export interface InternalRef {
  text: string;
  kind: 'obligation' | 'decision' | 'evidence' | 'rule' | 'detection' | 'scan' | 'finding';
  becomes: string;
}

/** What every pack states about how it was made, so a reader can tell one version from another. */
interface DraftStamp {
  tool: string;
  rulePack: { version: number; checked: string };
  caseRef: string;
  assessmentVersion: number | undefined;
  /** SHA-256 of the document's content (title and sections, as the copy holds them). */
  contentHash: string;
}

export interface Draft {
  pack: string;
  stamp: DraftStamp;
  /** `working`: provenance, open questions and internal references shown; `send`: none of them (src/regulatory/send-copy.ts). */
  copy: 'working' | 'send';
  title: string;
  basis: string;
  caseRef: string;
  firmName: string;
  generatedAt: string;
  /** generatedAt in the draft's time zone, for the page. */
  generatedAtShown: string;
  timeZone: string;
  assessmentVersion: number | undefined;
  /** For an authority's report: the authority it goes to; for a processor's notice: the controller client. */
  recipient?: string | undefined;
  /** For a letter to the people affected: which datasets feed it, and its readers' number. */
  audience?: DraftAudience | undefined;
  sections: DraftSection[];
  /** Every open question, in order, with what is needed to answer it. */
  open: OpenItem[];
  /** Rules resting on facts not fully confirmed, and other warnings a reader must see. */
  caveats: string[];
  /** Working copy only: the case's own references, which the send copy takes out (exactly these, nothing of their shape). */
  references?: InternalRef[] | undefined;
  /** Working copy only: the firm's own words (its answers, its details), which the send copy keeps as written. */
  ownWords?: string[] | undefined;
}
