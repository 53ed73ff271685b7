/** Runs rules over one stack; a rule that throws is a failure of that rule, not of the run. */
import type { RuleOutcome, SecurityRule, StackUnderCheck } from "./rule";

export interface RuleResult extends RuleOutcome {
  readonly rule: SecurityRule;
  readonly passed: boolean;
}

export interface StackReport {
  readonly stack: string;
  readonly results: readonly RuleResult[];
  readonly passed: boolean;
}

export function runRules(stackName: string, stack: StackUnderCheck, rules: readonly SecurityRule[]): StackReport {
  const results = rules.map((rule): RuleResult => {
    let outcome: RuleOutcome;
    try {
      outcome = rule.check(stack);
    } catch (error) {
      // A rule that cannot read the stack must not pass it.
      outcome = { checked: [], failures: [{ address: `stack ${stackName}`, problem: `rule crashed: ${(error as Error).message.split("\n")[0]}` }] };
    }
    return { rule, ...outcome, passed: outcome.failures.length === 0 };
  });
  return { stack: stackName, results, passed: results.every((r) => r.passed) };
}
