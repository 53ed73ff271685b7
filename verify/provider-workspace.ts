/**
 * One `terraform init` for every working copy: the mirror's provider is installed once into a
 * cache directory (a symlink to the mirror, plus the lock file with its hashes), and its schema
 * is dumped once. Working copies link `.terraform` to it and copy the lock file, so no copy
 * re-hashes the 700 MB provider binary. The cache is filled in a temporary directory and renamed
 * into place, so concurrent jest workers never see half of it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MIRROR_PROVIDER_VERSION, terraform, terraformEnv, terraformTools, writeCliConfig, type TerraformTools } from "./terraform-cli";

export interface ProviderWorkspace {
  readonly tools: TerraformTools;
  /** The CLI config file every terraform child gets as TF_CLI_CONFIG_FILE. */
  readonly cliConfigFile: string;
  readonly env: NodeJS.ProcessEnv;
  /** `terraform providers schema -json`, for hashicorp/aws at the mirror's version. */
  readonly schema: ProviderSchema;
  /** That schema as Terraform printed it (the whole `providers schema -json` output). */
  readonly schemaFile: string;
  /** Makes `dir` ready for validate/plan/apply without its own init. */
  linkInto(dir: string): void;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, { readonly optional?: boolean; readonly computed?: boolean; readonly required?: boolean }>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}

export interface ProviderSchema {
  readonly provider: SchemaBlock;
  readonly resources: Record<string, SchemaBlock>;
  readonly dataSources: Record<string, SchemaBlock>;
}

const PROVIDER_KEY = "registry.terraform.io/hashicorp/aws";

/** Where the provider install, its schema and the tiers' kept results live (outside the repository). */
export function cacheRoot(): string {
  return process.env.M2M_VERIFY_CACHE ?? path.join(os.tmpdir(), "m2m-verify-cache");
}

async function fillCache(dir: string, tools: TerraformTools): Promise<void> {
  const staging = fs.mkdtempSync(`${dir}.staging-`);
  try {
    const cliConfigFile = writeCliConfig(path.join(staging, "terraform.rc"), tools.mirror);
    const env = terraformEnv(cliConfigFile);
    fs.writeFileSync(
      path.join(staging, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: MIRROR_PROVIDER_VERSION } } } }),
    );
    await terraform(staging, ["init", "-input=false", "-no-color", "-backend=false"], { env });
    const schema = await terraform(staging, ["providers", "schema", "-json"], { env });
    fs.writeFileSync(path.join(staging, "schema.json"), schema.stdout);
    fs.writeFileSync(path.join(staging, "ready"), "");
    try {
      fs.renameSync(staging, dir);
    } catch (error) {
      // Another worker won the race: its cache is as good as ours.
      if (!fs.existsSync(path.join(dir, "ready"))) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

let workspace: Promise<ProviderWorkspace> | undefined;

/** The shared, initialised provider (once per process; the cache outlives the process). */
export function providerWorkspace(): Promise<ProviderWorkspace> {
  workspace ??= openWorkspace();
  return workspace;
}

async function openWorkspace(): Promise<ProviderWorkspace> {
  const tools = terraformTools();
  const root = cacheRoot();
  fs.mkdirSync(root, { recursive: true });
  const dir = path.join(root, `aws-${MIRROR_PROVIDER_VERSION}`);
  if (!fs.existsSync(path.join(dir, "ready"))) await fillCache(dir, tools);
  // The CLI config lives in the cache too: the path the mirror is read from is part of the cache.
  const cliConfigFile = writeCliConfig(path.join(dir, "terraform.rc"), tools.mirror);
  const raw = JSON.parse(fs.readFileSync(path.join(dir, "schema.json"), "utf8"));
  const aws = raw.provider_schemas[PROVIDER_KEY];
  const schema: ProviderSchema = {
    provider: aws.provider.block,
    resources: Object.fromEntries(Object.entries(aws.resource_schemas as Record<string, { block: SchemaBlock }>).map(([k, v]) => [k, v.block])),
    dataSources: Object.fromEntries(Object.entries(aws.data_source_schemas as Record<string, { block: SchemaBlock }>).map(([k, v]) => [k, v.block])),
  };
  return {
    tools,
    cliConfigFile,
    env: terraformEnv(cliConfigFile),
    schema,
    schemaFile: path.join(dir, "schema.json"),
    linkInto(target: string): void {
      const link = path.join(target, ".terraform");
      if (!fs.existsSync(link)) fs.symlinkSync(path.join(dir, ".terraform"), link, "dir");
      fs.copyFileSync(path.join(dir, ".terraform.lock.hcl"), path.join(target, ".terraform.lock.hcl"));
    },
  };
}
