/**
 * The bridge between the provider the stacks are written for (hashicorp/aws 6.66.0, through
 * @cdktn/provider-aws 25.7.0) and the one the mirror carries (5.100.0). Every argument of every
 * block is checked against 5.100's own schema; an argument 5.100 does not know is either bridged
 * by a rule below (each says why that is safe) or refused with the block's address and the
 * argument's path. Nothing is dropped silently: a difference must never hide a defect.
 * The record for reviewers: docs/terraform-provider-versions.md.
 */
import type { ProviderSchema, SchemaBlock } from "./provider-workspace";

/** Terraform's meta-arguments, and cdktn's `//` metadata: not provider arguments. */
const META_ARGUMENTS = new Set(["//", "count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);

export interface BridgeContext {
  /** The aws provider's region in the stack (per-resource `region` is compared to it). */
  readonly providerRegion: string | undefined;
}

export interface ArgumentBridge {
  /** Argument name, at the top level of a resource or data source. */
  readonly argument: string;
  /** Why 5.100 lacks it and why the bridge keeps the plan's meaning. */
  readonly why: string;
  /** undefined: drop the argument (same meaning without it); a string: refuse, with this reason. */
  bridge(value: unknown, context: BridgeContext): string | undefined;
}

export const ARGUMENT_BRIDGES: readonly ArgumentBridge[] = [
  {
    argument: "region",
    why: "6.0 added a per-resource `region` (enhanced region support); 5.100 has none. Equal to the provider's region it changes nothing, so it is dropped; any other value is refused.",
    bridge: (value, context) =>
      value === context.providerRegion ? undefined : `per-resource region ${JSON.stringify(value)} differs from the provider's ${JSON.stringify(context.providerRegion)}; 5.100 cannot express it`,
  },
  {
    argument: "code_sha256",
    why: "6.27 made a function's `code_sha256` an argument (optional + computed: the provider then compares it with the deployed code, so code changed outside Terraform shows as drift); 5.100 only reads it back. The stacks set it to the archive's base64 SHA-256, the value `source_code_hash` carries beside it, so dropping it leaves the same code and the same replacement trigger.",
    bridge: () => undefined,
  },
];

export class ProviderBridgeError extends Error {
  readonly problems: readonly string[];
  constructor(stack: string, problems: readonly string[]) {
    super(`${stack}: ${problems.length} argument(s) provider ${"5.100.0"} does not know and no bridge covers:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ProviderBridgeError";
    this.problems = problems;
  }
}

/** Checks one block body against `schema`; returns the bridged body and pushes problems. */
export function bridgeBlock(address: string, body: Record<string, unknown>, schema: SchemaBlock, context: BridgeContext, problems: string[], topLevel = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) {
      out[key] = value;
      continue;
    }
    const attribute = schema.attributes?.[key];
    // An attribute 5.100 only reads back (computed, neither optional nor required) is not an
    // argument there: it falls to the rules below like an unknown one (6.27's code_sha256).
    if (attribute && (attribute.optional || attribute.required)) {
      out[key] = value;
      continue;
    }
    const nested = schema.block_types?.[key];
    if (nested) {
      if (key === "dynamic" || typeof value === "string") {
        out[key] = value;
        continue;
      }
      const items = Array.isArray(value) ? value : [value];
      const bridged = items.map((item, i) =>
        item && typeof item === "object" ? bridgeBlock(`${address}.${key}[${i}]`, item as Record<string, unknown>, nested.block, context, problems, false) : item,
      );
      out[key] = Array.isArray(value) ? bridged : bridged[0];
      continue;
    }
    const rule = topLevel ? ARGUMENT_BRIDGES.find((b) => b.argument === key) : undefined;
    if (!rule) {
      problems.push(`${address}.${key}: not an argument of provider 5.100.0 (value ${JSON.stringify(value)?.slice(0, 60)})`);
      continue;
    }
    const refusal = rule.bridge(value, context);
    if (refusal) problems.push(`${address}.${key}: ${refusal}`);
  }
  return out;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** Bridges every resource and data source of a stack in place; throws with all problems at once. */
export function bridgeStack(stack: string, json: { resource?: Blocks; data?: Blocks }, schema: ProviderSchema, context: BridgeContext): void {
  const problems: string[] = [];
  for (const [kind, blocks, schemas] of [
    ["", json.resource, schema.resources],
    ["data.", json.data, schema.dataSources],
  ] as const) {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      const typeSchema = schemas[type];
      if (!typeSchema) {
        problems.push(`${kind}${type}: provider 5.100.0 has no such ${kind ? "data source" : "resource"}`);
        continue;
      }
      for (const [name, body] of Object.entries(byName)) byName[name] = bridgeBlock(`${kind}${type}.${name}`, body, typeSchema, context, problems);
    }
  }
  if (problems.length > 0) throw new ProviderBridgeError(stack, problems);
}
