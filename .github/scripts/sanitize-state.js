#!/usr/bin/env node
/**
 * Turns a Terraform state (format version 4, as `terraform state pull` prints it) into a
 * snapshot a pull request may plan against: every value the provider schema marks sensitive,
 * and every value the state's own `sensitive_attributes` lists, is replaced by null; provider
 * private data is dropped; sensitive outputs lose their value; and any remaining string that
 * still CONTAINS a removed value (a secret copied into `tags_all` through provider default_tags,
 * a JSON document embedding it) is replaced too. Run by the trusted snapshot job on main's code
 * only (.github/workflows/state-snapshot.yml); the pull-request plan job never sees the state.
 *
 * Fails closed: a resource type the schema does not describe, or input that is not a version 4
 * state, ends the run with exit 1 and no output file.
 *
 * Usage: node sanitize-state.js <state.json> <schema.json> <out.json>
 *   schema.json: `terraform providers schema -json` of the same configuration.
 * Prints one summary line (counts and attribute paths, never values).
 * Plain CommonJS without dependencies (runs before anything is installed).
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { parseStrictJson } = require(path.join(__dirname, "..", "plan-guard", "strict-json.js"));

/**
 * Attributes removed whatever the schema says: the project's own secrets. A belt to the
 * schema's braces, so a schema file for the wrong provider version cannot let them through.
 */
const ALWAYS_SENSITIVE = {
  aws_cognito_user_pool_client: ["client_secret"],
  aws_secretsmanager_secret_version: ["secret_string", "secret_binary", "secret_string_wo"],
};
/** Shorter removed strings are not searched for elsewhere (`true`, short ids would match everywhere). */
const MIN_COPY_LENGTH = 8;

class SanitizeError extends Error {}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * A removed value to look for elsewhere: only a sensitive value that is itself a string (a
 * client secret, a whole secret_string document). The strings inside a composite value (the
 * client_secrets output) include ids that are not secret and appear everywhere.
 */
function collectStrings(value, into) {
  if (typeof value === "string") into.push(value);
}

/** Nulls the schema's sensitive attributes of `attrs` (a block's values), recursing into nested blocks. */
function applySchema(block, attrs, where, removed, paths) {
  if (!isObject(attrs) || !block) return;
  for (const [name, spec] of Object.entries(block.attributes ?? {})) {
    if (spec.sensitive && attrs[name] !== undefined && attrs[name] !== null) {
      collectStrings(attrs[name], removed);
      attrs[name] = null;
      paths.push(`${where}.${name}`);
    }
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const value = attrs[name];
    if (value === undefined || value === null) continue;
    const at = `${where}.${name}`;
    if (nested.nesting_mode === "single" || nested.nesting_mode === "group") applySchema(nested.block, value, at, removed, paths);
    else if (nested.nesting_mode === "map") for (const [k, v] of Object.entries(value)) applySchema(nested.block, v, `${at}[${JSON.stringify(k)}]`, removed, paths);
    else if (Array.isArray(value)) value.forEach((v, i) => applySchema(nested.block, v, `${at}[${i}]`, removed, paths));
  }
}

/** Nulls the value at one `sensitive_attributes` path (`[{type: "get_attr", value: "x"}, {type: "index", value: {value: 0, type: "number"}}]`). */
function applyPath(attrs, steps, where, removed, paths) {
  let parent = null;
  let key = null;
  let node = attrs;
  const shown = [where];
  for (const step of steps) {
    if (node === null || typeof node !== "object") return;
    const k = step.type === "get_attr" ? step.value : step.type === "index" ? (isObject(step.value) ? step.value.value : step.value) : undefined;
    if (k === undefined) throw new SanitizeError(`${where}: unknown sensitive_attributes step ${JSON.stringify(step.type)}`);
    parent = node;
    key = k;
    node = node[k];
    shown.push(step.type === "get_attr" ? `.${k}` : `[${JSON.stringify(k)}]`);
  }
  if (parent === null || node === undefined || node === null) return;
  collectStrings(node, removed);
  parent[key] = null;
  paths.push(shown.join(""));
}

/** Replaces every string containing a removed value; returns the paths replaced. */
function redactCopies(value, secrets, where, paths) {
  if (typeof value === "string") return secrets.some((s) => value.includes(s)) ? (paths.push(where), null) : value;
  if (Array.isArray(value)) return value.map((v, i) => redactCopies(v, secrets, `${where}[${i}]`, paths));
  if (isObject(value)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (secrets.some((s) => k.includes(s))) {
        paths.push(`${where} (key)`);
        continue;
      }
      out[k] = redactCopies(v, secrets, `${where}.${k}`, paths);
    }
    return out;
  }
  return value;
}

