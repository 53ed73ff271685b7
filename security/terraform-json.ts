/**
 * A synthesized stack (`cdk.tf.json`) as the rules read it: resources and data sources by
 * Terraform address, without cdktf's `//` metadata, plus the raw blocks (provider, output).
 */

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

/** Every managed resource of `type` (all resources when `type` is omitted), in file order. */
export function resourcesOf(json: TerraformJson, type?: string): TerraformResource[] {
  const out: TerraformResource[] = [];
  for (const [resourceType, byName] of Object.entries(json.resource ?? {})) {
    if (type !== undefined && resourceType !== type) continue;
    for (const [name, body] of Object.entries(byName ?? {})) {
      out.push({ address: `${resourceType}.${name}`, type: resourceType, name, body: withoutMetadata(body ?? {}) });
    }
  }
  return out;
}

/** Every data source of `type`; addresses carry the `data.` prefix. */
export function dataSourcesOf(json: TerraformJson, type: string): TerraformResource[] {
  return Object.entries(json.data?.[type] ?? {}).map(([name, body]) => ({
    address: `data.${type}.${name}`,
    type,
    name,
    body: withoutMetadata(body ?? {}),
  }));
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
