// Reads `field|mod1|mod2` and checks that the modifiers exist, are supported and can be combined.

import { RuleProblem } from './problem.js';

type Transform = 'windash' | 'base64' | 'base64offset' | 'utf16le' | 'utf16be' | 'utf16';
type Position = 'exact' | 'contains' | 'startswith' | 'endswith';
type ValueType = 'string' | 're' | 'cidr' | 'exists' | 'lt' | 'lte' | 'gt' | 'gte' | 'fieldref';

export interface FieldSpec {
  /** '' for a keyword item (`'|all':`), searched in the record's text. */
  field: string;
  position: Position;
  type: ValueType;
  all: boolean;
  cased: boolean;
  /** RegExp flags from the `re` sub-modifiers. */
  reFlags: string;
  /** In the order written. */
  transforms: Transform[];
  /** `expand`: the values name placeholders (`%name%`) replaced by their lists before compiling. */
  expand: boolean;
  /** As written, for messages. */
  modifiers: string[];
}

const POSITIONS = new Set<string>(['contains', 'startswith', 'endswith']);
const TYPES = new Set<string>(['re', 'cidr', 'exists', 'lt', 'lte', 'gt', 'gte', 'fieldref']);
const TRANSFORMS: Record<string, Transform> = {
  windash: 'windash',
  base64: 'base64',
  base64offset: 'base64offset',
  wide: 'utf16le',
  utf16le: 'utf16le',
  utf16be: 'utf16be',
  utf16: 'utf16',
};
const RE_FLAGS = new Set(['i', 'm', 's']);
/** Defined by the spec but not implemented here; a rule using them is refused rather than half-matched. */
const UNSUPPORTED = new Set(['neq', 'minute', 'hour', 'day', 'week', 'month', 'year']);

export function parseFieldSpec(key: string): FieldSpec {
  const [field = '', ...mods] = key.split('|');
  const spec: FieldSpec = {
    field,
    position: 'exact',
    type: 'string',
    all: false,
    cased: false,
    reFlags: '',
    transforms: [],
    expand: false,
    modifiers: mods,
  };
  for (const m of mods) {
    if (POSITIONS.has(m)) {
      if (spec.position !== 'exact') throw new RuleProblem(`modifiers ${spec.position} and ${m} cannot be combined`);
      spec.position = m as Position;
    } else if (TYPES.has(m)) {
      if (spec.type !== 'string') throw new RuleProblem(`modifiers ${spec.type} and ${m} cannot be combined`);
      spec.type = m as ValueType;
    } else if (m in TRANSFORMS) {
      spec.transforms.push(TRANSFORMS[m] as Transform);
    } else if (RE_FLAGS.has(m)) {
      if (spec.type !== 're') throw new RuleProblem(`modifier ${m} must follow re`);
      if (!spec.reFlags.includes(m)) spec.reFlags += m;
    } else if (m === 'all') {
      spec.all = true;
    } else if (m === 'cased') {
      spec.cased = true;
    } else if (m === 'expand') {
      spec.expand = true;
    } else if (UNSUPPORTED.has(m)) {
      throw new RuleProblem(`unsupported modifier ${m}`);
    } else {
      throw new RuleProblem(`unknown modifier '${m}'`);
    }
  }
  check(spec);
  return spec;
}

function check(spec: FieldSpec): void {
  const { type, position, transforms } = spec;
  if (type !== 'string' && type !== 'fieldref' && position !== 'exact') {
    throw new RuleProblem(`modifiers ${type} and ${position} cannot be combined`);
  }
  if (type !== 'string' && transforms.length > 0) {
    throw new RuleProblem(`modifiers ${type} and ${transforms[0] ?? ''} cannot be combined`);
  }
  const b64 = transforms.filter((t) => t === 'base64' || t === 'base64offset');
  if (b64.length > 1) throw new RuleProblem('base64 and base64offset can be applied only once');
  transforms.forEach((t, i) => {
    if (t.startsWith('utf16')) {
      const after = transforms.slice(i + 1);
      if (!after.includes('base64') && !after.includes('base64offset')) {
        throw new RuleProblem(`${t} must be followed by base64 or base64offset`);
      }
    }
  });
}
