/**
 * The argument-level differences between the provider the stacks are written for (6.66, read
 * from @cdktn/provider-aws 25.7.0's generated `synthesizeAttributes`) and the mirror's 5.100
 * (read from `terraform providers schema -json`), for the resource and data source types the
 * stacks use. docs/terraform-provider-versions.md carries this table; a test keeps it current.
 *
 *   npx tsx verify/provider-differences.ts    prints the table (markdown)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ProviderSchema, SchemaBlock } from "./provider-workspace";

export interface TypeDifference {
  /** `aws_x` or `data.aws_x`. */
  readonly type: string;
  /** Top-level arguments 6.66 has and 5.100 lacks. */
  readonly only6: readonly string[];
  /** Top-level arguments 5.100 accepts and 6.x removed. */
  readonly only5: readonly string[];
}

const LIB = path.join(path.dirname(require.resolve("@cdktn/provider-aws/package.json")), "lib");

/** The top-level argument names cdktn writes for `type` (provider 6.66). */
export function arguments625(type: string): string[] {
  const data = type.startsWith("data.");
  const bare = (data ? type.slice(5) : type).replace(/^aws_/, "");
  const dir = `${data ? "data-aws-" : ""}${bare.replace(/_/g, "-")}`;
  const js = fs.readFileSync(path.join(LIB, dir, "index.js"), "utf8");
  const body = /synthesizeAttributes\(\) \{\s*return \{([\s\S]*?)\n {8}\};/.exec(js);
  if (!body) throw new Error(`${type}: no synthesizeAttributes in ${dir}/index.js`);
  return [...body[1]!.matchAll(/^\s+(\w+): /gm)].map((m) => m[1]!);
}

function arguments5100(block: SchemaBlock): string[] {
  const attributes = Object.entries(block.attributes ?? {}).filter(([, a]) => a.optional || a.required).map(([name]) => name);
  return [...attributes, ...Object.keys(block.block_types ?? {})];
}

export function providerDifferences(types: readonly string[], schema: ProviderSchema): TypeDifference[] {
  return [...new Set(types)].sort().map((type) => {
    const block = type.startsWith("data.") ? schema.dataSources[type.slice(5)] : schema.resources[type];
    if (!block) return { type, only6: ["(the whole type: 5.100 has none)"], only5: [] };
    const new6 = new Set(arguments625(type).filter((a) => a !== "id"));
    const old5 = new Set(arguments5100(block).filter((a) => a !== "id"));
    const known5 = new Set([...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})]);
    return { type, only6: [...new6].filter((a) => !known5.has(a)).sort(), only5: [...old5].filter((a) => !new6.has(a)).sort() };
  });
}

export function differencesTable(differences: readonly TypeDifference[]): string {
  const rows = differences.map((d) => `| \`${d.type}\` | ${d.only6.map((a) => `\`${a}\``).join(", ") || "-"} | ${d.only5.map((a) => `\`${a}\``).join(", ") || "-"} |`);
  return ["| type | only in 6.66 | only in 5.100 |", "| --- | --- | --- |", ...rows].join("\n");
}

/** Every resource and data source type in the synthesized stacks (archive provider aside). */
export function typesOfStacks(stackFiles: readonly string[]): string[] {
  const types = new Set<string>();
  for (const file of stackFiles) {
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const type of Object.keys(json.resource ?? {})) types.add(type);
    for (const type of Object.keys(json.data ?? {})) if (type.startsWith("aws_")) types.add(`data.${type}`);
  }
  return [...types].sort();
}

/** The table for the stacks of the verified configs (synthesized into a temporary directory). */
export async function currentDifferencesTable(outdir: string): Promise<string> {
  // Loaded here, not at the top: the table's pure parts are used without synthesis or Terraform.
  const { providerWorkspace } = require("./provider-workspace") as typeof import("./provider-workspace");
  const { synthesizeStacks, VERIFIED_CONFIGS } = require("./verified-configs") as typeof import("./verified-configs");
  const files = (["default", "all-options"] as const).flatMap((name) =>
    synthesizeStacks(name, VERIFIED_CONFIGS[name]().config, path.join(outdir, name)).map((s) => path.join(s.dir, "cdk.tf.json")),
  );
  return differencesTable(providerDifferences(typesOfStacks(files), (await providerWorkspace()).schema));
}

if (require.main === module) {
  const os = require("node:os") as typeof import("node:os");
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-provider-diff-"));
  currentDifferencesTable(outdir)
    .then((table) => console.log(table))
    .finally(() => fs.rmSync(outdir, { recursive: true, force: true }));
}
