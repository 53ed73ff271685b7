/**
 * A working copy of one synthesized stack that Terraform can run offline against the mirror's
 * provider: `cdktf.out/stacks/<env>/cdk.tf.json` (+ assets) becomes `<copy>/main.tf.json` with
 *  - hashicorp/aws pinned to the mirror's version, the archive provider gone, no backend
 *    (local state inside the copy);
 *  - placeholder credentials and the provider's skip_* options (nothing checks them);
 *  - every `data.archive_file` replaced by the zip the harness writes (verify/deterministic-zip)
 *    and its attributes by literals (`source` blocks: see sourceEntries);
 *  - data sources that need the network given fixed values (the plan variant), or served by the
 *    emulator (the emulator variant, whose `endpoints` all point at moto_server);
 *  - every argument checked against 5.100's schema (verify/provider-bridge).
 * The synthesized stack itself is never modified.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseJsonencode } from "../security/hcl-value";
import { deterministicZip, archiveEntries, type ZipEntry } from "./deterministic-zip";
import { EMULATOR_ADAPTATIONS } from "./emulator-adaptations";
import { EMULATOR_EXCLUSIONS, exclusionFor } from "./emulator-exclusions";
import { ALL_SERVICES, serviceOf } from "./emulator-services";
import { bridgeStack } from "./provider-bridge";
import type { ProviderWorkspace } from "./provider-workspace";
import { MIRROR_PROVIDER_VERSION } from "./terraform-cli";

/** moto's default account: the plan variant's fixed account id agrees with the emulator's. */
export const PLACEHOLDER_ACCOUNT_ID = "123456789012";

export type CopyVariant = { readonly kind: "plan" } | { readonly kind: "emulator"; readonly endpoint: string };

export interface ExcludedResource {
  readonly address: string;
  readonly reason: string;
}

export interface WorkingCopy {
  readonly dir: string;
  /** Resources left out of an emulator copy, with the reason (empty for the plan variant). */
  readonly excluded: readonly ExcludedResource[];
  /** Resources an emulator copy changed so moto can apply them, with the reason. */
  readonly adapted: readonly ExcludedResource[];
}

