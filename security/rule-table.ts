/** The plain-text report: one table per stack, failures under their rule, one summary line. */
import type { StackReport } from "./run-rules";
import type { StackMetadata } from "./stack-metadata";

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - text.length));
}

function describe(metadata: StackMetadata): string {
  return `${metadata.production ? "production" : "development"}, access logs ${metadata.accessLogsEnabled ? "on" : "off"}`;
}

export function formatStackTable(report: StackReport, metadata: StackMetadata): string {
  const idWidth = Math.max(4, ...report.results.map((r) => r.rule.id.length));
  const lines = [
    `stack ${report.stack} (${describe(metadata)})`,
    `  ${pad("RULE", idWidth)}  CHECKED  RESULT  RATIONALE`,
  ];
  for (const result of report.results) {
    const checked = String(result.checked.length).padStart(7);
    // N/A: the stack has nothing this rule applies to (e.g. no WAF in development), so it passes trivially.
    const verdict = !result.passed ? "FAIL" : result.checked.length === 0 ? "N/A" : "PASS";
    lines.push(`  ${pad(result.rule.id, idWidth)}  ${checked}  ${pad(verdict, 6)}  ${result.rule.rationale}`);
    for (const failure of result.failures) lines.push(`  ${" ".repeat(idWidth)}  ${" ".repeat(7)}  ${" ".repeat(6)}  - ${failure.address}: ${failure.problem}`);
  }
  return lines.join("\n");
}

export function formatSummary(reports: readonly StackReport[]): string {
  const ruleCount = reports[0]?.results.length ?? 0;
  const failures = reports.flatMap((r) => r.results.filter((x) => !x.passed).map((x) => ({ stack: r.stack, result: x })));
  const stacks = reports.map((r) => r.stack).join(", ");
  if (failures.length === 0) return `security rules: PASS (${ruleCount} rules on ${reports.length} stack${reports.length === 1 ? "" : "s"}: ${stacks})`;
  const findings = failures.reduce((n, f) => n + f.result.failures.length, 0);
  const where = failures.map((f) => `${f.stack}/${f.result.rule.id}`).join(", ");
  return `security rules: FAIL (${findings} finding${findings === 1 ? "" : "s"} in ${failures.length} rule check${failures.length === 1 ? "" : "s"}: ${where})`;
}
