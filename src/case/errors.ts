/** A problem the user can fix (a bad name, a missing case, a time without a zone); shown without a stack. */
export class CaseError extends Error {
  override readonly name = 'CaseError';
}
