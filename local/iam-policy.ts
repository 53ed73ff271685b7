/**
 * Evaluates a Lambda authorizer's policy document against the called method ARN the way API
 * Gateway does: an explicit Deny wins, otherwise a matching Allow, otherwise an implicit deny.
 * Resource patterns use IAM wildcards: `*` (any run of characters) and `?` (one character).
 */

export type PolicyVerdict = "allow" | "explicit-deny" | "implicit-deny";

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

const asList = (value: unknown): string[] =>
  typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function wildcardToRegExp(pattern: string, flags = ""): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, flags);
}

function coversInvoke(statement: Statement, methodArn: string): boolean {
  // IAM action names are case-insensitive; resource ARNs are not.
  const actionMatches = asList(statement.Action).some((a) => wildcardToRegExp(a, "i").test("execute-api:Invoke"));
  return actionMatches && asList(statement.Resource).some((r) => wildcardToRegExp(r).test(methodArn));
}

export function evaluatePolicy(policyDocument: unknown, methodArn: string): PolicyVerdict {
  const statements = (policyDocument as { Statement?: unknown } | undefined)?.Statement;
  const list: Statement[] = Array.isArray(statements) ? statements : statements && typeof statements === "object" ? [statements as Statement] : [];
  const matching = list.filter((s) => coversInvoke(s, methodArn));
  if (matching.some((s) => s.Effect === "Deny")) return "explicit-deny";
  return matching.some((s) => s.Effect === "Allow") ? "allow" : "implicit-deny";
}