export class WorkingCopyError extends Error {
  constructor(stack: string, problems: readonly string[]) {
    super(`${stack}: cannot build an offline working copy:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "WorkingCopyError";
  }
}

type Json = Record<string, any>;
type Literal = string | number;

/** Fixed values for data sources that would call AWS in a plan without an emulator. */
const FIXED_DATA_VALUES: Record<string, (name: string) => Record<string, Literal>> = {
  aws_caller_identity: () => ({
    account_id: PLACEHOLDER_ACCOUNT_ID,
    arn: `arn:aws:iam::${PLACEHOLDER_ACCOUNT_ID}:user/placeholder`,
    id: PLACEHOLDER_ACCOUNT_ID,
    user_id: "AIDAPLACEHOLDER",
  }),
};

/** Deep-maps every string of a JSON value. */
function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replaces references to `address` (e.g. `data.archive_file.x`) by literal values, inside the
 * sections that hold expressions. A reference to an attribute without a value is a problem.
 */
function substitute(json: Json, address: string, values: Record<string, Literal>, problems: string[]): void {
  const whole = new RegExp(`^\\$\\{${escapeRegExp(address)}\\.(\\w+)\\}$`);
  const inner = new RegExp(`\\b${escapeRegExp(address)}\\.(\\w+)\\b`, "g");
  const rewrite = (s: string): string => {
    const exact = whole.exec(s);
    if (exact) {
      const value = values[exact[1]!];
      if (value === undefined) problems.push(`${address}.${exact[1]}: no fixed value for this attribute`);
      return value === undefined ? s : String(value);
    }
    if (!s.includes(address)) return s;
    return s.replace(inner, (match, attribute: string) => {
      const value = values[attribute];
      if (value === undefined) {
        problems.push(`${address}.${attribute}: no fixed value for this attribute`);
        return match;
      }
      return JSON.stringify(String(value));
    });
  };
  for (const section of ["resource", "data", "output", "locals"]) if (json[section]) json[section] = mapStrings(json[section], rewrite);
  // A depends_on on the removed block goes: the literal carries everything it provided.
  for (const section of ["resource", "data"]) {
    for (const byName of Object.values((json[section] ?? {}) as Json)) {
      for (const body of Object.values(byName as Json) as Json[]) {
        if (Array.isArray(body.depends_on)) {
          body.depends_on = body.depends_on.filter((d: string) => d !== address);
          if (body.depends_on.length === 0) delete body.depends_on;
        }
      }
    }
  }
}

function archiveLiterals(zip: Buffer, outputPath: string): Record<string, Literal> {
  const digest = (algorithm: string) => crypto.createHash(algorithm).update(zip);
  return {
    id: digest("sha1").digest("hex"),
    output_path: outputPath,
    output_size: zip.length,
    output_md5: digest("md5").digest("hex"),
    output_sha: digest("sha1").digest("hex"),
    output_sha256: digest("sha256").digest("hex"),
    output_base64sha256: digest("sha256").digest("base64"),
    output_sha512: digest("sha512").digest("hex"),
    output_base64sha512: digest("sha512").digest("base64"),
  };
}

function copyStackFiles(stackDir: string, target: string): void {
  for (const entry of fs.readdirSync(stackDir)) {
    // Terraform's own files and any state stay behind: the copy starts clean.
    if (entry === "cdk.tf.json" || entry.startsWith(".terraform") || entry.includes("tfstate") || entry.endsWith(".tfplan")) continue;
    fs.cpSync(path.join(stackDir, entry), path.join(target, entry), { recursive: true });
  }
}

/**
 * The entries of `source { filename, content }` blocks (or of `source_content` with its filename).
 * A content is a literal, `${file("<path>")}` (read from the stack directory), or
 * `${jsonencode(...)}` (the scope checker's access file):
 * its references, which only an apply can resolve, are written as their `${address}` text, so
 * the bytes (and the code hash) still change whenever the list of references does.
 */
function sourceEntries(address: string, sources: unknown, resolve: (p: string) => string | undefined, problems: string[]): ZipEntry[] | undefined {
  const blocks = Array.isArray(sources) ? sources : [sources];
  const entries: ZipEntry[] = [];
  for (const block of blocks as Json[]) {
    const { filename, content } = block ?? {};
    if (typeof filename !== "string" || typeof content !== "string") {
      problems.push(`${address}: a source block needs a literal filename and content`);
      return undefined;
    }
    const file = /^\$\{file\("([^"$]+)"\)\}$/.exec(content);
    const encoded = file ? undefined : parseJsonencode(content);
    if (file) entries.push({ name: filename, data: fs.readFileSync(resolve(file[1]!)!) });
    else if (encoded !== undefined) entries.push({ name: filename, data: Buffer.from(JSON.stringify(encoded), "utf8") });
    else if (!content.includes("${")) entries.push({ name: filename, data: Buffer.from(content, "utf8") });
    else {
      problems.push(`${address}: source ${filename}: only literal, file(...) or jsonencode(...) contents are supported`);
      return undefined;
    }
  }
  return entries;
}

/** Resolves every data.archive_file to a zip written in the copy. */
function resolveArchives(json: Json, stackDir: string, target: string, problems: string[]): void {
  const archives = (json.data?.archive_file ?? {}) as Record<string, Json>;
  for (const [name, body] of Object.entries(archives)) {
    const address = `data.archive_file.${name}`;
    const known = new Set(["//", "type", "source_file", "source_dir", "source", "source_content", "source_content_filename", "output_path", "output_file_mode"]);
    const unknown = Object.keys(body).filter((k) => !known.has(k));
    if (unknown.length > 0 || body.type !== "zip" || typeof body.output_path !== "string" || body.output_path.includes("${")) {
      problems.push(`${address}: only a literal zip of source_file/source_dir/source_content/source is supported (unsupported: ${[...unknown, body.type !== "zip" ? `type ${body.type}` : ""].filter(Boolean).join(", ") || "output_path expression"})`);
      continue;
    }
    const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(stackDir, p));
    const entries =
      body.source !== undefined
        ? sourceEntries(address, body.source, resolve, problems)
        : body.source_content !== undefined
          ? sourceEntries(address, [{ filename: body.source_content_filename, content: body.source_content }], resolve, problems)
          : archiveEntries({ file: resolve(body.source_file), dir: resolve(body.source_dir) });
    if (entries === undefined) continue;
    const zip = deterministicZip(entries, body.output_file_mode ?? "0666");
    fs.mkdirSync(path.dirname(path.join(target, body.output_path)), { recursive: true });
    fs.writeFileSync(path.join(target, body.output_path), zip);
    substitute(json, address, archiveLiterals(zip, body.output_path), problems);
  }
  if (json.data) delete json.data.archive_file;
}

function fixNetworkDataSources(json: Json, variant: CopyVariant, problems: string[]): void {
  for (const [type, byName] of Object.entries((json.data ?? {}) as Json)) {
    const service = serviceOf(type);
    if (service === "offline") continue;
    if (variant.kind === "emulator" && service) continue; // served by moto
    const fixed = FIXED_DATA_VALUES[type];
    if (!fixed) {
      problems.push(`data.${type}: needs the network and has no fixed value in the working copy`);
      continue;
    }
    for (const name of Object.keys(byName)) substitute(json, `data.${type}.${name}`, fixed(name), problems);
    delete json.data[type];
  }
  if (json.data && Object.keys(json.data).length === 0) delete json.data;
}

function pinProviders(json: Json, problems: string[]): void {
  const tf = (json.terraform ??= {});
  delete tf.backend; // local state, in the copy
  delete tf.cloud;
  const required = (tf.required_providers ??= {});
  for (const name of Object.keys(required)) {
    if (name === "archive") delete required[name];
    else if (name !== "aws") problems.push(`terraform.required_providers.${name}: only aws (and archive, resolved by the harness) can run offline`);
  }
  required.aws = { source: "hashicorp/aws", version: MIRROR_PROVIDER_VERSION };
  if (json.provider) delete json.provider.archive;
  for (const name of Object.keys(json.provider ?? {})) if (name !== "aws") problems.push(`provider.${name}: not available offline`);
}

function configureAws(json: Json, variant: CopyVariant, services: ReadonlySet<string>): string | undefined {
  const blocks = (json.provider?.aws ?? [{}]) as Json[];
  for (const block of blocks) {
    Object.assign(block, {
      access_key: "AKIAPLACEHOLDER00000",
      secret_key: "placeholder-secret-key-not-a-credential",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
    if (variant.kind === "emulator") {
      block.endpoints = [Object.fromEntries([...services].sort().map((s) => [s, variant.endpoint]))];
      block.s3_use_path_style = true;
      // The emulator does not throttle: a 500 from it is a defect to show now, not to retry for minutes.
      block.max_retries = 2;
    }
  }
  (json.provider ??= {}).aws = blocks;
  return blocks[0]?.region;
}

/** Leaves excluded resources out of an emulator copy; refuses when something still refers to one. */
function applyExclusions(json: Json, problems: string[]): ExcludedResource[] {
  const excluded: ExcludedResource[] = [];
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Json)) {
    if (!EMULATOR_EXCLUSIONS.some((e) => e.type === type)) continue;
    for (const [name, body] of Object.entries(byName as Json)) {
      const exclusion = exclusionFor(type, body as Json);
      if (!exclusion) continue;
      excluded.push({ address: `${type}.${name}`, reason: exclusion.reason });
      delete json.resource[type][name];
    }
    if (Object.keys(json.resource[type]).length === 0) delete json.resource[type];
  }
  if (excluded.length === 0) return excluded;
  const addresses = new Set(excluded.map((e) => e.address));
  for (const byName of Object.values((json.resource ?? {}) as Json)) {
    for (const body of Object.values(byName as Json) as Json[]) {
      if (Array.isArray(body.depends_on)) {
        body.depends_on = body.depends_on.filter((d: string) => !addresses.has(d));
        if (body.depends_on.length === 0) delete body.depends_on;
      }
    }
  }
  const text = JSON.stringify({ resource: json.resource, output: json.output, data: json.data });
  for (const address of addresses) if (new RegExp(`\\b${escapeRegExp(address)}\\b`).test(text)) problems.push(`${address}: excluded from the emulator apply but still referred to`);
  return excluded;
}

/** Applies verify/emulator-adaptations to an emulator copy. */
function applyAdaptations(json: Json, problems: string[]): ExcludedResource[] {
  const adapted: ExcludedResource[] = [];
  for (const adaptation of EMULATOR_ADAPTATIONS) {
    const outputs = adaptation.type === "output";
    for (const [name, body] of Object.entries(((outputs ? json.output : json.resource?.[adaptation.type]) ?? {}) as Json)) {
      try {
        if (adaptation.adapt(body)) adapted.push({ address: `${outputs ? "output" : adaptation.type}.${name}`, reason: adaptation.reason });
      } catch (error) {
        problems.push(`${adaptation.type}.${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return adapted;
}

export interface BuildOptions {
  /** `cdktf.out/stacks/<env>`. */
  readonly stackDir: string;
  /** An empty or absent directory that becomes the copy. */
  readonly target: string;
  readonly workspace: ProviderWorkspace;
  readonly variant: CopyVariant;
  /** Edits the stack JSON before it is bridged (tests reconstruct old designs this way). */
  readonly edit?: (json: Json) => void;
}

export function buildWorkingCopy(options: BuildOptions): WorkingCopy {
  const { stackDir, target, workspace, variant } = options;
  const stack = path.basename(stackDir);
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as Json;
  options.edit?.(json);
  fs.mkdirSync(target, { recursive: true });
  copyStackFiles(stackDir, target);

  const problems: string[] = [];
  pinProviders(json, problems);
  resolveArchives(json, stackDir, target, problems);
  fixNetworkDataSources(json, variant, problems);
  // Adaptations first: one may detach a reference to a resource the exclusions then leave out.
  const adapted = variant.kind === "emulator" ? applyAdaptations(json, problems) : [];
  const excluded = variant.kind === "emulator" ? applyExclusions(json, problems) : [];

  const services = new Set<string>(ALL_SERVICES);
  for (const section of ["resource", "data"]) {
    for (const type of Object.keys(json[section] ?? {})) {
      const service = serviceOf(type);
      if (service === undefined) problems.push(`${section === "data" ? "data." : ""}${type}: no known service endpoint; the emulator variant could reach real AWS`);
      else if (service !== "offline") services.add(service);
    }
  }
  const region = configureAws(json, variant, services);
  if (problems.length > 0) throw new WorkingCopyError(stack, problems);
  bridgeStack(stack, json, workspace.schema, { providerRegion: region });

  fs.writeFileSync(path.join(target, "main.tf.json"), `${JSON.stringify(json, null, 2)}\n`);
  workspace.linkInto(target);
  return { dir: target, excluded, adapted };
}
