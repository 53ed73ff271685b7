#!/usr/bin/env node
/**
 * Plan guard: checks a synthesized stack directory (from a pull request, so untrusted) before
 * `terraform init` and `terraform plan` run on it, and writes the copy terraform then plans.
 *
 * Since issue 15 the pull-request plan holds NO cloud credentials: it plans with
 * `-refresh=false -lock=false` against a state snapshot from which a trusted job removed every
 * sensitive value (.github/scripts/sanitize-state.js). The guard is the second wall: a provider,
 * data source, module, provisioner or function that runs or reads something during init/plan
 * could still run code on the runner, so only what this project synthesizes passes:
 *
 * - the stack is read with a strict JSON reader (strict-json.js): a repeated key anywhere is
 *   refused, because Terraform reads both copies where JSON.parse keeps the last;
 * - blocks are read the way Terraform reads JSON: at every block level a value may be an object
 *   or an array of objects (`"s3": [{...}]`), and both are checked alike;
 * - everything is an ALLOW-LIST (allow-list.json, derived from the synthesized default and
 *   all-options stacks by `npm run plan-guard:allow-list`): block types, the terraform settings,
 *   backend arguments, provider names/versions/arguments, resource and data source types with
 *   their arguments, output arguments and the functions an expression may call;
 * - every string is read as a template (template-expressions.js): comments, heredocs,
 *   directives and anything it cannot parse are refused, so nothing can hide a call;
 * - provider blocks hold no expression at all: Terraform strips the sensitive mark from
 *   provider configuration (`configVal.UnmarkDeep()` before ConfigureProvider, hashicorp/terraform
 *   internal/terraform/node_provider.go), so a secret interpolated into `default_tags` reaches
 *   every resource's `tags_all` unmarked and prints in the plan. The project emits literals only.
 *
 * With `--plan-dir DIR` the guard then writes DIR/cdk.tf.json: the document it checked,
 * serialized by this script (so terraform reads exactly the bytes checked, not the pull
 * request's file), with the backend replaced by local state (the snapshot) and the aws provider
 * given the offline settings (placeholder credentials, no credential or account look-ups),
 * copies the assets, and prints the file's sha256 (also to $GITHUB_OUTPUT as `sha256=`).
 *
 * Usage: node check-plan-input.js <stack directory> [--plan-dir DIR] [--sts-endpoint URL]
 * Exit 0: "plan guard: <dir>: ok". Exit 1: one `::error` line per problem (all of them).
 * Plain CommonJS on Node.js 20 with no dependencies: the job that runs it installs nothing.
 */
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { parseStrictJson } = require("./strict-json.js");
const { readTemplateString } = require("./template-expressions.js");

const ALLOW_LIST_FILE = path.join(__dirname, "allow-list.json");
const ENVIRONMENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/;
/** `required_version` as the stacks write it: a lower bound and nothing else. */
const REQUIRED_VERSION = /^>= \d+\.\d+\.\d+$/;
/** A `removed` block forgets one aws_* resource (never a module). */
const RESOURCE_ADDRESS = /^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/;
/**
 * Arguments of data.archive_file that name files read or written during plan, each with the one
 * LITERAL form it may take. Terraform evaluates a string as a template before the provider sees
 * it, so `"${"/"}home/x"` or `"assets/${"."}${"."}/x"` reads as harmless text but becomes an
 * absolute or parent path (issue 21, hole 1): no `$`, `%`, `~` or `\` can pass these patterns,
 * so what the guard reads is exactly the path the provider gets. The archive is written during
 * plan (data sources are read even with -refresh=false): only as a `.zip` at the top of the
 * stack directory, with mode 0644 (never an executable).
 */