/** The schema of one resource or data source type, from any provider of the schema file. */
function schemaOf(schema, mode, type) {
  const key = mode === "data" ? "data_source_schemas" : "resource_schemas";
  for (const provider of Object.values(schema.provider_schemas ?? {})) {
    const found = provider[key]?.[type];
    if (found) return found.block;
  }
  return undefined;
}

/**
 * The sanitized state and what was removed (paths only).
 * @returns {{ state: object, removedPaths: string[], copyPaths: string[] }}
 */
function sanitizeState(state, schema) {
  if (!isObject(state) || state.version !== 4 || !Array.isArray(state.resources)) throw new SanitizeError("not a Terraform state of format version 4");
  if (!isObject(schema) || !isObject(schema.provider_schemas)) throw new SanitizeError("not the output of terraform providers schema -json");
  const out = structuredClone(state);
  const removed = [];
  const removedPaths = [];
  for (const resource of out.resources) {
    const address = `${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
    const block = schemaOf(schema, resource.mode, resource.type);
    if (!block) throw new SanitizeError(`no schema for ${resource.mode} ${resource.type} (${address}); nothing published`);
    for (const instance of resource.instances ?? []) {
      const where = `${address}${instance.index_key === undefined ? "" : `[${JSON.stringify(instance.index_key)}]`}`;
      if (!isObject(instance.attributes)) {
        if (instance.attributes_flat !== undefined) throw new SanitizeError(`${where}: flat attributes (state from Terraform < 0.12) are not supported`);
        continue;
      }
      applySchema(block, instance.attributes, where, removed, removedPaths);
      for (const name of ALWAYS_SENSITIVE[resource.type] ?? []) {
        if (instance.attributes[name] !== undefined && instance.attributes[name] !== null) {
          collectStrings(instance.attributes[name], removed);
          instance.attributes[name] = null;
          removedPaths.push(`${where}.${name}`);
        }
      }
      for (const steps of instance.sensitive_attributes ?? []) applyPath(instance.attributes, Array.isArray(steps) ? steps : [steps], where, removed, removedPaths);
      delete instance.private; // provider-private bytes (base64): opaque, so never published
    }
  }
  for (const [name, output] of Object.entries(out.outputs ?? {})) {
    if (output.sensitive) {
      collectStrings(output.value, removed);
      output.value = null;
      removedPaths.push(`output.${name}`);
    }
  }
  const secrets = [...new Set(removed)].filter((s) => s.length >= MIN_COPY_LENGTH);
  const copyPaths = [];
  const state2 = secrets.length === 0 ? out : { ...out, resources: redactCopies(out.resources, secrets, "resources", copyPaths), outputs: redactCopies(out.outputs ?? {}, secrets, "outputs", copyPaths) };
  return { state: state2, removedPaths: [...new Set(removedPaths)].sort(), copyPaths };
}

module.exports = { sanitizeState, SanitizeError, ALWAYS_SENSITIVE };

if (require.main === module) {
  const [stateFile, schemaFile, outFile, ...rest] = process.argv.slice(2);
  if (!stateFile || !schemaFile || !outFile || rest.length > 0) {
    process.stderr.write("usage: node sanitize-state.js <state.json> <schema.json> <out.json>\n");
    process.exit(2);
  }
  try {
    const state = parseStrictJson(fs.readFileSync(stateFile, "utf8"));
    const schema = parseStrictJson(fs.readFileSync(schemaFile, "utf8"));
    const { state: clean, removedPaths, copyPaths } = sanitizeState(state, schema);
    fs.writeFileSync(outFile, `${JSON.stringify(clean, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(`sanitize-state: ${removedPaths.length} sensitive value(s) removed, ${copyPaths.length} copy(ies) of them removed elsewhere${copyPaths.length > 0 ? ` (${copyPaths.join(", ")})` : ""} -> ${outFile}\n`);
  } catch (error) {
    const message = error instanceof SanitizeError || error.name === "StrictJsonError" ? error.message : `unexpected error: ${error.message}`;
    process.stdout.write(`::error title=state snapshot not published::${message.replace(/[\r\n]/g, " ")}\n`);
    process.exit(1);
  }
}
