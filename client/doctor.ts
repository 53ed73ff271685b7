/**
 * `m2m doctor` (`npm run preflight`; `npm run deploy` and `npm run diff` run it first): what a
 * deploy needs that synth cannot check, one line per check with the fix. Network requests: the
 * provider registry or the configured network mirror, and, only when a stack reserves Lambda
 * concurrency and credentials are present, Lambda's GetAccountSettings in that stack's region.
 *
 *   terraform      on PATH, and recent enough for the stack (1.10 for S3 state locking by use_lockfile)
 *   provider       each provider version the stacks pin (hashicorp/aws, and hashicorp/archive where a
 *                  function is zipped) installable from where Terraform looks: filesystem mirror,
 *                  network mirror, the registry (or, offline, the plugin cache)
 *   aws            credentials and region found where the AWS provider looks (names the places checked)
 *   concurrency    what each stack reserves of the account's Lambda concurrency, against the account
 *   state          each environment's state: an S3 bucket that is not the example's placeholder
 *   logging role   the account-level API Gateway logging role managed by at most one environment per region
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { Environment, M2MModel } from "../model/model-types";
import { reservationsOf } from "../model/reserved-concurrency";
import { awsCredentialsSource, awsPlacesChecked, awsRegion } from "./aws-environment";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  readonly status: CheckStatus;
  readonly check: string;
  /** What was found, and for warn/fail what to do. */
  readonly detail: string;
}

/** The example config's bucket: a deploy with it would write state into someone else's bucket, or fail. */
const PLACEHOLDER_STATE_BUCKET = "acme-terraform-state";
/** S3 state locking without DynamoDB (`use_lockfile`) arrived in Terraform 1.10. */
const TERRAFORM_FOR_S3_LOCKFILE = [1, 10] as const;
/** cdktf 0.21's documented minimum. */
const TERRAFORM_MINIMUM = [1, 2] as const;
const REGISTRY_PROBE = "https://registry.terraform.io/.well-known/terraform.json";
const PROBE_TIMEOUT_MS = 3000;

/** A provider the stacks require, as constructs/required-providers.ts reads it. */
export interface RequiredProvider {
  readonly name: string;
  readonly source: string;
  readonly version: string;
}

export interface DoctorInput {
  readonly model: M2MModel;
  readonly env: NodeJS.ProcessEnv;
  /** Only these environments (default: all). */
  readonly environments?: readonly string[];
  /** The providers each environment's stack requires (exact versions). */
  readonly requiredProviders: (environment: Environment) => readonly RequiredProvider[];
  /** The account's Lambda concurrency in a region (client/lambda-account.ts; tests give their own). */
  readonly accountConcurrency: (region: string) => Promise<{ readonly limit: number; readonly unreserved: number }>;
}

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const atLeast = (version: readonly number[], minimum: readonly number[]) =>
  (version[0] ?? 0) > minimum[0]! || ((version[0] ?? 0) === minimum[0] && (version[1] ?? 0) >= minimum[1]!);

function checkTerraform(input: DoctorInput, environments: M2MModel["environments"]): CheckResult {
  const install = "install it from https://developer.hashicorp.com/terraform/install";
  const binary = findOnPath("terraform", input.env);
  if (binary === undefined) return { status: "fail", check: "terraform", detail: `not found on PATH: ${install}` };
  let version: string;
  try {
    const out = execFileSync(binary, ["version", "-json"], { env: { ...input.env, CHECKPOINT_DISABLE: "1" }, encoding: "utf8", timeout: 15_000, stdio: ["ignore", "pipe", "pipe"] });
    version = String((JSON.parse(out) as { terraform_version?: unknown }).terraform_version ?? "");
  } catch (error) {
    return { status: "fail", check: "terraform", detail: `${binary} version -json failed (${String((error as Error).message).split("\n")[0]}): reinstall it, ${install}` };
  }
  const parts = version.split(".").map(Number);
  const lockfile = environments.filter((e) => e.backend.type === "s3" && !e.backend.dynamodbTable).map((e) => e.name);
  const [minimum, reason] = lockfile.length > 0 ? [TERRAFORM_FOR_S3_LOCKFILE, `S3 state locking with use_lockfile (${lockfile.join(", ")})`] : [TERRAFORM_MINIMUM, "cdktf 0.21"];
  if (parts.some((n) => Number.isNaN(n)) || !atLeast(parts, minimum)) {
    return { status: "fail", check: "terraform", detail: `${version || "unknown version"} at ${binary} is older than ${minimum.join(".")}, needed for ${reason}: ${install}` };
  }
  return { status: "ok", check: "terraform", detail: `${version} at ${binary} (${minimum.join(".")} or later needed for ${reason})` };
}