const ARCHIVE_ARGUMENTS = {
  output_path: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*\.zip$/, rule: "a literal file name ending in .zip, in the stack directory itself (no directory, no template)" },
  source_file: { pattern: /^assets\/(?:[A-Za-z0-9_][A-Za-z0-9._-]*\/)*[A-Za-z0-9_][A-Za-z0-9._-]*$/, rule: "a literal path under assets/ (no .., no template)" },
  source_content_filename: { pattern: /^[A-Za-z0-9_][A-Za-z0-9._-]*$/, rule: "a literal file name (no directory, no template)" },
  source_dir: { pattern: /^(?!)/, rule: "absent (the project never zips a directory)" },
  output_file_mode: { pattern: /^0644$/, rule: 'exactly "0644" (an archive entry is never executable)' },
};

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function member(where, key) {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${where}.${key}` : `${where}[${JSON.stringify(key)}]`;
}

/**
 * The bodies of a block as Terraform's JSON reader sees them: an object is one body, an array
 * of objects is one body each (at every level: labels and nested blocks alike).
 */
function bodiesOf(value, where, problems) {
  if (isPlainObject(value)) return [{ body: value, where }];
  if (Array.isArray(value)) {
    const out = [];
    value.forEach((item, i) => {
      if (isPlainObject(item)) out.push({ body: item, where: `${where}[${i}]` });
      else problems.push(`${where}[${i}]: a block must be an object, found ${item === null ? "null" : typeof item}`);
    });
    return out;
  }
  problems.push(`${where}: a block must be an object or an array of objects, found ${value === null ? "null" : typeof value}`);
  return [];
}

/** `{ label: value }` entries under a labelled block level, each label's value as bodies. */
function* labelled(value, where, problems) {
  for (const { body, where: at } of bodiesOf(value, where, problems)) {
    for (const [label, inner] of Object.entries(body)) {
      yield { label, bodies: bodiesOf(inner, member(at, label), problems), where: member(at, label) };
    }
  }
}

/** Every string in a value (object keys too: JSON object keys can be templates), with its path. */
function* stringsIn(value, where) {
  if (typeof value === "string") yield { text: value, where };
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], `${where}[${i}]`);
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      yield { text: k, where: `${member(where, k)} (key)` };
      yield* stringsIn(v, member(where, k));
    }
  }
}

/**
 * Walks a stack document and reports every thing it uses to `use(section, name, item, where)`:
 * the same walk derives the allow-list from the project's stacks and checks a stack against it.
 * Structural problems (a scalar where a block must be) go to `problems`.
 */
function walk(doc, use, problems) {
  for (const [block, value] of Object.entries(doc)) {
    use("blocks", block, undefined, `$.${block}`);
    if (block === "terraform") {
      for (const { body, where } of bodiesOf(value, "$.terraform", problems)) {
        for (const [setting, inner] of Object.entries(body)) {
          use("terraform", setting, undefined, member(where, setting));
          if (setting === "backend") {
            for (const { label, bodies } of labelled(inner, member(where, setting), problems)) {
              use("backends", label, undefined, member(member(where, setting), label));
              for (const b of bodies) for (const arg of Object.keys(b.body)) use("backends", label, arg, member(b.where, arg));
            }
          } else if (setting === "required_providers") {
            for (const { body: rp, where: at } of bodiesOf(inner, member(where, setting), problems)) {
              for (const [name, req] of Object.entries(rp)) {
                const value = isPlainObject(req) ? JSON.stringify(req) : JSON.stringify(req);
                use("requiredProviders", name, value, member(at, name));
              }
            }
          }
        }
      }
    } else if (block === "provider") {
      for (const { label, bodies } of labelled(value, "$.provider", problems)) {
        use("providers", label, undefined, `$.provider.${label}`);
        for (const b of bodies) {
          for (const [arg, inner] of Object.entries(b.body)) {
            use("providers", label, arg, member(b.where, arg));
            if (arg === "default_tags") {
              for (const t of bodiesOf(inner, member(b.where, arg), problems)) for (const k of Object.keys(t.body)) use("providers", label, `${arg}.${k}`, member(t.where, k));
            }
          }
        }
      }
    } else if (block === "resource" || block === "data") {
      const section = block === "resource" ? "resources" : "dataSources";
      for (const { label: type, bodies: byName, where } of labelled(value, `$.${block}`, problems)) {
        use(section, type, undefined, where);
        for (const n of byName) {
          for (const [name, inner] of Object.entries(n.body)) {
            for (const b of bodiesOf(inner, member(n.where, name), problems)) for (const arg of Object.keys(b.body)) use(section, type, arg, member(b.where, arg));
          }
        }
      }
    } else if (block === "removed") {
      for (const b of bodiesOf(value, "$.removed", problems)) for (const arg of Object.keys(b.body)) use("removed", arg, undefined, member(b.where, arg));
    } else if (block === "output") {
      for (const { bodies } of labelled(value, "$.output", problems)) for (const b of bodies) for (const arg of Object.keys(b.body)) use("outputs", arg, undefined, member(b.where, arg));
    }
  }
  for (const { text, where } of stringsIn(doc, "$")) {
    let read;
    try {
      read = readTemplateString(text);
    } catch (error) {
      problems.push(`${where}: cannot read the expression for certain (${error.message}); refused`);
      continue;
    }
    for (const fn of read.calls) use("functions", fn, undefined, where);
  }
}

/** The allow-list structure of what `docs` use (the generator and its test call this). */
function deriveAllowList(docs) {
  const sets = {};
  const add = (section, name, item) => {
    sets[section] ??= new Map();
    if (!sets[section].has(name)) sets[section].set(name, new Set());
    if (item !== undefined) sets[section].get(name).add(item);
  };
  for (const doc of docs) {
    const problems = [];
    walk(doc, add, problems);
    if (problems.length > 0) throw new Error(`cannot derive an allow-list from a stack with problems: ${problems.join("; ")}`);
  }
  const names = (s) => [...(sets[s]?.keys() ?? [])].sort();
  const items = (s) => Object.fromEntries(names(s).map((n) => [n, [...sets[s].get(n)].sort()]));
  const requiredProviders = Object.fromEntries(
    names("requiredProviders").map((n) => {
      const versions = [...sets.requiredProviders.get(n)];
      if (versions.length !== 1) throw new Error(`provider ${n} is required with ${versions.length} different settings`);
      return [n, JSON.parse(versions[0])];
    }),
  );
  return {
    blocks: names("blocks"),
    terraform: names("terraform"),
    backends: items("backends"),
    requiredProviders,
    providers: items("providers"),
    resources: items("resources"),
    dataSources: items("dataSources"),
    outputs: names("outputs"),
    removed: names("removed"),
    functions: names("functions"),
  };
}

function loadAllowList() {
  return parseStrictJson(fs.readFileSync(ALLOW_LIST_FILE, "utf8"));
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
  const visit = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isSymbolicLink()) problems.push(`symbolic link ${path.relative(dir, full)} in the stack's assets`);
      else if (entry.isDirectory()) visit(full);
      else if (!entry.isFile()) problems.push(`${path.relative(dir, full)} in the stack's assets is not a regular file`);
    }
  };
  visit(assets);
}

