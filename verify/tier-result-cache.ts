/**
 * Results of the Terraform tiers kept by the exact bytes they ran on, so that a second
 * `npm test` on an unchanged synth does not run Terraform again for the same answer.
 *
 * A result is keyed by everything that decides it:
 *  - every file of the working copy Terraform ran in (main.tf.json, the zips, the copied
 *    assets, the lock file with the provider's hashes), by path and content;
 *  - Terraform's version, the mirror's provider version and its lock-file hashes;
 *  - the harness itself: every source file under verify/ (how copies are built, what runs);
 *  - for the emulator tier, moto's version (and the interpreter it runs under).
 * Only successful results are kept; a failure always runs again. Results live beside the
 * provider workspace (os.tmpdir()/m2m-verify-cache, or M2M_VERIFY_CACHE), never in the
 * repository, so a fresh machine (CI) has none and runs everything for real.
 * `M2M_TF_RESULTS=fresh` (or `CI` set) runs Terraform for real even when a result is kept.
 * Results not written for two weeks are removed when one is written (every change makes new keys).
 */
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeAtomically } from "../cache/recorded-inputs";

const VERIFY_DIR = __dirname;
/** Bumped when what a kept result means changes. */
const FORMAT = 1;

export interface KeptResult<T> {
  readonly result: T;
  /** When the result was produced by a real run, ISO time; undefined when it just ran. */
  readonly keptFrom?: string;
}

/** Kept results are read only outside CI and unless M2M_TF_RESULTS=fresh. */
export function keptResultsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.M2M_TF_RESULTS !== "fresh" && !env.CI;
}

function filesUnder(dir: string, skip: (relative: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip(child)) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk("");
  return out.sort();
}

/** Terraform's own files, state and plans are not inputs: they are what a run makes. */
function terraformOutput(relative: string): boolean {
  const base = path.posix.basename(relative);
  return base === ".terraform" || base.includes("tfstate") || base.endsWith(".tfplan");
}

function hashFiles(hash: crypto.Hash, dir: string, files: readonly string[], rewrite: (text: Buffer) => Buffer = (b) => b): void {
  for (const file of files) {
    const bytes = rewrite(fs.readFileSync(path.join(dir, file)));
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
}

let toolIdentity: string | undefined;
/** Terraform's version and the harness's sources, once per process. */
function harnessIdentity(): string {
  if (toolIdentity === undefined) {
    const terraform = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    const hash = crypto.createHash("sha256").update(`format ${FORMAT}\0terraform ${terraform.stdout}\0`);
    hashFiles(hash, VERIFY_DIR, filesUnder(VERIFY_DIR, () => false).filter((f) => f.endsWith(".ts")));
    toolIdentity = hash.digest("hex");
  }
  return toolIdentity;
}

let motoIdentity: string | null | undefined;
/** moto's version and interpreter; null when it cannot be told (then nothing is kept). */
export function motoVersion(): string | null {
  if (motoIdentity === undefined) {
    const probe = spawnSync("python3", ["-c", "import moto, sys; print(moto.__version__, sys.executable)"], { encoding: "utf8", timeout: 30_000 });
    motoIdentity = probe.status === 0 && probe.stdout.trim() ? probe.stdout.trim() : null;
  }
  return motoIdentity;
}

export interface ResultKey {
  /** `plan`, `emulator`: results of different tiers never mix. */
  readonly tier: string;
  /** The working copy Terraform runs in, as it will run. */
  readonly copyDir: string;
  /** Anything else that decides the result (e.g. the moto version). */
  readonly extra?: readonly string[];
  /** Bytes of the copy that differ per run without changing the result (an emulator's port): replaced before hashing. */
  readonly volatile?: readonly string[];
}

export function resultKey(key: ResultKey): string {
  const hash = crypto.createHash("sha256").update(`${key.tier}\0${harnessIdentity()}\0${(key.extra ?? []).join("\0")}\0`);
  const volatile = key.volatile ?? [];
  const rewrite = (bytes: Buffer): Buffer => {
    if (volatile.length === 0) return bytes;
    let text = bytes.toString("latin1");
    for (const v of volatile) text = text.split(v).join("<volatile>");
    return Buffer.from(text, "latin1");
  };
  hashFiles(hash, key.copyDir, filesUnder(key.copyDir, terraformOutput), rewrite);
  return hash.digest("hex");
}

/** Results not written for this long go (every change makes new keys; old ones are never read again). */
const KEPT_FOR_MS = 14 * 24 * 3600 * 1000;

export class TierResultCache {
  constructor(private readonly dir: string) {}

  private prune(): void {
    const cutoff = Date.now() - KEPT_FOR_MS;
    for (const entry of fs.readdirSync(this.dir)) {
      const file = path.join(this.dir, entry);
      try {
        if (fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
      } catch {
        // gone already (another worker pruned it)
      }
    }
  }

  private file(tier: string, key: string): string {
    return path.join(this.dir, `${tier}-${key}.json`);
  }

  read<T>(tier: string, key: string): KeptResult<T> | undefined {
    if (!keptResultsAllowed()) return undefined;
    try {
      const kept = JSON.parse(fs.readFileSync(this.file(tier, key), "utf8")) as { format: number; at: string; result: T };
      return kept.format === FORMAT ? { result: kept.result, keptFrom: kept.at } : undefined;
    } catch {
      return undefined;
    }
  }

  write<T>(tier: string, key: string, result: T): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      writeAtomically(this.file(tier, key), JSON.stringify({ format: FORMAT, at: new Date().toISOString(), result }));
      this.prune();
    } catch {
      // Keeping a result is an optimisation: the next run runs Terraform again.
    }
  }
}

/**
 * `run()`'s result for the working copy in `dir` as it is now, kept by its bytes (see
 * resultKey): the kept one when there is one, else `run()`'s, kept when `keep` says so.
 * Terraform's own files in `dir` (state, plans) are not part of the key: pass what the result
 * depends on beyond the configuration (a state written as an input) in `extra`.
 */
export async function keptTerraformResult<T>(
  cache: TierResultCache,
  key: ResultKey,
  run: () => Promise<T>,
  keep: (result: T) => boolean = () => true,
): Promise<KeptResult<T>> {
  const id = resultKey(key);
  const kept = cache.read<T>(key.tier, id);
  if (kept) return kept;
  const result = await run();
  if (keep(result)) cache.write(key.tier, id, result);
  return { result };
}
