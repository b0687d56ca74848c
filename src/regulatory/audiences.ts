// Who each letter to the people affected goes to. A letter describes only what concerns its readers,
// so the datasets are grouped by the data they hold: datasets with the same categories share a
// letter, any other gets its own, each with its own numbers.

import type { DatasetAssessment } from '../assess/breach/types.js';

export interface Audience {
  /** Stable and safe in a file name: the datasets' ids, joined. */
  id: string;
  datasets: DatasetAssessment[];
  categories: string[];
  /** The people the letter goes to, where every dataset in it gives a number. */
  people: number | undefined;
}

const safe = (id: string): string => id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'dataset';

export function letterAudiences(datasets: DatasetAssessment[]): Audience[] {
  const groups = new Map<string, DatasetAssessment[]>();
  for (const d of datasets) {
    const key = [...d.categories].sort().join('|');
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].map((ds) => {
    // A dataset within another in the same letter adds no one to it.
    const known = ds.filter((d) => !ds.some((x) => x.id === d.subsetOf)).map((d) => d.people);
    return {
      id: ds.map((d) => safe(d.id)).join('+'),
      datasets: ds,
      categories: [...new Set(ds.flatMap((d) => d.categories))],
      people: known.some((n) => n === undefined) ? undefined : known.reduce<number>((s, n) => s + (n ?? 0), 0),
    };
  });
}
