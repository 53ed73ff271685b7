#!/usr/bin/env node
/**
 * Plan guard: checks a synthesized stack directory before `terraform init` and `terraform plan`
 * run on it with AWS credentials that can read the Terraform state (which holds every client
 * secret). The stack comes from a pull request's code, so it is untrusted input: a provider,
 * data source, module or function that runs or reads something during init/plan could send the
 * state, or the credentials, anywhere. Only what this project synthesizes passes.
 *
 * The pull-request workflow runs this file from a checkout of the BASE branch, so a pull request
 * cannot loosen the rules it is checked against. It can still edit the workflow that runs them:
 * the robust gate is the `plan` GitHub environment (a maintainer approves before any credentials
 * are issued) and the plan role's trust policy, which admits that environment only. This guard
 * is the tripwire that makes an approval safe to give for an ordinary config change.
 *
 * Usage: node check-plan-input.js <stack directory>   (e.g. cdktf.out/stacks/prod)
 * Exit 0: "plan guard: <dir>: ok". Exit 1: one `::error` line per problem (all of them).
 * Plain CommonJS on Node.js 20 with no dependencies: the job that runs it installs nothing.
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");

/** Exactly these providers, at exactly these versions (constructs pin them). */
const REQUIRED_PROVIDERS = {
  aws: { sources: ["aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws"], version: "6.25.0" },
  archive: { sources: ["hashicorp/archive", "registry.terraform.io/hashicorp/archive"], version: "2.7.1" },
};
/** Provider settings the stacks use. Others (profile, shared config files, endpoints, assume_role...) could run a credential process or redirect calls. */
const PROVIDER_SETTINGS = { aws: ["region", "default_tags", "alias"], archive: ["alias"] };
/** Data sources are read during plan: only these harmless ones. */
const DATA_SOURCES = ["archive_file", "aws_caller_identity", "aws_partition"];
/**
 * Top-level blocks: no module (init would fetch code), check, import, ephemeral, variable...
 * `removed` only as the stacks write it: forget an aws_* resource, never destroy it.
 */
const TOP_LEVEL = ["//", "terraform", "provider", "data", "resource", "output", "removed"];
const TERRAFORM_SETTINGS = ["backend", "required_providers", "required_version"];
/** `required_version` as the stacks write it: a lower bound and nothing else. */
const REQUIRED_VERSION = /^>= \d+\.\d+\.\d+$/;
const RESOURCE_ADDRESS = /^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/;
/** Only remote state is planned in CI, and only with the settings the constructs write. */
const S3_BACKEND_SETTINGS = ["bucket", "key", "region", "encrypt", "use_lockfile", "dynamodb_table", "kms_key_id"];
/** `source_content` is an expression like any other (checked below): it reads no file. */
const ARCHIVE_FILE_SETTINGS = ["//", "type", "source_file", "source_dir", "source_content", "source_content_filename", "output_path", "output_file_mode", "excludes", "depends_on"];
/** Functions an expression may call: pure ones. None reads files or strips sensitivity. */
const FUNCTIONS = [
  "jsonencode", "jsondecode", "sha1", "sha256", "sha512", "md5", "base64encode", "base64decode", "base64sha256",
  "concat", "merge", "lookup", "element", "length", "keys", "values", "join", "split", "replace", "format",
  "lower", "upper", "tolist", "toset", "tomap", "tostring", "tonumber", "distinct", "flatten", "sort", "coalesce",
];
/** Words that must not occur in any expression, whatever surrounds them (spacing and comments cannot hide a call). */
const FORBIDDEN_WORDS = [
  "file", "fileexists", "fileset", "filebase64", "filebase64sha256", "filebase64sha512", "filemd5", "filesha1",
  "filesha256", "filesha512", "templatefile", "abspath", "pathexpand", "nonsensitive", "terraform_remote_state",
];
/** Keys that name something which runs code or calls out (providers, data sources, provisioners), wherever they appear. */
const FORBIDDEN_KEYS = ["provisioner", "connection", "external", "http", "local-exec", "remote-exec", "module"];
const ENVIRONMENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

function keysOf(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A path inside the stack directory: relative, no `..`, no home or drive prefix. */
function isContainedPath(p) {
  return typeof p === "string" && p !== "" && !path.isAbsolute(p) && !/^[~\\]/.test(p) && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes("..");
}

/** Every string in the document (keys too: JSON object keys can be templates), with where it is. */
function* stringsIn(value, where) {
  if (typeof value === "string") yield { text: value, where };
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], `${where}[${i}]`);
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      yield { text: k, where: `${where}.${k} (key)` };
      yield* stringsIn(v, `${where}.${k}`);
    }
  }
}