/** The rules the allow-list cannot say: exact provider pins, literal provider blocks, contained archive paths. */
function checkSpecifics(doc, allow, problems) {
  const terraformBodies = doc.terraform === undefined ? [] : bodiesOf(doc.terraform, "$.terraform", []);
  if (terraformBodies.length !== 1) problems.push(`$.terraform: exactly one terraform block is allowed, found ${terraformBodies.length}`);
  for (const { body, where } of terraformBodies) {
    const backends = body.backend === undefined ? [] : [...labelled(body.backend, `${where}.backend`, [])];
    const types = backends.map((b) => b.label);
    if (types.length !== 1 || types[0] !== "s3") problems.push(`${where}.backend must be one s3 backend (CI plans only environments with remote state), found ${types.length === 0 ? "none" : types.join(", ")}`);
    for (const b of backends) for (const inner of b.bodies) for (const [k, v] of Object.entries(inner.body)) {
      if (typeof v !== "string" && typeof v !== "boolean") problems.push(`${member(inner.where, k)} must be a literal string or boolean`);
    }
    if (body.required_version !== undefined && !(typeof body.required_version === "string" && REQUIRED_VERSION.test(body.required_version))) {
      problems.push(`${where}.required_version must be a lower bound such as ">= 1.10.0", found ${JSON.stringify(body.required_version)}`);
    }
    const required = body.required_providers === undefined ? [] : bodiesOf(body.required_providers, `${where}.required_providers`, []);
    const names = required.flatMap((r) => Object.keys(r.body)).sort();
    const expected = Object.keys(allow.requiredProviders).sort();
    if (names.join(",") !== expected.join(",")) problems.push(`${where}.required_providers must be exactly ${expected.join(" and ")}, found ${names.length === 0 ? "none" : names.join(", ")}`);
    for (const r of required) for (const [name, req] of Object.entries(r.body)) {
      const rule = allow.requiredProviders[name];
      if (rule === undefined) continue;
      if (JSON.stringify(req) !== JSON.stringify(rule)) problems.push(`${member(r.where, name)} must be exactly ${JSON.stringify(rule)}, found ${JSON.stringify(req)}`);
    }
  }
  if (doc.provider !== undefined) {
    for (const { text, where } of stringsIn(doc.provider, "$.provider")) {
      if (/[$%]\{/.test(text)) problems.push(`${where}: provider configuration must be literal (Terraform strips the sensitive mark from provider configuration, so a reference could print a secret in the plan)`);
    }
  }
  if (doc.removed !== undefined) {
    // Forget a resource, never destroy it: `destroy = false` and nothing else.
    for (const { body, where } of bodiesOf(doc.removed, "$.removed", [])) {
      if (!(typeof body.from === "string" && RESOURCE_ADDRESS.test(body.from))) problems.push(`${where}.from must be the address of an aws_* resource, found ${JSON.stringify(body.from)}`);
      const lifecycle = body.lifecycle === undefined ? [] : bodiesOf(body.lifecycle, `${where}.lifecycle`, []);
      const exact = lifecycle.length === 1 && Object.keys(lifecycle[0].body).join(",") === "destroy" && lifecycle[0].body.destroy === false;
      if (!exact) problems.push(`${where}.lifecycle must be exactly { destroy = false } (forget, never destroy)`);
    }
  }
  if (doc.data !== undefined) {
    for (const { label, bodies } of labelled(doc.data, "$.data", [])) {
      if (label !== "archive_file") continue;
      for (const n of bodies) for (const [name, inner] of Object.entries(n.body)) for (const b of bodiesOf(inner, member(n.where, name), [])) {
        for (const [k, { pattern, rule }] of Object.entries(ARCHIVE_ARGUMENTS)) {
          const v = b.body[k];
          if (v !== undefined && !(typeof v === "string" && pattern.test(v))) problems.push(`${member(b.where, k)} must be ${rule}, found ${JSON.stringify(v)}`);
        }
      }
    }
  }
}

function checkAgainstAllowList(doc, allow, problems) {
  const refused = new Set();
  const use = (section, name, item, where) => {
    const list = allow[section];
    let ok;
    if (Array.isArray(list)) ok = list.includes(name);
    else if (section === "requiredProviders") ok = true; // exact pins: checkSpecifics
    else ok = list !== undefined && Object.prototype.hasOwnProperty.call(list, name) && (item === undefined || list[name].includes(item));
    if (ok) return;
    const what = {
      blocks: `block ${name}`,
      terraform: `terraform setting ${name}`,
      backends: item === undefined ? `backend ${name}` : `backend ${name} argument ${item}`,
      providers: item === undefined ? `provider ${name}` : `provider ${name} setting ${item}`,
      resources: item === undefined ? `resource type ${name}` : `resource ${name} argument ${item}`,
      dataSources: item === undefined ? `data source ${name}` : `data source ${name} argument ${item}`,
      outputs: `output argument ${name}`,
      removed: `removed argument ${name}`,
      functions: `function ${name}()`,
    }[section];
    const message = `${where}: ${what} is not allowed (not in the plan guard's allow-list)`;
    if (!refused.has(message)) problems.push(message);
    refused.add(message);
  };
  walk(doc, use, problems);
}

/**
 * Every problem of the stack in `dir`, and the document checked (undefined when unreadable).
 * @returns {{ problems: string[], doc: any, bytes: Buffer | undefined }}
 */
function inspectStack(dir, allow = loadAllowList()) {
  const problems = [];
  const name = path.basename(path.resolve(dir));
  if (!ENVIRONMENT_NAME.test(name)) problems.push(`stack directory name ${JSON.stringify(name)} is not an environment name`);
  const file = path.join(dir, "cdk.tf.json");
  if (!fs.existsSync(file)) return { problems: [...problems, `no cdk.tf.json in ${dir}`], doc: undefined, bytes: undefined };
  checkDirectory(dir, problems);
  const bytes = fs.readFileSync(file);
  let doc;
  try {
    doc = parseStrictJson(bytes.toString("utf8"));
  } catch (error) {
    return { problems: [...problems, `cdk.tf.json cannot be read strictly: ${error.message}`], doc: undefined, bytes };
  }
  if (!isPlainObject(doc)) return { problems: [...problems, "cdk.tf.json is not a JSON object"], doc: undefined, bytes };
  checkAgainstAllowList(doc, allow, problems);
  checkSpecifics(doc, allow, problems);
  return { problems, doc, bytes };
}

/** Every problem of the stack in `dir`; empty when the plan may run. */
function checkStack(dir) {
  return inspectStack(dir).problems;
}

/**
 * The document terraform plans: the checked one, with local state (the sanitized snapshot) in
 * place of the backend, and the aws provider set to plan without credentials.
 */
function plannableDocument(doc, stsEndpoint) {
  const out = { ...doc };
  const [{ body }] = bodiesOf(doc.terraform, "$.terraform", []);
  out.terraform = {
    ...(body.required_version === undefined ? {} : { required_version: body.required_version }),
    required_providers: body.required_providers,
    backend: { local: { path: "terraform.tfstate" } },
  };
  const offline = {
    access_key: "placeholder-no-credentials",
    secret_key: "placeholder-no-credentials",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: "true",
    ...(stsEndpoint === undefined ? {} : { endpoints: [{ sts: stsEndpoint }] }),
  };
  out.provider = Object.fromEntries(
    [...labelled(doc.provider ?? {}, "$.provider", [])].map(({ label, bodies }) => [label, bodies.map((b) => (label === "aws" ? { ...b.body, ...offline } : b.body))]),
  );
  return out;
}

function writePlanDir(stackDir, doc, planDir, stsEndpoint) {
  fs.mkdirSync(planDir, { recursive: true });
  if (fs.readdirSync(planDir).length > 0) throw new Error(`--plan-dir ${planDir} must be empty`);
  const assets = path.join(stackDir, "assets");
  if (fs.existsSync(assets)) fs.cpSync(assets, path.join(planDir, "assets"), { recursive: true, dereference: false });
  const bytes = Buffer.from(`${JSON.stringify(plannableDocument(doc, stsEndpoint), null, 2)}\n`, "utf8");
  fs.writeFileSync(path.join(planDir, "cdk.tf.json"), bytes);
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

module.exports = { checkStack, inspectStack, deriveAllowList, loadAllowList, plannableDocument, ALLOW_LIST_FILE };

if (require.main === module) {
  const args = process.argv.slice(2);
  const dir = args.shift();
  const options = {};
  while (args.length > 0) {
    const flag = args.shift();
    const value = args.shift();
    if ((flag !== "--plan-dir" && flag !== "--sts-endpoint") || value === undefined) {
      options.bad = true;
      break;
    }
    options[flag] = value;
  }
  if (!dir || options.bad) {
    process.stderr.write("usage: node check-plan-input.js <stack directory> [--plan-dir DIR] [--sts-endpoint URL]\n");
    process.exit(2);
  }
  const env = path.basename(path.resolve(dir));
  const { problems, doc } = inspectStack(dir);
  if (problems.length > 0) {
    // `::error` lines: GitHub shows each as an annotation. Messages name keys and types, never values from state.
    for (const p of problems) process.stdout.write(`::error title=plan guard (${env})::${p.replace(/[\r\n]/g, " ")}\n`);
    process.stdout.write(`plan guard: ${dir}: ${problems.length} problem${problems.length === 1 ? "" : "s"}; terraform did not run\n`);
    process.exit(1);
  }
  if (options["--plan-dir"] !== undefined) {
    const sha256 = writePlanDir(dir, doc, options["--plan-dir"], options["--sts-endpoint"]);
    if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `sha256=${sha256}\n`);
    process.stdout.write(`plan guard: ${dir}: ok; wrote ${path.join(options["--plan-dir"], "cdk.tf.json")} sha256 ${sha256}\n`);
  } else {
    process.stdout.write(`plan guard: ${dir}: ok\n`);
  }
}
