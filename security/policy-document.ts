/**
 * IAM policy documents as synthesized — a JSON string, a `${jsonencode({...})}` expression, or
 * a reference to a `data.aws_iam_policy_document` — read into one statement shape.
 */
import { parseJsonencode } from "./hcl-value";
import { exactReference } from "./references";
import { blocksOf, findByAddress, type TerraformJson } from "./terraform-json";

export interface PolicyPrincipal {
  /** `Service`, `AWS`, `Federated`, `CanonicalUser`, or `*` for `"Principal": "*"`. */
  readonly type: string;
  readonly identifiers: readonly string[];
}

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly PolicyPrincipal[];
  readonly notPrincipals: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

/** The document could not be read: a rule reports it as a failure rather than guess. */
export class UnreadablePolicyError extends Error {
  constructor(readonly reason: string) {
    super(`policy document is not readable: ${reason}`);
    this.name = "UnreadablePolicyError";
  }
}

function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

function principalsOf(value: unknown): PolicyPrincipal[] {
  if (value === undefined) return [];
  if (value === "*") return [{ type: "*", identifiers: ["*"] }];
  if (typeof value !== "object" || value === null) return [{ type: "?", identifiers: strings(value) }];
  return Object.entries(value).map(([type, ids]) => ({ type, identifiers: strings(ids) }));
}

function conditionsOf(value: unknown): PolicyCondition[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([test, byKey]) =>
    Object.entries((byKey ?? {}) as Record<string, unknown>).map(([variable, values]) => ({ test, variable, values: strings(values) })),
  );
}

function fromJsonDocument(document: unknown): PolicyStatement[] {
  if (typeof document !== "object" || document === null) throw new UnreadablePolicyError("not an object");
  const raw = (document as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((s: Record<string, unknown>) => ({
    ...(typeof s.Sid === "string" ? { sid: s.Sid } : {}),
    effect: String(s.Effect),
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principals: principalsOf(s.Principal),
    notPrincipals: principalsOf(s.NotPrincipal),
    conditions: conditionsOf(s.Condition),
  }));
}

/** `data.aws_iam_policy_document`: `statement` blocks with snake_case arguments. */
function fromPolicyDocumentData(body: Record<string, any>): PolicyStatement[] {
  return blocksOf(body.statement).map((s) => ({
    ...(typeof s.sid === "string" ? { sid: s.sid } : {}),
    effect: s.effect ?? "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals: blocksOf(s.principals).map((p) => ({ type: String(p.type), identifiers: strings(p.identifiers) })),
    notPrincipals: blocksOf(s.not_principals).map((p) => ({ type: String(p.type), identifiers: strings(p.identifiers) })),
    conditions: blocksOf(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: strings(c.values) })),
  }));
}

/** The statements of a policy argument (`policy`, `assume_role_policy`) of a resource in `json`. */
export function policyStatements(json: TerraformJson, policy: unknown): PolicyStatement[] {
  if (typeof policy === "object" && policy !== null) return fromJsonDocument(policy);
  if (typeof policy !== "string") throw new UnreadablePolicyError("missing");
  const reference = exactReference(policy);
  if (reference) {
    const source = findByAddress(json, reference.address);
    if (source?.type === "aws_iam_policy_document" && reference.attribute === "json") return fromPolicyDocumentData(source.body);
    throw new UnreadablePolicyError(`it is \`${policy}\`, which is not a policy document data source of this stack`);
  }
  let document: unknown;
  try {
    document = parseJsonencode(policy) ?? JSON.parse(policy);
  } catch (error) {
    throw new UnreadablePolicyError((error as Error).message);
  }
  return fromJsonDocument(document);
}
