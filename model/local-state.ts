/**
 * Where a local Terraform state file lives. Its path is relative to the stack directory
 * (`cdktf.out/stacks/<env>`, where terraform runs), and it must stay outside cdktf.out/, which
 * synth rewrites.
 */
import { posix } from "node:path";

const STACKS_DIR = "cdktf.out/stacks";

/** `terraform.<env>.tfstate` at the project root. */
export function defaultLocalStatePath(env: string): string {
  return `../../../terraform.${env}.tfstate`;
}

/** The state file's location relative to the project root, e.g. `terraform.dev.tfstate`. */
export function localStateLocation(env: string, localPath: string): string {
  return posix.normalize(posix.join(STACKS_DIR, env, localPath));
}

/** Why a local state path is unusable, or undefined when it is fine. */
export function localStateProblem(env: string, localPath: string): string | undefined {
  if (localPath.startsWith("/") || /^[A-Za-z]:[\\/]/.test(localPath)) return "must be a relative path (absolute paths make the output machine-specific)";
  const location = localStateLocation(env, localPath);
  if (location === "cdktf.out" || location.startsWith("cdktf.out/")) {
    return "must point outside cdktf.out/ (it is relative to cdktf.out/stacks/<env>, which synth rewrites; e.g. ../../../terraform.<env>.tfstate)";
  }
  return undefined;
}
