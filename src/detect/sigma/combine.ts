// AND, OR, NOT and "at least n of" over compiled nodes: the closures short-circuit, the literals follow the
// pre-filter algebra in literals.ts.

import type { Compiled } from './field-item.js';
import { allOf, anyOf, lazyLiterals } from './literals.js';
import { needAll, needAny, NO_NEED } from './need.js';
import type { FieldAccess } from './types.js';

type Match = (r: FieldAccess) => boolean;

function mergeFields(children: readonly Compiled[]): string[] {
  const out: string[] = [];
  for (const c of children) for (const f of c.fields) if (!out.includes(f)) out.push(f);
  return out;
}

export function and(children: readonly Compiled[]): Compiled {
  if (children.length === 1) return children[0] as Compiled;
  const ms = children.map((c) => c.match);
  let match: Match;
  if (ms.length === 2) {
    const [a, b] = ms as [Match, Match];
    match = (r) => a(r) && b(r);
  } else {
    match = (r) => {
      for (let i = 0; i < ms.length; i++) if (!(ms[i] as Match)(r)) return false;
      return true;
    };
  }
  const need = (): ReturnType<Compiled['need']> => needAll(children.map((c) => c.need()));
  return lazyLiterals({ match, fields: mergeFields(children), need }, () => allOf(children.map((c) => c.literals)));
}

export function or(children: readonly Compiled[]): Compiled {
  if (children.length === 1) return children[0] as Compiled;
  const ms = children.map((c) => c.match);
  let match: Match;
  if (ms.length === 2) {
    const [a, b] = ms as [Match, Match];
    match = (r) => a(r) || b(r);
  } else {
    match = (r) => {
      for (let i = 0; i < ms.length; i++) if ((ms[i] as Match)(r)) return true;
      return false;
    };
  }
  const need = (): ReturnType<Compiled['need']> => needAny(children.map((c) => c.need()));
  return lazyLiterals({ match, fields: mergeFields(children), need }, () => anyOf(children.map((c) => c.literals)));
}

/** A negation holds on records that contain none of the child's literals, so it requires nothing. */
export function not(child: Compiled): Compiled {
  const m = child.match;
  return { match: (r) => !m(r), literals: null, need: NO_NEED, fields: child.fields };
}

/** "n of": any n children; every match includes at least one child's match, so the OR's literals are sound. */
export function atLeast(n: number, children: readonly Compiled[]): Compiled {
  if (n <= 1) return or(children);
  if (n >= children.length) return and(children);
  const ms = children.map((c) => c.match);
  const match: Match = (r) => {
    let hits = 0;
    for (let i = 0; i < ms.length; i++) if ((ms[i] as Match)(r) && ++hits >= n) return true;
    return false;
  };
  const need = (): ReturnType<Compiled['need']> => needAny(children.map((c) => c.need()));
  return lazyLiterals({ match, fields: mergeFields(children), need }, () => anyOf(children.map((c) => c.literals)));
}
