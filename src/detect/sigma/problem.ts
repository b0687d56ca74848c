// The one way compilation reports a mistake in a rule, so that each can be located and the rule skipped.

/** A mistake in a rule; the caller turns it into a located RuleError and skips the rule. */
export class RuleProblem extends Error {
  /** Offset in the rule file of the offending node, when the thrower knows it better than the caller. */
  at: number | undefined;
  constructor(message: string, at?: number) {
    super(message);
    this.at = at;
  }
}
