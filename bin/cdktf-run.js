#!/usr/bin/env node
/**
 * `npm run deploy` / `npm run diff` / `npm run destroy`: `cdktf <command>` with output a person
 * can read when it is not a terminal (CI logs, `| tee`, an editor's task runner).
 *
 * - A terminal gets cdktf as it is (its interactive approval needs one).
 * - Anything else: CI=1, so cdktf's renderer (ink) writes its final frame instead of a spinner
 *   frame per tick, and --no-color. The output is kept, repeated lines folded, and when the
 *   command fails Terraform's own error (the first `Error:` block) is printed FIRST, then the log.
 *
 * `deploy` and `diff` run `m2m doctor` first, for the stacks named on the command line (all when
 * none is), and stop when a check fails; M2M_SKIP_PREFLIGHT=1 skips it.
 *
 * `cdktf` is looked up on PATH (npm puts node_modules/.bin first), then in node_modules/.bin.
 */
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write("usage: node bin/cdktf-run.js <deploy|diff|destroy|...> [cdktf options]\n");
  process.exit(2);
}

/** cdktf's options that take a value: what follows them is not a stack name. */
const VALUE_OPTIONS = new Set(["-a", "--app", "-o", "--output", "--outputs-file", "--parallelism", "--terraform-parallelism", "--var", "--var-file", "--log-level"]);

function stacksNamed(argv) {
  const stacks = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") break;
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    stacks.push(arg);
  }
  return stacks;
}

if ((command === "deploy" || command === "diff") && !process.env.M2M_SKIP_PREFLIGHT) {
  const { spawnSync } = require("node:child_process");
  const envs = stacksNamed(args).flatMap((name) => ["--env", name]);
  const doctor = spawnSync(process.execPath, [path.join(__dirname, "m2m.js"), "doctor", ...envs], { stdio: "inherit" });
  if (doctor.status !== 0) {
    process.stderr.write(`${command}: stopped before cdktf: m2m doctor found a problem (see above; M2M_SKIP_PREFLIGHT=1 skips the check)\n`);
    process.exit(doctor.status ?? 1);
  }
}

const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
env.PATH = [process.env.PATH, path.join(__dirname, "..", "node_modules", ".bin")].filter(Boolean).join(path.delimiter);
const terminal = process.stdout.isTTY === true;

if (terminal) {
  const child = spawn("cdktf", [command, ...args], { stdio: "inherit", env });
  child.on("error", (error) => fail(`cannot run cdktf (${error.code || error.message}): npm install`));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  env.CI = env.CI || "1";
  env.FORCE_COLOR = "0";
  const child = spawn("cdktf", [command, ...args, ...(args.includes("--no-color") ? [] : ["--no-color"])], { stdio: ["inherit", "pipe", "pipe"], env });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  child.on("error", (error) => fail(`cannot run cdktf (${error.code || error.message}): npm install`));
  child.on("close", (code, signal) => {
    const log = readable(output);
    const status = code ?? (signal ? 1 : 0);
    if (status !== 0) {
      const cause = terraformError(log);
      process.stderr.write(`${command}: failed${cause.length > 0 ? `: ${cause[0]}` : ` (cdktf exited with ${status}; the log follows)`}\n`);
      for (const line of cause.slice(1)) process.stderr.write(`  ${line}\n`);
      if (log.length > 0) process.stderr.write(`\n--- cdktf ${command} log ---\n${log.join("\n")}\n`);
    } else if (log.length > 0) {
      process.stdout.write(`${log.join("\n")}\n`);
    }
    process.exit(status);
  });
}

function fail(message) {
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(1);
}

/** Without colour codes and carriage-return redraws, each line once when repeated back to back. */
function readable(text) {
  const lines = [];
  for (const raw of text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").split("\n")) {
    const line = raw.split("\r").pop().trimEnd();
    if (line === "" && lines[lines.length - 1] === "") continue;
    if (line !== lines[lines.length - 1]) lines.push(line);
  }
  while (lines[0] === "") lines.shift();
  while (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * The first Terraform diagnostic: `Error: <summary>` and the lines of its box (`│ ...`), with
 * cdktf's stack-name prefix and the box drawing removed.
 */
function terraformError(lines) {
  const strip = (line) => line.replace(/^\s*[\w-]*\s*[│╷╵|]?\s?/, "").trimEnd();
  const start = lines.findIndex((l) => /(^|[\s│|])Error: /.test(l));
  if (start < 0) return [];
  const first = lines[start].slice(lines[start].indexOf("Error: "));
  const rest = [];
  for (const line of lines.slice(start + 1, start + 12)) {
    if (/╵/.test(line) || !/[│|]/.test(line)) break;
    const text = strip(line);
    if (text !== "") rest.push(text);
  }
  return [first, ...rest];
}
