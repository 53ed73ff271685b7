/**
 * `m2m doctor` (`npm run preflight`; `npm run deploy` and `npm run diff` run it first): what a
 * deploy needs that synth cannot check, one line per check with the fix. Nothing here calls AWS;
 * the only network request is to the provider registry or the configured network mirror.
 *
 *   terraform      on PATH, and recent enough for the stack (1.10 for S3 state locking by use_lockfile)
 *   provider       hashicorp/aws reachable: filesystem mirror, network mirror, plugin cache or the registry
 *   aws            credentials and region found where the AWS provider looks (names the places checked)
 *   state          each environment's state: an S3 bucket that is not the example's placeholder
 *   logging role   the account-level API Gateway logging role managed by at most one environment per region
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { M2MModel } from "../model/model-types";
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
const AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";
const REGISTRY_PROBE = "https://registry.terraform.io/.well-known/terraform.json";
const PROBE_TIMEOUT_MS = 3000;

export interface DoctorInput {
  readonly model: M2MModel;
  readonly env: NodeJS.ProcessEnv;
  /** Only these environments (default: all). */
  readonly environments?: readonly string[];
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
    return { file: undefined, shown, filesystemMirrors: [], networkMirrors: [], pluginCacheDir: env.TF_PLUGIN_CACHE_DIR || undefined };
  }
  const blocks = (kind: string, key: string) => [...text.matchAll(new RegExp(`${kind}\\s*\\{[^}]*?${key}\\s*=\\s*"([^"]+)"`, "g"))].map((m) => m[1]!);
  const cache = /plugin_cache_dir\s*=\s*"([^"]+)"/.exec(text)?.[1];
  return { file, shown: `CLI config ${file}`, filesystemMirrors: blocks("filesystem_mirror", "path"), networkMirrors: blocks("network_mirror", "url"), pluginCacheDir: env.TF_PLUGIN_CACHE_DIR || cache };
}

function versionsIn(dir: string): string[] {
  try {
    return readdirSync(join(dir, AWS_PROVIDER)).sort();
  } catch {
    return [];
  }
}

async function reachable(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return typeof cause === "string" ? cause : (error as Error).name === "TimeoutError" ? `no answer in ${PROBE_TIMEOUT_MS / 1000} s` : "unreachable";
  }
}

async function checkProvider(input: DoctorInput): Promise<CheckResult> {
  const config = readCliConfig(input.env);
  const from = config.shown;
  for (const mirror of config.filesystemMirrors) {
    const versions = versionsIn(mirror);
    if (versions.length > 0) return { status: "ok", check: "provider", detail: `hashicorp/aws ${versions.join(", ")} in the filesystem mirror ${mirror} (${from})` };
  }
  if (config.filesystemMirrors.length > 0 && config.networkMirrors.length === 0) {
    return { status: "fail", check: "provider", detail: `no hashicorp/aws in the filesystem mirror ${config.filesystemMirrors.join(", ")} (${from}): terraform providers mirror ${config.filesystemMirrors[0]} in a synthesized stack` };
  }
  for (const mirror of config.networkMirrors) {
    const url = `${mirror.replace(/\/?$/, "/")}${AWS_PROVIDER}/index.json`;
    const problem = await reachable(url);
    if (problem === undefined) return { status: "ok", check: "provider", detail: `hashicorp/aws listed by the network mirror ${mirror} (${from})` };
    return { status: "fail", check: "provider", detail: `the network mirror ${mirror} does not answer for hashicorp/aws (${problem}; ${from}): check its URL and that it serves ${AWS_PROVIDER}` };
  }
  // M2M_TERRAFORM_REGISTRY: another registry's discovery URL (a private registry, or a test's closed port).
  const probe = input.env.M2M_TERRAFORM_REGISTRY || REGISTRY_PROBE;
  const registry = new URL(probe).host;
  const problem = await reachable(probe);
  if (problem === undefined) return { status: "ok", check: "provider", detail: `${registry} reachable (${from})` };
  const cached = config.pluginCacheDir === undefined ? [] : versionsIn(config.pluginCacheDir);
  if (cached.length > 0) {
    return { status: "warn", check: "provider", detail: `${registry} unreachable (${problem}), hashicorp/aws ${cached.join(", ")} in the plugin cache ${config.pluginCacheDir}: terraform init works if the lock file's version is cached` };
  }
  return {
    status: "fail",
    check: "provider",
    detail: `${registry} unreachable (${problem}; ${from}): allow HTTPS to it, or configure a provider mirror in TF_CLI_CONFIG_FILE (provider_installation { network_mirror { url = "..." } })`,
  };
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
    await checkProvider(input),
    ...checkAws(input, environments),
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