interface CliConfig {
  readonly file: string | undefined;
  /** How the config file is described in messages. */
  readonly shown: string;
  readonly filesystemMirrors: readonly string[];
  readonly networkMirrors: readonly string[];
  /** A `direct {}` installation method: the registry too, besides the mirrors. */
  readonly direct: boolean;
  readonly pluginCacheDir: string | undefined;
}

/** The parts of Terraform's CLI config (TF_CLI_CONFIG_FILE or ~/.terraformrc) that say where providers come from. */
function readCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const file = env.TF_CLI_CONFIG_FILE || join(env.HOME || homedir(), ".terraformrc");
  let text = "";
  try {
    text = readFileSync(file, "utf8").replace(/^\s*(#|\/\/).*$/gm, "");
  } catch {
    const shown = env.TF_CLI_CONFIG_FILE ? `TF_CLI_CONFIG_FILE ${file} not found` : "no ~/.terraformrc";
    return { file: undefined, shown, filesystemMirrors: [], networkMirrors: [], direct: false, pluginCacheDir: env.TF_PLUGIN_CACHE_DIR || undefined };
  }
  const blocks = (kind: string, key: string) => [...text.matchAll(new RegExp(`${kind}\\s*\\{[^}]*?${key}\\s*=\\s*"([^"]+)"`, "g"))].map((m) => m[1]!);
  const cache = /plugin_cache_dir\s*=\s*"([^"]+)"/.exec(text)?.[1];
  return {
    file, shown: `CLI config ${file}`, filesystemMirrors: blocks("filesystem_mirror", "path"), networkMirrors: blocks("network_mirror", "url"),
    direct: /\bdirect\s*\{/.test(text), pluginCacheDir: env.TF_PLUGIN_CACHE_DIR || cache,
  };
}

/** `linux_amd64`, `darwin_arm64`: the platform directory Terraform installs a provider for. */
function hostPlatform(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch === "ia32" ? "386" : process.arch;
  return `${process.platform === "win32" ? "windows" : process.platform}_${arch}`;
}

/** Registry hostname + source: the directory under a mirror or cache. */
const providerPath = (p: RequiredProvider) => join("registry.terraform.io", ...p.source.split("/"));

/** Versions in a filesystem mirror or plugin cache (unpacked `<version>/` dirs and packed zips), sorted. */
function versionsIn(dir: string, provider: RequiredProvider): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(dir, providerPath(provider)));
  } catch {
    return [];
  }
  const type = provider.source.split("/")[1]!;
  const packed = new RegExp(`^terraform-provider-${type}_(\\d+\\.\\d+\\.\\d+[^_]*)_[a-z0-9]+_[a-z0-9]+\\.zip$`);
  return [...new Set(entries.map((e) => packed.exec(e)?.[1] ?? e).filter((e) => /^\d+\.\d+\.\d+/.test(e)))].sort();
}

/** The exact version for this platform, unpacked or packed, in a filesystem mirror or plugin cache. */
function holds(dir: string, provider: RequiredProvider): boolean {
  const base = join(dir, providerPath(provider));
  const type = provider.source.split("/")[1]!;
  return existsSync(join(base, provider.version, hostPlatform())) || existsSync(join(base, `terraform-provider-${type}_${provider.version}_${hostPlatform()}.zip`));
}

async function getJson(url: string): Promise<{ json?: unknown; problem?: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return { problem: `HTTP ${response.status}` };
    return { json: await response.json().catch(() => undefined) };
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return { problem: typeof cause === "string" ? cause : (error as Error).name === "TimeoutError" ? `no answer in ${PROBE_TIMEOUT_MS / 1000} s` : "unreachable" };
  }
}

/** A network mirror's `index.json` for the provider: its versions, or why not. */
async function networkMirrorVersions(mirror: string, provider: RequiredProvider): Promise<{ versions?: string[]; problem?: string }> {
  const { json, problem } = await getJson(`${mirror.replace(/\/?$/, "/")}${providerPath(provider).split("\\").join("/")}/index.json`);
  if (problem) return { problem };
  const versions = (json as { versions?: unknown } | undefined)?.versions;
  return typeof versions === "object" && versions !== null ? { versions: Object.keys(versions).sort() } : { problem: "no versions object in index.json" };
}

/** The registry's versions of the provider (service discovery, then `<providers.v1><source>/versions`), or why not. */
async function registryVersions(discovery: string, provider: RequiredProvider): Promise<{ versions?: string[]; problem?: string }> {
  const found = await getJson(discovery);
  if (found.problem) return { problem: found.problem };
  const base = (found.json as Record<string, unknown> | undefined)?.["providers.v1"];
  const url = new URL(`${typeof base === "string" ? base.replace(/\/?$/, "/") : "/v1/providers/"}${provider.source}/versions`, discovery).href;
  const { json, problem } = await getJson(url);
  if (problem) return { problem: `${problem} from ${url}` };
  const listed = (json as { versions?: { version?: unknown }[] } | undefined)?.versions;
  return Array.isArray(listed) ? { versions: listed.map((v) => String(v.version)) } : { problem: `no versions list from ${url}` };
}

