/**
 * Where the AWS SDK (and Terraform's AWS provider) would find a region and credentials, read
 * from the environment and the shared config files the way they read them, without a network
 * call: `m2m` uses it to say "no region" before the SDK's own "Region is missing", and
 * `m2m doctor` to say what it checked.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface AwsSetting {
  readonly value: string;
  /** Where it was found, e.g. `AWS_REGION`, `~/.aws/config [profile ci]`. */
  readonly source: string;
}

function profileName(env: NodeJS.ProcessEnv): string {
  return env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || "default";
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}

/** The sections of an INI file (`[default]`, `[profile x]`, `[x]`) with their keys. */
function readIni(file: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return sections;
  }
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
    } else if (current && line.includes("=")) {
      const at = line.indexOf("=");
      current.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
    }
  }
  return sections;
}

function configFile(env: NodeJS.ProcessEnv): { path: string; shown: string } {
  return env.AWS_CONFIG_FILE ? { path: env.AWS_CONFIG_FILE, shown: env.AWS_CONFIG_FILE } : { path: join(home(env), ".aws", "config"), shown: "~/.aws/config" };
}

function credentialsFile(env: NodeJS.ProcessEnv): { path: string; shown: string } {
  return env.AWS_SHARED_CREDENTIALS_FILE
    ? { path: env.AWS_SHARED_CREDENTIALS_FILE, shown: env.AWS_SHARED_CREDENTIALS_FILE }
    : { path: join(home(env), ".aws", "credentials"), shown: "~/.aws/credentials" };
}

/** The region the SDK would use: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`. */
export function awsRegion(env: NodeJS.ProcessEnv): AwsSetting | undefined {
  if (env.AWS_REGION) return { value: env.AWS_REGION, source: "AWS_REGION" };
  if (env.AWS_DEFAULT_REGION) return { value: env.AWS_DEFAULT_REGION, source: "AWS_DEFAULT_REGION" };
  const profile = profileName(env);
  const file = configFile(env);
  const section = profile === "default" ? "default" : `profile ${profile}`;
  const region = readIni(file.path).get(section)?.get("region");
  return region ? { value: region, source: `${file.shown} [${section}]` } : undefined;
}

/** Where credentials would come from, without checking that they are valid (that needs AWS). */
export function awsCredentialsSource(env: NodeJS.ProcessEnv): AwsSetting | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return { value: "access key", source: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" };
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return { value: "web identity", source: "AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN" };
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return { value: "container", source: "AWS_CONTAINER_CREDENTIALS_*" };
  const profile = profileName(env);
  const creds = credentialsFile(env);
  const fromCredentials = readIni(creds.path).get(profile);
  if (fromCredentials?.get("aws_access_key_id")) return { value: "access key", source: `${creds.shown} [${profile}]` };
  const config = configFile(env);
  const section = profile === "default" ? "default" : `profile ${profile}`;
  const fromConfig = readIni(config.path).get(section);
  for (const key of ["aws_access_key_id", "sso_session", "sso_start_url", "role_arn", "credential_process", "web_identity_token_file"]) {
    if (fromConfig?.get(key)) return { value: key, source: `${config.shown} [${section}]` };
  }
  return undefined;
}

/** What `awsRegion`/`awsCredentialsSource` looked at, for messages. */
export function awsPlacesChecked(env: NodeJS.ProcessEnv, what: "region" | "credentials"): string {
  const profile = profileName(env);
  return what === "region"
    ? `AWS_REGION, AWS_DEFAULT_REGION, ${configFile(env).shown} (profile ${profile})`
    : `AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE, ${credentialsFile(env).shown} and ${configFile(env).shown} (profile ${profile})`;
}
