/**
 * Terraform references, resolved textually: `"${aws_iam_role.scope_checker.id}"` refers to
 * `aws_iam_role.scope_checker`, attribute `id`. Enough to tell which policy belongs to which
 * role, which log group a stage writes to, which stage a WAF ACL is attached to.
 */

export interface Reference {
  /** `aws_iam_role.scope_checker`, or `data.aws_iam_policy_document.x` for a data source. */
  readonly address: string;
  /** The attribute read, e.g. `arn`; the first one after the address. */
  readonly attribute: string;
}

/** The bodies of the `${ ... }` interpolations in a string (nesting counted). */
export function interpolationsIn(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while ((i = text.indexOf("${", i)) !== -1) {
    let depth = 1;
    let j = i + 2;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}") depth--;
    }
    out.push(text.slice(i + 2, depth === 0 ? j - 1 : j));
    i = j;
  }
  return out;
}

// `type.name.attribute`, where type looks like a provider resource type (`aws_x`, `archive_file`).
const REFERENCE = /(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)\.([A-Za-z_]\w*)/g;

/** Every resource or data-source reference in an expression's text (interpolated or bare). */
export function referencesInExpression(expression: string): Reference[] {
  const out: Reference[] = [];
  for (const match of expression.matchAll(REFERENCE)) {
    out.push({ address: `${match[1] ?? ""}${match[2]}.${match[3]}`, attribute: match[4] });
  }
  return out;
}

/** Every reference inside the `${ ... }` interpolations of any string within `value`. */
export function referencesIn(value: unknown): Reference[] {
  if (typeof value === "string") return interpolationsIn(value).flatMap(referencesInExpression);
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(referencesIn);
  return [];
}

/** Whether `value` refers to `address` (optionally to one of `attributes`). */
export function refersTo(value: unknown, address: string, attributes?: readonly string[]): boolean {
  return referencesIn(value).some((r) => r.address === address && (attributes === undefined || attributes.includes(r.attribute)));
}

/** The addresses `value` refers to with one of `attributes`, restricted to resources of `type`. */
export function referencedAddresses(value: unknown, type: string, attributes?: readonly string[]): string[] {
  const prefix = `${type}.`;
  const found = referencesIn(value).filter((r) => r.address.startsWith(prefix) && (attributes === undefined || attributes.includes(r.attribute)));
  return [...new Set(found.map((r) => r.address))];
}

/** Whether the whole string is exactly one reference, e.g. `${aws_api_gateway_stage.stage.arn}`. */
export function exactReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\$\{\s*(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)\.([A-Za-z_]\w*)\s*\}$/.exec(value);
  return match ? { address: `${match[1] ?? ""}${match[2]}.${match[3]}`, attribute: match[4] } : undefined;
}
