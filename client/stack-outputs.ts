/**
 * Reads the file `npm run deploy -- ENV --outputs-file FILE` writes (bin/terraform-run.js): one object per stack (stack name =
 * environment name) holding the stack's outputs (token_endpoint, client_ids, client_secret_arns,
 * and each API's invoke URL, resource server identifier and scopes).
 *
 * Two shapes. The one-API form's stack has `invoke_url`, `resource_server_identifier` and
 * `scopes` (a list). A stack of several APIs has the same per-API facts as maps keyed by API
 * name (`invoke_urls`, `resource_server_identifiers`, `scopes`). The output names live in
 * `OUTPUT_NAMES` alone, so the reader follows the stacks if a name changes.
 */
import { readFileSync } from "node:fs";

/** The stacks' output names (constructs/m2m-stack.ts writes them). */
export const OUTPUT_NAMES = {
  tokenEndpoint: "token_endpoint",
  clientIds: "client_ids",
  clientSecretArns: "client_secret_arns",
  /** One API: its stage URL. */
  invokeUrl: "invoke_url",
  /** One API: its resource server identifier (the invoke URL, by design). */
  resourceServerIdentifier: "resource_server_identifier",
  /** Several APIs: stage URL by API name. */
  invokeUrls: "invoke_urls",
  /** Several APIs: resource server identifier by API name. */
  resourceServerIdentifiers: "resource_server_identifiers",
  /** A list of full scope identifiers (one API), or such lists by API name (several). */
  scopes: "scopes",
} as const;

/** One API of a deployed stack. */
export interface DeployedApi {
  /** Its name; absent for the one-API form's outputs, which do not name it. */
  readonly name?: string;
  /** Stage base URL, without a trailing slash. */
  readonly invokeUrl: string;
  /** The prefix of its scopes: its invoke URL, unless the stack says otherwise. */
  readonly resourceServerIdentifier: string;
  /** Full scope identifiers, when the stack lists them. */
  readonly scopes?: readonly string[];
}

export interface StackOutputs {
  /** The first API's stage URL (the only one's in the one-API form). */
  readonly invokeUrl: string;
  /** Every API, in the order the stack lists them. */
  readonly apis: readonly DeployedApi[];
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
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");
const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** The per-API facts: from the maps by API name when the stack has them, else from the one-API outputs. */
function apisOf(stack: Record<string, unknown>, wrongType: () => StackOutputsError, missing: (names: string[]) => StackOutputsError): DeployedApi[] {
  const invokeUrls = stack[OUTPUT_NAMES.invokeUrls];
  const identifiers = stack[OUTPUT_NAMES.resourceServerIdentifiers];
  const scopes = stack[OUTPUT_NAMES.scopes];
  if (invokeUrls !== undefined) {
    if (!isStringMap(invokeUrls) || Object.keys(invokeUrls).length === 0) throw wrongType();
    if (identifiers !== undefined && !isStringMap(identifiers)) throw wrongType();
    const scopesByApi = typeof scopes === "object" && scopes !== null && !Array.isArray(scopes) ? (scopes as Record<string, unknown>) : {};
    return Object.entries(invokeUrls).map(([name, url]) => {
      const listed = scopesByApi[name];
      return {
        name,
        invokeUrl: trimSlash(url),
        resourceServerIdentifier: trimSlash(identifiers?.[name] ?? url),
        ...(isStringList(listed) ? { scopes: listed } : {}),
      };
    });
  }
  const invokeUrl = stack[OUTPUT_NAMES.invokeUrl];
  if (invokeUrl === undefined) throw missing([`${OUTPUT_NAMES.invokeUrl} (or ${OUTPUT_NAMES.invokeUrls})`]);
  const identifier = stack[OUTPUT_NAMES.resourceServerIdentifier];
  if (typeof invokeUrl !== "string" || (identifier !== undefined && typeof identifier !== "string")) throw wrongType();
  return [{ invokeUrl: trimSlash(invokeUrl), resourceServerIdentifier: trimSlash((identifier as string | undefined) ?? invokeUrl), ...(isStringList(scopes) ? { scopes } : {}) }];
}

export function readStackOutputs(file: string, environment: string): StackOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StackOutputsError(
      code === "ENOENT" ? `${file} not found: write it with \`npm run deploy -- ENV --outputs-file ${file}\`` : `${file} is not a JSON outputs file`,
    );
  }
  if (typeof parsed !== "object" || parsed === null) throw new StackOutputsError(`${file} is not a JSON outputs file`);
  const stacks = parsed as Record<string, unknown>;
  const stack = stacks[environment] as Record<string, unknown> | undefined;
  if (typeof stack !== "object" || stack === null) {
    throw new StackOutputsError(`${file} has no outputs for environment "${environment}" (it has: ${Object.keys(stacks).join(", ") || "none"})`);
  }
  const missing = (names: string[]) => new StackOutputsError(`${file}: environment "${environment}" lacks the output(s) ${names.join(", ")}`);
  const wrongType = () => new StackOutputsError(`${file}: environment "${environment}" has outputs of the wrong type`);
  const shared = [OUTPUT_NAMES.tokenEndpoint, OUTPUT_NAMES.clientIds, OUTPUT_NAMES.clientSecretArns];
  const absent = [
    ...(stack[OUTPUT_NAMES.invokeUrl] === undefined && stack[OUTPUT_NAMES.invokeUrls] === undefined ? [`${OUTPUT_NAMES.invokeUrl} (or ${OUTPUT_NAMES.invokeUrls})`] : []),
    ...shared.filter((k) => stack[k] === undefined),
  ];
  if (absent.length > 0) throw missing(absent);
  const tokenEndpoint = stack[OUTPUT_NAMES.tokenEndpoint];
  const clientIds = stack[OUTPUT_NAMES.clientIds];
  const clientSecretArns = stack[OUTPUT_NAMES.clientSecretArns];
  if (typeof tokenEndpoint !== "string" || !isStringMap(clientIds) || !isStringMap(clientSecretArns)) throw wrongType();
  const apis = apisOf(stack, wrongType, missing);
  return { invokeUrl: apis[0]!.invokeUrl, apis, tokenEndpoint, clientIds, clientSecretArns };
}
