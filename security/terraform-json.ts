/**
 * A synthesized stack (`cdk.tf.json`) as the rules read it: resources and data sources by
 * Terraform address, without cdktf's `//` metadata, plus the raw blocks (provider, output).
 */

// The plan guard's reader (plain CommonJS: the plan job installs nothing), shared so that
// check:security, the guard and terraform all see one document: JSON.parse keeps the last of two
// equal keys where Terraform reads both, so a repeated key anywhere is refused instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const strictJson = require("../.github/plan-guard/strict-json.js") as { parseStrictJson(text: string): unknown };

/** Parses a `cdk.tf.json` text strictly (throws on a repeated key, naming its JSON path). */
export function parseTerraformJson(text: string): TerraformJson {
  const value = strictJson.parseStrictJson(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not a JSON object");
  return value as TerraformJson;
}

/** The parsed `cdk.tf.json`; only the blocks the rules read are typed. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value?: unknown; sensitive?: boolean; description?: string }>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
}

/** One resource (or data source) with its address, e.g. `aws_api_gateway_method.get_premium`. */
export interface TerraformResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The resource's arguments as synthesized, without the `//` metadata. */
  readonly body: Readonly<Record<string, any>>;
}

function withoutMetadata(body: Record<string, unknown>): Record<string, any> {
  const { "//": _metadata, ...rest } = body;
  return rest;
}

/**
 * The bodies of one block level as Terraform's JSON reader sees them: an object is one body, an
 * array of objects one body each. Terraform accepts the array form at every block level (the
 * `resource` key, each type, each name), so the rules must too, or a stack written
 * `"aws_x": {"y": [{...}]}` would escape them.
 */
function bodiesAt(value: unknown): Record<string, unknown>[] {
  return blocksOf(value);
}

/** `[label, value]` pairs of a labelled block level, over all its bodies. */
function labelledEntries(value: unknown): [string, unknown][] {
  return bodiesAt(value).flatMap((body) => Object.entries(body));
}

function blocksByAddress(level: unknown, prefix: string, type?: string): TerraformResource[] {
  const out: TerraformResource[] = [];
  for (const [blockType, byName] of labelledEntries(level)) {
    if (type !== undefined && blockType !== type) continue;
    for (const [name, bodies] of labelledEntries(byName)) {
      for (const body of bodiesAt(bodies)) out.push({ address: `${prefix}${blockType}.${name}`, type: blockType, name, body: withoutMetadata(body) });
    }
  }
  return out;
}

/** Every managed resource of `type` (all resources when `type` is omitted), in file order. */
export function resourcesOf(json: TerraformJson, type?: string): TerraformResource[] {
  return blocksByAddress(json.resource, "", type);
}

/** Every data source of `type`; addresses carry the `data.` prefix. */
export function dataSourcesOf(json: TerraformJson, type: string): TerraformResource[] {
  return blocksByAddress(json.data, "data.", type);
}

/** A resource or data source by address (`type.name` or `data.type.name`), if the stack has it. */
export function findByAddress(json: TerraformJson, address: string): TerraformResource | undefined {
  const parts = address.split(".");
  if (parts[0] === "data" && parts.length === 3) return dataSourcesOf(json, parts[1]).find((d) => d.name === parts[2]);
  if (parts.length !== 2) return undefined;
  return resourcesOf(json, parts[0]).find((r) => r.name === parts[1]);
}

/**
 * Terraform block arguments (`settings`, `tracing_config`, ...) are synthesized as an object,
 * or as a list of objects when repeated; both read as a list here.
 */
export function blocksOf(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v));
}

/** The first block of a (possibly repeated) block argument. */
export function blockOf(value: unknown): Record<string, any> | undefined {
  return blocksOf(value)[0];
}

/** Every string inside a JSON value, with its JSON path (`resource.aws_x.y.tags.Name`). */
export function* stringsIn(value: unknown, path: string[] = []): Generator<{ path: string[]; text: string }> {
  if (typeof value === "string") {
    yield { path, text: value };
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], [...path, String(i)]);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      // Keys can carry text too (tags, environment variable names).
      yield { path: [...path, key], text: key };
      yield* stringsIn(child, [...path, key]);
    }
  }
}