/** Every object key anywhere under `value`, with its path. */
function* keysIn(value, where) {
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* keysIn(value[i], `${where}[${i}]`);
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      yield { key: k, where: `${where}.${k}` };
      yield* keysIn(v, `${where}.${k}`);
    }
  }
}

function checkDirectory(dir, problems) {
  // Terraform loads every *.tf / *.tf.json / *.tfvars of the directory and reuses providers found
  // under .terraform/ that match a lock file: only the synthesized JSON and its assets may be there.
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "cdk.tf.json" && entry.isFile()) continue;
    if (entry.name === "assets" && entry.isDirectory()) continue;
    problems.push(`unexpected ${entry.isDirectory() ? "directory" : "file"} ${entry.name} in the stack directory (only cdk.tf.json and assets/ may be there)`);
  }
  const assets = path.join(dir, "assets");
  if (!fs.existsSync(assets)) return;
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isSymbolicLink()) problems.push(`symbolic link ${path.relative(dir, full)} in the stack's assets`);
      else if (entry.isDirectory()) walk(full);
    }
  };
  walk(assets);
}

function checkTerraformBlock(tf, problems) {
  for (const k of keysOf(tf)) if (!TERRAFORM_SETTINGS.includes(k)) problems.push(`terraform.${k} is not allowed (only ${TERRAFORM_SETTINGS.join(", ")})`);
  if (tf.required_version !== undefined && !(typeof tf.required_version === "string" && REQUIRED_VERSION.test(tf.required_version))) {
    problems.push(`terraform.required_version must be a lower bound such as ">= 1.10.0", found ${JSON.stringify(tf.required_version)}`);
  }

  const providers = tf.required_providers;
  const names = keysOf(providers).sort();
  const expected = Object.keys(REQUIRED_PROVIDERS).sort();
  if (names.join(",") !== expected.join(",")) {
    problems.push(`terraform.required_providers must be exactly ${expected.join(" and ")}, found ${names.length === 0 ? "none" : names.join(", ")}`);
  }
  for (const [name, rule] of Object.entries(REQUIRED_PROVIDERS)) {
    const p = providers && providers[name];
    if (!isPlainObject(p)) continue;
    for (const k of keysOf(p)) if (k !== "source" && k !== "version") problems.push(`terraform.required_providers.${name}.${k} is not allowed`);
    if (!rule.sources.includes(p.source)) problems.push(`terraform.required_providers.${name}.source must be ${rule.sources[rule.sources.length - 1]}, found ${JSON.stringify(p.source)}`);
    if (p.version !== rule.version) problems.push(`terraform.required_providers.${name}.version must be exactly ${rule.version}, found ${JSON.stringify(p.version)}`);
  }

  const backend = tf.backend;
  const types = keysOf(backend);
  if (types.length !== 1 || types[0] !== "s3") {
    problems.push(`terraform.backend must be s3 (CI plans only environments with remote state), found ${types.length === 0 ? "none" : types.join(", ")}`);
  } else {
    for (const k of keysOf(backend.s3)) if (!S3_BACKEND_SETTINGS.includes(k)) problems.push(`terraform.backend.s3.${k} is not allowed (only ${S3_BACKEND_SETTINGS.join(", ")})`);
  }
}

function checkProviders(providers, problems) {
  for (const [name, configs] of Object.entries(providers || {})) {
    const allowed = PROVIDER_SETTINGS[name];
    if (!allowed) {
      problems.push(`provider ${name} is not allowed (only ${Object.keys(PROVIDER_SETTINGS).join(", ")})`);
      continue;
    }
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      for (const k of keysOf(config)) if (!allowed.includes(k)) problems.push(`provider ${name} setting ${k} is not allowed (only ${allowed.join(", ")})`);
    }
  }
}

function checkDataSources(data, problems) {
  for (const [type, instances] of Object.entries(data || {})) {
    if (!DATA_SOURCES.includes(type)) {
      problems.push(`data source ${type} is not allowed (only ${DATA_SOURCES.join(", ")})`);
      continue;
    }
    if (type !== "archive_file") continue;
    for (const [name, config] of Object.entries(instances || {})) {
      for (const k of keysOf(config)) if (!ARCHIVE_FILE_SETTINGS.includes(k)) problems.push(`data.archive_file.${name}.${k} is not allowed`);
      // The archive is read and written during plan: both paths stay inside the stack directory.
      for (const k of ["source_file", "source_dir", "source_content_filename", "output_path"]) {
        if (config && config[k] !== undefined && !isContainedPath(config[k])) problems.push(`data.archive_file.${name}.${k} must be a relative path inside the stack directory, found ${JSON.stringify(config[k])}`);
      }
    }
  }
}

