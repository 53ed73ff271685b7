/**
 * `.m2m/local.json`: where the running offline environment tells its callers (the `m2m` CLI,
 * scripts, tests) its URLs (the token endpoint, every API's stage) and the credentials it generated. It holds secrets, so it is written
 * with mode 0600 in a git-ignored directory, and removed again when the environment stops.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const DEFAULT_CREDENTIALS_FILE = join(".m2m", "local.json");

export interface LocalClientCredentials {
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Full scope identifiers the client may request. */
  readonly scopes: readonly string[];
  /** The client's credentials secret in the offline Secrets Manager (what `m2m secret rotate --local` rotates). */
  readonly secretArn?: string;
  /** Over TLS, a client bound to a certificate subject: a certificate for it from the local CA (PEM files, mode 0600). */
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** One API the offline environment serves. */
export interface LocalApiEndpoint {
  readonly name: string;
  /** Its stage URL, `http://127.0.0.1:<port>/<stage>`: also its resource server identifier. */
  readonly url: string;
  /** Its routes as `METHOD /path` (path templates), so `m2m call` can tell which API serves a path. */
  readonly routes: readonly string[];
}

export interface LocalCredentialsFile {
  /** The config environment being emulated (so `m2m smoke --local` checks the right clients). */
  readonly environment: string;
  readonly tokenEndpoint: string;
  /** The first API's stage URL (the only one's in the one-API form): what scripts read before there were several. */
  readonly apiUrl: string;
  /** Every API, in config order. */
  readonly apis: readonly LocalApiEndpoint[];
  readonly userPoolId: string;
  readonly clients: readonly LocalClientCredentials[];
  /** Over TLS (`m2m dev --tls`): the local CA's certificate, which callers trust for the servers' certificates. */
  readonly caFile?: string;
}

/** Thrown when the file is missing or not what the offline environment writes. */
export class LocalCredentialsFileError extends Error {
  constructor(readonly file: string, readonly problem: "missing" | "unreadable" | "malformed") {
    super(
      problem === "missing"
        ? `${file} not found: start the offline environment first (npm run dev)`
        : `${file} is ${problem}: restart the offline environment (npm run dev) to rewrite it`,
    );
    this.name = "LocalCredentialsFileError";
  }
}

export function writeCredentialsFile(file: string, contents: LocalCredentialsFile): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Write a private temp file, then rename: readers never see a half-written or world-readable file.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

function isCredentialsFile(value: unknown): value is LocalCredentialsFile {
  const v = value as Partial<LocalCredentialsFile> | null;
  return (
    typeof v === "object" && v !== null &&
    typeof v.environment === "string" && typeof v.tokenEndpoint === "string" && typeof v.apiUrl === "string" && typeof v.userPoolId === "string" &&
    Array.isArray(v.apis) && v.apis.length > 0 &&
    v.apis.every((a) => typeof a?.name === "string" && typeof a.url === "string" && Array.isArray(a.routes) && (a.routes as unknown[]).every((r) => typeof r === "string")) &&
    Array.isArray(v.clients) &&
    v.clients.every((c) => typeof c?.name === "string" && typeof c.clientId === "string" && typeof c.clientSecret === "string" && Array.isArray(c.scopes))
  );
}

export function readCredentialsFile(file: string): LocalCredentialsFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new LocalCredentialsFileError(file, (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "unreadable");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LocalCredentialsFileError(file, "malformed");
  }
  if (!isCredentialsFile(parsed)) throw new LocalCredentialsFileError(file, "malformed");
  return parsed;
}

/** Removes the file if it still describes the given pool (another environment may have replaced it). */
export function removeCredentialsFile(file: string, userPoolId: string): void {
  try {
    if (readCredentialsFile(file).userPoolId === userPoolId) rmSync(file, { force: true });
  } catch {
    // Already gone or replaced by something else: nothing of ours to remove.
  }
}
