import { InvalidArgumentError } from 'commander';

/** An option's value as a whole number of at least 1 (threads, sizes, counts); anything else is a usage error. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}
