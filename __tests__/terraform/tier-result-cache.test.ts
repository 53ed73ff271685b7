/**
 * The Terraform tiers' kept results: keyed by every byte of the working copy Terraform ran in
 * (not by its path, not by what Terraform itself writes there), never read in CI or when
 * M2M_TF_RESULTS=fresh, and kept beside the provider cache, outside the repository.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { keptResultsAllowed, resultKey, TierResultCache } from "../../verify/tier-result-cache";

let root: string;
beforeAll(() => {
  root = tempDir("tier-result-cache");
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function copyAt(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const STACK = { "main.tf.json": '{"resource":{}}', "scope-checker.zip": "PK zip bytes", "assets/a/index.mjs": "export {}", ".terraform.lock.hcl": 'provider "aws" { hashes = ["h1:x"] }' };

describe("resultKey", () => {
  it("is the same for the same bytes anywhere, and ignores Terraform's own output (state, plans)", () => {
    const a = copyAt("a", STACK);
    const b = copyAt("elsewhere/b", { ...STACK, "terraform.tfstate": "{}", "plan-1.tfplan": "binary" });
    expect(resultKey({ tier: "plan", copyDir: b })).toBe(resultKey({ tier: "plan", copyDir: a }));
  });

  it("changes with any byte of any input file, an added file, the tier or an extra", () => {
    const base = resultKey({ tier: "plan", copyDir: copyAt("base", STACK) });
    const variants = [
      resultKey({ tier: "plan", copyDir: copyAt("zip", { ...STACK, "scope-checker.zip": "PK zip byteS" }) }),
      resultKey({ tier: "plan", copyDir: copyAt("asset", { ...STACK, "assets/a/index.mjs": "export {};" }) }),
      resultKey({ tier: "plan", copyDir: copyAt("lock", { ...STACK, ".terraform.lock.hcl": 'provider "aws" { hashes = ["h1:y"] }' }) }),
      resultKey({ tier: "plan", copyDir: copyAt("added", { ...STACK, "extra.json": "{}" }) }),
      resultKey({ tier: "emulator", copyDir: copyAt("tier", STACK) }),
      resultKey({ tier: "plan", copyDir: copyAt("extra", STACK), extra: ["moto 5.2.1"] }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it("ignores only the volatile strings it is told of (an emulator's port)", () => {
    const one = copyAt("port-1", { ...STACK, "main.tf.json": '{"endpoint":"http://127.0.0.1:40001"}' });
    const two = copyAt("port-2", { ...STACK, "main.tf.json": '{"endpoint":"http://127.0.0.1:40002"}' });
    expect(resultKey({ tier: "emulator", copyDir: one, volatile: ["http://127.0.0.1:40001"] })).toBe(resultKey({ tier: "emulator", copyDir: two, volatile: ["http://127.0.0.1:40002"] }));
    expect(resultKey({ tier: "emulator", copyDir: one })).not.toBe(resultKey({ tier: "emulator", copyDir: two }));
  });
});

describe("TierResultCache", () => {
  const saved = { CI: process.env.CI, M2M_TF_RESULTS: process.env.M2M_TF_RESULTS };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it("hands back what was kept, with when it ran; nothing for another key", () => {
    delete process.env.CI;
    delete process.env.M2M_TF_RESULTS;
    const cache = new TierResultCache(path.join(root, "results"));
    cache.write("plan", "k1", { toAdd: 3 });
    expect(cache.read("plan", "k1")).toEqual({ result: { toAdd: 3 }, keptFrom: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(cache.read("plan", "k2")).toBeUndefined();
    expect(cache.read("emulator", "k1")).toBeUndefined();
  });

  it("drops results not written for two weeks when it writes one (old keys are never read again)", () => {
    const dir = path.join(root, "results-prune");
    const cache = new TierResultCache(dir);
    cache.write("plan", "old", { toAdd: 1 });
    const old = new Date(Date.now() - 15 * 24 * 3600 * 1000);
    fs.utimesSync(path.join(dir, "plan-old.json"), old, old);
    cache.write("plan", "new", { toAdd: 2 });
    expect(fs.readdirSync(dir).sort()).toEqual(["plan-new.json"]);
  });

  it("is never read in CI or with M2M_TF_RESULTS=fresh: Terraform runs for real", () => {
    const cache = new TierResultCache(path.join(root, "results-fresh"));
    cache.write("plan", "k", { toAdd: 1 });
    expect(keptResultsAllowed({ CI: "true" })).toBe(false);
    expect(keptResultsAllowed({ M2M_TF_RESULTS: "fresh" })).toBe(false);
    expect(keptResultsAllowed({})).toBe(true);
    process.env.M2M_TF_RESULTS = "fresh";
    expect(cache.read("plan", "k")).toBeUndefined();
  });
});
