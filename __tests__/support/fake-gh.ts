/**
 * A stand-in for the `gh` CLI on PATH, for running the review's scripts as the runner runs them:
 * a small GitHub (one repository's open pull requests, their files, comments, commit statuses
 * and the head tarball) kept in a JSON file, answering the `gh api` calls the scripts make, with
 * `--jq` applied by the real jq. Every call is logged.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeGitHub {
  pulls: { number: number; head: { sha: string } }[];
  files: Record<string, string[]>;
  comments: { id: number; user: { login: string }; body: string }[];
  statuses: { sha: string; state: string; context: string; description: string }[];
  tarball?: string;
}

const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require("fs"), { spawnSync } = require("child_process");
const STATE = process.env.FAKE_GH_STATE;
const state = JSON.parse(fs.readFileSync(STATE, "utf8"));
const args = process.argv.slice(2);
fs.appendFileSync(STATE + ".log", JSON.stringify(args) + "\n");
if (args[0] !== "api") { console.error("fake gh: only api"); process.exit(2); }
let method = "GET", jq, path; const fields = {};
for (let i = 1; i < args.length; i++) {
  const a = args[i];
  if (a === "--paginate") continue;
  if (a === "--method") method = args[++i];
  else if (a === "-H") i++;
  else if (a === "--jq") jq = args[++i];
  else if (a === "-f" || a === "-F") { const [k, ...v] = args[++i].split("="); const value = v.join("="); fields[k] = a === "-F" && value.startsWith("@") ? fs.readFileSync(value.slice(1), "utf8") : value; }
  else path = a;
}
const route = path.replace(/\?.*$/, "").replace(/^repos\/[^/]+\/[^/]+\//, "");
let out, m;
if (method === "GET" && route === "pulls") out = state.pulls;
else if (method === "GET" && (m = /^pulls\/(\d+)$/.exec(route))) out = state.pulls.find((p) => p.number === +m[1]);
else if (method === "GET" && (m = /^pulls\/(\d+)\/files$/.exec(route))) out = (state.files[m[1]] || []).map((filename) => ({ filename }));
else if (method === "GET" && (m = /^issues\/(\d+)\/comments$/.exec(route))) out = state.comments;
else if (method === "GET" && (m = /^issues\/comments\/(\d+)$/.exec(route))) out = state.comments.find((c) => c.id === +m[1]);
else if (method === "PATCH" && (m = /^issues\/comments\/(\d+)$/.exec(route))) { const c = state.comments.find((c) => c.id === +m[1]); c.body = fields.body; out = c; }
else if (method === "POST" && (m = /^issues\/(\d+)\/comments$/.exec(route))) { out = { id: 100 + state.comments.length, user: { login: "github-actions[bot]" }, body: fields.body }; state.comments.push(out); }
else if (method === "POST" && (m = /^statuses\/([0-9a-f]{40})$/.exec(route))) { out = { sha: m[1], ...fields }; state.statuses.push(out); }
else if (method === "GET" && /^tarball\//.test(route)) { process.stdout.write(fs.readFileSync(state.tarball)); process.exit(0); }
else { console.error("fake gh: no route for " + method + " " + path); process.exit(1); }
fs.writeFileSync(STATE, JSON.stringify(state));
const text = JSON.stringify(out);
if (jq === undefined) { process.stdout.write(text + "\n"); process.exit(0); }
const r = spawnSync("jq", ["-r", jq], { input: text, encoding: "utf8", env: process.env });
process.stdout.write(r.stdout); process.stderr.write(r.stderr); process.exit(r.status);
`;

/** Writes `gh` into `dir/bin` and the state next to it; returns the PATH entry, the env to pass, and readers. */
export function fakeGh(dir: string, initial: FakeGitHub): { bin: string; env: Record<string, string>; state: () => FakeGitHub; calls: () => string[][] } {
  const bin = join(dir, "fake-gh-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "gh"), SCRIPT);
  chmodSync(join(bin, "gh"), 0o755);
  const file = join(dir, "fake-gh-state.json");
  writeFileSync(file, JSON.stringify(initial));
  writeFileSync(`${file}.log`, "");
  return {
    bin,
    env: { FAKE_GH_STATE: file },
    state: () => JSON.parse(readFileSync(file, "utf8")) as FakeGitHub,
    calls: () => readFileSync(`${file}.log`, "utf8").trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as string[]),
  };
}
