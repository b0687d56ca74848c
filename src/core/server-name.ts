/**
 * Logs name their server differently (EX01, ex01.corp.local): one short, upper-case name per
 * machine, so one server's logs are not split into two.
 */
export function serverName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const trimmed = raw.trim();
  if (!trimmed || trimmed === '-') return undefined;
  if (/^[\d.]+$/.test(trimmed) || trimmed.includes(':')) return trimmed;
  return (trimmed.split('.')[0] ?? trimmed).toUpperCase();
}