const have = (versions: readonly string[]) => (versions.length === 0 ? "none" : versions.join(", "));

/**
 * One provider the stacks pin, installable from where Terraform will look: with mirrors in the CLI
 * config (and no `direct {}`), only there; else the registry, or at least the plugin cache.
 */
async function checkProvider(provider: RequiredProvider, config: CliConfig, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const check = `provider ${provider.source} ${provider.version}`;
  const from = config.shown;
  const pinned = `the stacks pin exactly ${provider.version}`;
  const seen: string[] = [];
  for (const mirror of config.filesystemMirrors) {
    if (holds(mirror, provider)) return { status: "ok", check, detail: `in the filesystem mirror ${mirror} for ${hostPlatform()} (${from})` };
    seen.push(`the filesystem mirror ${mirror} has ${have(versionsIn(mirror, provider))}`);
  }
  for (const mirror of config.networkMirrors) {
    const { versions, problem } = await networkMirrorVersions(mirror, provider);
    if (versions?.includes(provider.version)) return { status: "ok", check, detail: `listed by the network mirror ${mirror} (${from})` };
    seen.push(problem ? `the network mirror ${mirror} does not answer for ${provider.source} (${problem})` : `the network mirror ${mirror} lists ${have(versions ?? [])}`);
  }
  const mirrored = config.filesystemMirrors.length + config.networkMirrors.length > 0;
  if (mirrored && !config.direct) {
    return { status: "fail", check, detail: `${seen.join("; ")} (${from}); ${pinned}: add it (terraform providers mirror <dir>, run in a synthesized stack, fetches exactly the pinned versions)` };
  }
  // M2M_TERRAFORM_REGISTRY: another registry's discovery URL (a private registry, or a test's server).
  const discovery = env.M2M_TERRAFORM_REGISTRY || REGISTRY_PROBE;
  const registry = new URL(discovery).host;
  const { versions, problem } = await registryVersions(discovery, provider);
  if (versions?.includes(provider.version)) return { status: "ok", check, detail: `${registry} lists it (${from})` };
  if (versions) return { status: "fail", check, detail: `${registry} does not list ${provider.version} (${from}); ${pinned}: check the registry, or mirror the provider` };
  if (config.pluginCacheDir !== undefined && holds(config.pluginCacheDir, provider)) {
    return { status: "warn", check, detail: `${registry} unreachable (${problem}); in the plugin cache ${config.pluginCacheDir}: terraform init works if the lock file names it` };
  }
  return {
    status: "fail",
    check,
    detail: `${[...seen, `${registry} unreachable (${problem})`].join("; ")} (${from}): allow HTTPS to it, or configure a provider mirror in TF_CLI_CONFIG_FILE (provider_installation { network_mirror { url = "..." } }) that has ${provider.version}`,
  };
}

/** One line per provider any of the environments' stacks requires. */
async function checkProviders(input: DoctorInput, environments: readonly Environment[]): Promise<CheckResult[]> {
  const providers = new Map<string, RequiredProvider>();
  for (const e of environments) for (const p of input.requiredProviders(e)) providers.set(`${p.source} ${p.version}`, p);
  const config = readCliConfig(input.env);
  return Promise.all([...providers.values()].sort((a, b) => a.source.localeCompare(b.source)).map((p) => checkProvider(p, config, input.env)));
}

function checkAws(input: DoctorInput, environments: M2MModel["environments"]): CheckResult[] {
  const credentials = awsCredentialsSource(input.env);
  const region = awsRegion(input.env);
  const regions = [...new Set(environments.map((e) => e.region))].join(", ");
  return [
    credentials === undefined
      ? { status: "fail", check: "aws credentials", detail: `none found (checked ${awsPlacesChecked(input.env, "credentials")}): export AWS_PROFILE=<profile> after aws configure or aws sso login, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY` }
      : { status: "ok", check: "aws credentials", detail: `${credentials.value} from ${credentials.source} (present; validity is checked by AWS at deploy)` },
    region === undefined
      ? { status: "warn", check: "aws region", detail: `none set (checked ${awsPlacesChecked(input.env, "region")}); the stacks take theirs from the config (${regions}), but m2m --secret-id NAME needs AWS_REGION` }
      : { status: "ok", check: "aws region", detail: `${region.value} from ${region.source}; the stacks take theirs from the config (${regions})` },
  ];
}

/** Lambda keeps this many executions of the account unreserved: a reservation below it fails. */
const UNRESERVED_MINIMUM = 100;

