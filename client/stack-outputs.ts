/**
 * Reads the file `cdktf deploy --outputs-file FILE` writes: one object per stack (stack name =
 * environment name) holding the stack's outputs (invoke_url, token_endpoint, client_ids,
 * client_secret_arns, ...).
 */
import { readFileSync } from "node:fs";

export interface StackOutputs {
  readonly invokeUrl: string;
  readonly tokenEndpoint: string;
  readonly clientIds: Readonly<Record<string, string>>;
  readonly clientSecretArns: Readonly<Record<string, string>>;
}

export class StackOutputsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackOutputsError";
  }
}

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");

export function readStackOutputs(file: string, environment: string): StackOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StackOutputsError(
      code === "ENOENT" ? `${file} not found: write it with \`cdktf deploy --outputs-file ${file}\`` : `${file} is not a JSON outputs file`,
    );
  }
  if (typeof parsed !== "object" || parsed === null) throw new StackOutputsError(`${file} is not a JSON outputs file`);
  const stacks = parsed as Record<string, unknown>;
  const stack = stacks[environment] as Record<string, unknown> | undefined;
  if (typeof stack !== "object" || stack === null) {
    throw new StackOutputsError(`${file} has no outputs for environment "${environment}" (it has: ${Object.keys(stacks).join(", ") || "none"})`);
  }
  const missing = ["invoke_url", "token_endpoint", "client_ids", "client_secret_arns"].filter((k) => stack[k] === undefined);
  if (missing.length > 0) throw new StackOutputsError(`${file}: environment "${environment}" lacks the output(s) ${missing.join(", ")}`);
  const { invoke_url, token_endpoint, client_ids, client_secret_arns } = stack;
  if (typeof invoke_url !== "string" || typeof token_endpoint !== "string" || !isStringMap(client_ids) || !isStringMap(client_secret_arns)) {
    throw new StackOutputsError(`${file}: environment "${environment}" has outputs of the wrong type`);
  }
  return { invokeUrl: invoke_url.replace(/\/+$/, ""), tokenEndpoint: token_endpoint, clientIds: client_ids, clientSecretArns: client_secret_arns };
}
