/**
 * Running the real `terraform` binary offline: the provider comes from the filesystem mirror
 * only (a CLI config file the harness writes; never the registry), no checkpoint calls, no
 * ambient AWS credentials or profiles leaking in from the caller's environment.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The AWS provider version the mirror carries (the stacks pin 6.66.0 through @cdktn/provider-aws). */
export const MIRROR_PROVIDER_VERSION = "5.100.0";
export const DEFAULT_MIRROR = "/opt/tf-plugins";

export interface TerraformTools {
  readonly terraform: string;
  readonly mirror: string;
}

/** Why the tier cannot run here, in one line; undefined when it can. */
export function missingTerraformTools(mirror = process.env.M2M_TF_MIRROR ?? DEFAULT_MIRROR): string | undefined {
  const version = spawnSync("terraform", ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (version.error || version.status !== 0) return "terraform is not on PATH";
  const provider = path.join(mirror, "registry.terraform.io", "hashicorp", "aws", MIRROR_PROVIDER_VERSION);
  if (!fs.existsSync(provider)) return `no hashicorp/aws ${MIRROR_PROVIDER_VERSION} in the provider mirror ${mirror}`;
  return undefined;
}

export function terraformTools(mirror = process.env.M2M_TF_MIRROR ?? DEFAULT_MIRROR): TerraformTools {
  return { terraform: "terraform", mirror };
}

/** The CLI config: the mirror, for hashicorp/aws only, and no other installation method. */
export function writeCliConfig(file: string, mirror: string): string {
  fs.writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return file;
}

export interface TerraformResult {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** A terraform command that failed: its own message first, then which command it was. */
export class TerraformCommandError extends Error {
  readonly result: TerraformResult;
  constructor(dir: string, result: TerraformResult) {
    const own = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(0, 40).join("\n");
    super(`${own}\n(terraform ${result.args.join(" ")} in ${dir} exited ${result.code})`);
    this.name = "TerraformCommandError";
    this.result = result;
  }
}

/** Environment for a terraform child: ours, minus anything that could reach a real account. */
export function terraformEnv(cliConfigFile: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("AWS_") || key.startsWith("TF_")) continue;
    env[key] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Exit codes that are not failures (`plan -detailed-exitcode` uses 2 for "changes"). */
  readonly okCodes?: readonly number[];
  readonly timeoutMs?: number;
}

/** Runs `terraform args...` in `dir`; throws TerraformCommandError on a failing exit code. */
export function terraform(dir: string, args: readonly string[], options: RunOptions): Promise<TerraformResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", ["-chdir=" + dir, ...args], { env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 600_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result: TerraformResult = {
        args,
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8") + (signal ? `\nterraform was stopped by ${signal} (timeout)` : ""),
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      };
      if (result.code === 0 || options.okCodes?.includes(result.code)) resolve(result);
      else reject(new TerraformCommandError(dir, result));
    });
  });
}