function checkRemovedBlocks(removed, problems) {
  if (removed === undefined) return;
  if (!Array.isArray(removed)) return problems.push("removed must be a list of blocks");
  removed.forEach((block, i) => {
    const where = `removed[${i}]`;
    for (const k of keysOf(block)) if (k !== "from" && k !== "lifecycle") problems.push(`${where}.${k} is not allowed (only from, lifecycle)`);
    if (!(block && typeof block.from === "string" && RESOURCE_ADDRESS.test(block.from))) problems.push(`${where}.from must be the address of an aws_* resource, found ${JSON.stringify(block && block.from)}`);
    const lifecycle = block && block.lifecycle;
    if (!(isPlainObject(lifecycle) && keysOf(lifecycle).join(",") === "destroy" && lifecycle.destroy === false)) problems.push(`${where}.lifecycle must be exactly { destroy = false } (forget, never destroy)`);
  });
}

function checkResources(resources, problems) {
  for (const type of Object.keys(resources || {})) {
    if (!type.startsWith("aws_")) problems.push(`resource type ${type} is not allowed (only aws_* resources)`);
  }
}

/** The bodies of the `${ ... }` / `%{ ... }` sequences of a template string (nesting counted): the only text Terraform evaluates. */
function expressionsIn(text) {
  const out = [];
  const start = /[$%]\{/g;
  let match;
  while ((match = start.exec(text)) !== null) {
    let depth = 1;
    let j = match.index + 2;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}") depth--;
    }
    out.push(text.slice(match.index + 2, depth === 0 ? j - 1 : j));
    start.lastIndex = j;
  }
  return out;
}

function checkExpressions(doc, problems) {
  for (const { key, where } of keysIn(doc, "$")) {
    if (FORBIDDEN_KEYS.includes(key)) problems.push(`${where}: ${key} is not allowed (no provisioners, external or http, modules)`);
  }
  const forbidden = new RegExp(`(^|[^A-Za-z0-9_-])(${FORBIDDEN_WORDS.map((w) => w.replace(/-/g, "\\-")).join("|")})(?![A-Za-z0-9_-])`);
  for (const { text, where } of stringsIn(doc, "$")) {
    if (!text.includes("${") && !text.includes("%{")) continue; // plain text: no expression to evaluate
    const word = forbidden.exec(text);
    if (word) problems.push(`${where}: expression mentions ${word[2]}, which is not allowed`);
    // Calls count inside interpolations only: literal text around them (an OpenAPI document's
    // descriptions) is not evaluated. Forbidden words above are still refused anywhere.
    for (const expression of expressionsIn(text)) {
      for (const call of expression.matchAll(/([A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z0-9_]+)*)\s*\(/g)) {
        if (!FUNCTIONS.includes(call[1])) problems.push(`${where}: function ${call[1]}() is not allowed`);
      }
    }
  }
}

/** Every problem of the stack in `dir`; empty when the plan may run. */
function checkStack(dir) {
  const problems = [];
  const name = path.basename(path.resolve(dir));
  if (!ENVIRONMENT_NAME.test(name)) problems.push(`stack directory name ${JSON.stringify(name)} is not an environment name`);
  const file = path.join(dir, "cdk.tf.json");
  if (!fs.existsSync(file)) return [...problems, `no cdk.tf.json in ${dir}`];
  checkDirectory(dir, problems);

  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return [...problems, `cdk.tf.json is not JSON: ${error.message}`];
  }
  if (!isPlainObject(doc)) return [...problems, "cdk.tf.json is not a JSON object"];
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.includes(k)) problems.push(`top-level block ${k} is not allowed (only ${TOP_LEVEL.join(", ")})`);
  checkTerraformBlock(doc.terraform || {}, problems);
  checkProviders(doc.provider, problems);
  checkDataSources(doc.data, problems);
  checkResources(doc.resource, problems);
  checkRemovedBlocks(doc.removed, problems);
  checkExpressions(doc, problems);
  return problems;
}

module.exports = { checkStack };

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3) {
    process.stderr.write("usage: node check-plan-input.js <stack directory>\n");
    process.exit(2);
  }
  const problems = checkStack(dir);
  if (problems.length > 0) {
    // `::error` lines: GitHub shows each as an annotation. Messages name keys and types, never values from state.
    for (const p of problems) process.stdout.write(`::error title=plan guard (${path.basename(path.resolve(dir))})::${p}\n`);
    process.stdout.write(`plan guard: ${dir}: ${problems.length} problem${problems.length === 1 ? "" : "s"}; no credentials were used, terraform did not run\n`);
    process.exit(1);
  }
  process.stdout.write(`plan guard: ${dir}: ok\n`);
}