async function checkConcurrency(input: DoctorInput, env: Environment): Promise<CheckResult> {
  const check = `concurrency of ${env.name}`;
  const reservations = reservationsOf(input.model, env);
  const reserved = reservations.reduce((n, r) => n + r.executions, 0);
  if (reserved === 0) return { status: "ok", check, detail: "reserves none (opt-in: environments[].scopeChecker.reservedConcurrency, a lambda backend's reservedConcurrency)" };
  const what = `reserves ${reserved} (${reservations.map((r) => `${r.what} ${r.executions}`).join(", ")})`;
  if (awsCredentialsSource(input.env) === undefined) return { status: "warn", check, detail: `${what}; no AWS credentials to compare with the account: it must keep ${UNRESERVED_MINIMUM} unreserved after this` };
  let account: { limit: number; unreserved: number };
  try {
    account = await input.accountConcurrency(env.region);
  } catch (error) {
    return { status: "warn", check, detail: `${what}; could not read the account's Lambda concurrency in ${env.region} (${(error as Error).name}: ${String((error as Error).message).split("\n")[0]}): it must keep ${UNRESERVED_MINIMUM} unreserved after this` };
  }
  const facts = `the account in ${env.region} has a quota of ${account.limit}, ${account.unreserved} unreserved`;
  if (reserved > account.limit - UNRESERVED_MINIMUM) {
    return { status: "fail", check, detail: `${what}, but ${facts} and Lambda keeps ${UNRESERVED_MINIMUM} unreserved: the apply would fail; ask AWS for a higher concurrency quota, or reserve less` };
  }
  if (reserved > account.unreserved - UNRESERVED_MINIMUM) {
    return { status: "warn", check, detail: `${what}; ${facts}: the apply fails unless these functions already hold their reservations (a redeploy); other functions reserve ${account.limit - account.unreserved}` };
  }
  return { status: "ok", check, detail: `${what}; ${facts}: ${account.unreserved - reserved} stay unreserved` };
}

function checkState(environments: M2MModel["environments"]): CheckResult[] {
  return environments.map((e): CheckResult => {
    const check = `state of ${e.name}`;
    if (e.backend.type === "local") {
      return e.kind === "production"
        ? { status: "fail", check, detail: `local file ${e.backend.path} for a production environment: set environments[].backend to { type: "s3", bucket, key, region }` }
        : { status: "ok", check, detail: `local file ${e.backend.path} (fine for a trial; use an S3 backend to share it)` };
    }
    if (e.backend.bucket === PLACEHOLDER_STATE_BUCKET) {
      return { status: "fail", check, detail: `S3 bucket "${PLACEHOLDER_STATE_BUCKET}" is the example's placeholder: create your own versioned bucket and name it in environments[].backend.bucket` };
    }
    return { status: "ok", check, detail: `s3://${e.backend.bucket}/${e.backend.key} in ${e.backend.region}` };
  });
}

function checkLoggingRole(environments: M2MModel["environments"]): CheckResult {
  const check = "logging role";
  const byRegion = new Map<string, string[]>();
  for (const e of environments) if (e.accessLogs.manageAccountRole) byRegion.set(e.region, [...(byRegion.get(e.region) ?? []), e.name]);
  const twice = [...byRegion].filter(([, names]) => names.length > 1);
  if (twice.length > 0) {
    const [region, names] = twice[0]!;
    return {
      status: "fail",
      check,
      detail: `${names.join(" and ")} both manage the account's API Gateway logging role in ${region} (one setting per account and region; each apply would take it from the other): set accessLogs.manageAccountRole on one of them only (if they share an account)`,
    };
  }
  const managers = [...byRegion].map(([region, [name]]) => `${name} in ${region}`);
  return { status: "ok", check, detail: managers.length === 0 ? "no environment manages the account's API Gateway logging role" : `managed once per region: ${managers.join(", ")}` };
}

export async function runDoctor(input: DoctorInput): Promise<CheckResult[]> {
  const environments = input.environments === undefined ? input.model.environments : input.model.environments.filter((e) => input.environments!.includes(e.name));
  return [
    checkTerraform(input, environments),
    ...(await checkProviders(input, environments)),
    ...checkAws(input, environments),
    ...(await Promise.all(environments.map((e) => checkConcurrency(input, e)))),
    ...checkState(environments),
    // Across every environment of the config: the role is shared, whichever stack is deployed.
    checkLoggingRole(input.model.environments),
  ];
}

const LABEL: Record<CheckStatus, string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };

export function formatCheck(result: CheckResult): string {
  return `${LABEL[result.status]}  ${result.check}: ${result.detail}`;
}

/** True when the checks allow a deploy (warnings do). */
export function readyToDeploy(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.status !== "fail");
}
