/**
 * Rules of the partner edge (custom domains, mutual TLS, certificate-bound clients) that relate
 * fields to each other or to files: mutual TLS needs a custom domain, every truststore file is
 * read and each certificate in it parsed (node:crypto), a client may be bound to a certificate
 * only where a truststore exists, a route requiring a bound certificate must use the scope checker
 * (only it sees the connection's certificate) and every environment must have mutual TLS.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { X509Certificate } from "node:crypto";
import { PROJECT_ROOT } from "./handler-exports";
import { QUOTAS } from "./aws-limits";
import type { ConfigProblem } from "./problems";

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export type TruststoreFile = { readonly ok: true; readonly pems: readonly string[] } | { readonly ok: false; readonly problem: string };

/** A CA file's certificates, each parsed and re-encoded by node:crypto, or why it cannot serve. */
export function readTruststoreFile(file: string, projectRoot: string = PROJECT_ROOT): TruststoreFile {
  if (path.isAbsolute(file) || file.split(/[\\/]/).includes("..")) return { ok: false, problem: "must be a path inside the project (relative, no ..)" };
  let text: string;
  try {
    text = readFileSync(path.join(projectRoot, file), "utf8");
  } catch {
    return { ok: false, problem: "must be a readable file (relative to the project root)" };
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, problem: "must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)" };
  const pems: string[] = [];
  for (const [k, block] of blocks.entries()) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch (err) {
      return { ok: false, problem: `certificate ${k + 1} does not parse as X.509 (${typeof (err as { message?: unknown })?.message === "string" ? (err as { message: string }).message : "unreadable"})` };
    }
    if (!cert.ca) return { ok: false, problem: `certificate ${k + 1} (${cert.subject.replace(/\n/g, ",")}) is not a CA certificate (basicConstraints CA:TRUE): a truststore holds the CAs that issue client certificates` };
    pems.push(cert.toString().trim());
  }
  return { ok: true, pems };
}

/** The truststore object's content: every file's certificates, in order (see MutualTls.truststorePem). */
export function truststorePem(files: readonly string[], projectRoot: string = PROJECT_ROOT): string {
  return `${files.flatMap((f) => {
    const read = readTruststoreFile(f, projectRoot);
    if (!read.ok) throw new Error(`${f}: ${read.problem}`); // validated config: cannot happen
    return read.pems;
  }).join("\n")}\n`;
}

/** Whether a client is bound to a certificate in an environment (its override's, or its own). */
function boundIn(client: Raw, env: string): boolean {
  const override = isObject(client.overrides) ? client.overrides[env] : undefined;
  return (isObject(override) && override.certificate !== undefined) || client.certificate !== undefined;
}

export interface EdgeCheckInput {
  readonly environments: unknown[];
  readonly clients: unknown[];
  /** Every API's routes with where they are (`routes`, `apis[1].routes`). */
  readonly routeLists: readonly { readonly routes: unknown[]; readonly at: string }[];
  readonly projectRoot?: string;
  /** How many APIs (resource servers) the config defines. */
  readonly apiCount: number;
}

export function checkEdge(problems: ConfigProblem[], input: EdgeCheckInput): void {
  const withoutMtls: string[] = [];
  input.environments.forEach((env, i) => {
    if (!isObject(env)) return;
    const at = `environments[${i}]`;
    const domain = isObject(env.customDomain) ? env.customDomain : undefined;
    if (domain && typeof domain.tokenDomainName === "string" && domain.tokenDomainName === domain.apiDomainName) {
      problems.push({ path: `${at}.customDomain.tokenDomainName`, rule: "must differ from apiDomainName (the token endpoint is a Cognito domain, the APIs an API Gateway domain)", value: domain.tokenDomainName });
    }
    if (!isObject(env.mtls)) {
      if (typeof env.name === "string") withoutMtls.push(env.name);
      return;
    }
    if (!domain) problems.push({ path: `${at}.mtls`, rule: "needs customDomain: API Gateway offers mutual TLS on custom domains only", value: env.mtls });
    arrayOf(env.mtls.truststoreFiles).forEach((file, k) => {
      if (typeof file !== "string" || file === "") return;
      const read = readTruststoreFile(file, input.projectRoot);
      if (!read.ok) problems.push({ path: `${at}.mtls.truststoreFiles[${k}]`, rule: read.problem, value: file });
    });
  });
  // While identifiers move (`both`) every API has two resource servers and every scope two identifiers.
  input.environments.forEach((env, i) => {
    if (!isObject(env) || !isObject(env.customDomain) || env.customDomain.scopeIdentifiers !== "both") return;
    const at = `environments[${i}].customDomain.scopeIdentifiers`;
    if (input.apiCount * 2 > QUOTAS.resourceServersPerPool) {
      problems.push({ path: at, rule: `makes ${input.apiCount * 2} resource servers (two per API while identifiers move); Cognito allows ${QUOTAS.resourceServersPerPool} per user pool: move the APIs in groups`, value: "both" });
    }
    input.clients.forEach((client, k) => {
      const count = isObject(client) && Array.isArray(client.scopes) ? client.scopes.length : 0;
      const inEnv = isObject(client) && (!Array.isArray(client.environments) || client.environments.includes(env.name));
      if (inEnv && count * 2 > QUOTAS.scopesPerClient) {
        problems.push({ path: `clients[${k}].scopes`, rule: `make ${count * 2} allowed scopes in environment ${String(env.name)} while its identifiers move (two per scope); Cognito allows ${QUOTAS.scopesPerClient} per app client`, value: `${count} scopes` });
      }
    });
  });
  const envNames = new Set(input.environments.map((e) => (isObject(e) && typeof e.name === "string" ? e.name : undefined)).filter((n): n is string => n !== undefined));
  input.clients.forEach((client, i) => {
    if (!isObject(client)) return;
    const own = Array.isArray(client.environments) ? client.environments.filter((e): e is string => typeof e === "string" && envNames.has(e)) : [...envNames];
    for (const env of own) {
      if (!boundIn(client, env) || !withoutMtls.includes(env)) continue;
      const override = isObject(client.overrides) ? client.overrides[env] : undefined;
      const where = isObject(override) && override.certificate !== undefined ? `clients[${i}].overrides[${JSON.stringify(env)}].certificate` : `clients[${i}].certificate`;
      problems.push({ path: where, rule: `binds the client to a certificate in environment ${env}, which has no truststore (environments: mtls): no certificate would ever be presented`, value: isObject(override) && override.certificate !== undefined ? override.certificate : client.certificate });
    }
  });
  for (const { routes, at } of input.routeLists) {
    routes.forEach((route, k) => {
      if (!isObject(route) || route.requireBoundCertificate !== true) return;
      if (route.authorizer !== "scope-checker") {
        problems.push({ path: `${at}[${k}].requireBoundCertificate`, rule: 'needs authorizer: "scope-checker" (only the scope checker sees the connection\'s certificate)', value: true });
      }
      for (const env of withoutMtls) {
        problems.push({ path: `${at}[${k}].requireBoundCertificate`, rule: `needs mutual TLS in every environment: environment ${env} has no mtls, so no client there could be bound`, value: true });
      }
    });
  }
}
