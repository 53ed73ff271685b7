/**
 * The two Terraform tiers, per synthesized stack:
 *  - plan tier: working copy → plan -refresh=false -json (plan validates the configuration
 *    first, as `validate` would; the streamed actions spare a `show -json`);
 *  - emulator tier: its own moto_server → apply → plan -detailed-exitcode (must be empty),
 *    with the exact attributes that differ when it is not (`show -json` only then).
 * Every Terraform command starts the AWS provider (seconds each): one command fewer per stack
 * is most of what a tier costs. Stacks run a few at a time (the machines have two cores); one
 * provider init serves all. A successful result is kept by the exact bytes it ran on
 * (verify/tier-result-cache): an unchanged stack is not run through Terraform twice on one machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EMULATOR_EXCLUSIONS } from "./emulator-exclusions";
import { startMotoServer } from "./moto-server";
import { actionCounts, formatDiffs, type PlannedAction, type PlannedChange } from "./plan-reading";
import { cacheRoot, providerWorkspace } from "./provider-workspace";
import { TerraformCopy, type TerraformOutputs } from "./terraform-copy";
import { motoVersion, resultKey, TierResultCache } from "./tier-result-cache";
import type { SynthesizedStackDir } from "./verified-configs";
import type { BuildOptions, ExcludedResource } from "./working-copy";

export interface PlanTierResult {
  readonly label: string;
  readonly toAdd: number;
  readonly changes: readonly PlannedAction[];
  readonly planSeconds: number;
  /** Set when this is the kept result of a real run on the same bytes: when that run was. */
  readonly keptFrom?: string;
}

export interface EmulatorTierResult {
  readonly label: string;
  /** Managed resources in the state after apply. */
  readonly applied: number;
  readonly applySeconds: number;
  readonly excluded: readonly ExcludedResource[];
  readonly adapted: readonly ExcludedResource[];
  /** The re-plan's changes (none when the re-plan is empty). */
  readonly replan: readonly PlannedChange[];
  /** `address: path: before → after` lines for the re-plan. */
  readonly replanDiffs: readonly string[];
  /** Set when this is the kept result of a real run on the same bytes: when that run was. */
  readonly keptFrom?: string;
}

export type StackOutcome<T> = { readonly label: string; readonly ok: true; readonly result: T } | { readonly label: string; readonly ok: false; readonly error: Error };

/** Runs `task` over `items`, at most `limit` at once, keeping order; never rejects. */
export async function eachLimited<I extends { label: string }, T>(items: readonly I[], limit: number, task: (item: I) => Promise<T>): Promise<StackOutcome<T>[]> {
  const outcomes: StackOutcome<T>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      try {
        outcomes[i] = { label: item.label, ok: true, result: await task(item) };
      } catch (error) {
        outcomes[i] = { label: item.label, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return outcomes;
}

function copyDir(workRoot: string, label: string, tier: string): string {
  return path.join(workRoot, tier, label.replace(/\//g, "--"));
}

const results = () => new TierResultCache(`${cacheRoot()}/results`);

export async function planStack(stack: SynthesizedStackDir, workRoot: string): Promise<PlanTierResult> {
  const workspace = await providerWorkspace();
  const copy = TerraformCopy.create(stack.dir, copyDir(workRoot, stack.label, "plan"), workspace, { kind: "plan" });
  const key = resultKey({ tier: "plan", copyDir: copy.dir, extra: [workspace.tools.mirror], volatile: [copy.dir, stack.dir] });
  const kept = results().read<PlanTierResult>("plan", key);
  if (kept) return { ...kept.result, label: stack.label, keptFrom: kept.keptFrom };
  const plan = await copy.planActions({ refresh: false });
  const result: PlanTierResult = { label: stack.label, toAdd: actionCounts(plan.changes).create, changes: plan.changes, planSeconds: plan.seconds };
  results().write("plan", key, result);
  return result;
}

/** The emulator copy is keyed as built for this port: the real port is a per-run detail. */
const KEYED_ENDPOINT = "http://127.0.0.1:4566";

export interface EmulatorRun {
  /** Managed resources in the state after apply. */
  readonly applied: number;
  readonly applySeconds: number;
  readonly excluded: readonly ExcludedResource[];
  readonly adapted: readonly ExcludedResource[];
  /** The refreshed re-plan's changes (no-op and read included when it was shown). */
  readonly changes: readonly PlannedChange[];
  /** Set when this is the kept result of a real run on the same bytes: when that run was. */
  readonly keptFrom?: string;
}

export interface EmulatorRunOptions {
  /** Edits the working copy's JSON (a probe beside the stack). */
  readonly edit?: BuildOptions["edit"];
  /** `show -json` even for an empty re-plan (for its no-op entries). @default false */
  readonly showEmpty?: boolean;
  /** Which results are kept for the same bytes. @default every one */
  readonly keep?: (run: EmulatorRun) => boolean;
}

/**
 * `stackDir`'s working copy applied to its own moto_server, then re-planned with refresh. The
 * result is kept by the copy's bytes (as built for a fixed port), moto's version and the
 * harness: the same copy is not applied twice on one machine.
 */
export async function emulatorRun(stackDir: string, dir: string, options: EmulatorRunOptions = {}): Promise<EmulatorRun> {
  const workspace = await providerWorkspace();
  const moto = motoVersion();
  let key: string | undefined;
  if (moto !== null) {
    TerraformCopy.create(stackDir, dir, workspace, { kind: "emulator", endpoint: KEYED_ENDPOINT }, options.edit);
    key = resultKey({ tier: `emulator${options.showEmpty ? "-shown" : ""}`, copyDir: dir, extra: [workspace.tools.mirror, `moto ${moto}`], volatile: [dir, stackDir] });
    const kept = results().read<EmulatorRun>("emulator", key);
    if (kept) return { ...kept.result, keptFrom: kept.keptFrom };
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const server = await startMotoServer();
  try {
    const copy = TerraformCopy.create(stackDir, dir, workspace, { kind: "emulator", endpoint: server.endpoint }, options.edit);
    const applySeconds = await copy.apply();
    const replan = options.showEmpty ? await copy.plan() : await copy.replan();
    const run: EmulatorRun = { applied: copy.stateResourceCount(), applySeconds, excluded: copy.excluded, adapted: copy.adapted, changes: replan.changes };
    if (key !== undefined && (options.keep?.(run) ?? true)) results().write("emulator", key, run);
    return run;
  } finally {
    await server.stop();
  }
}

export interface AppliedStack {
  /** The emulator the stack was applied to, still running: `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** `terraform output -json` after the apply. */
  readonly outputs: TerraformOutputs;
  readonly copy: TerraformCopy;
}

/**
 * `stackDir`'s working copy applied to its own moto_server; `use` runs while the emulator is
 * still up, with the stack's real outputs. Never kept: what `use` checks runs on this apply.
 */
export async function withAppliedStack<T>(stackDir: string, dir: string, use: (applied: AppliedStack) => Promise<T>): Promise<T> {
  const workspace = await providerWorkspace();
  const server = await startMotoServer();
  try {
    const copy = TerraformCopy.create(stackDir, dir, workspace, { kind: "emulator", endpoint: server.endpoint });
    await copy.apply();
    return await use({ endpoint: server.endpoint, outputs: await copy.outputs(), copy });
  } finally {
    await server.stop();
  }
}

const changesOnly = (changes: readonly PlannedChange[]) => changes.filter((c) => c.action !== "no-op" && c.action !== "read");

export async function emulateStack(stack: SynthesizedStackDir, workRoot: string): Promise<EmulatorTierResult> {
  // Only an empty re-plan is a result worth keeping: a failing one always runs again.
  const run = await emulatorRun(stack.dir, copyDir(workRoot, stack.label, "emulator"), { keep: (r) => changesOnly(r.changes).length === 0 });
  const changed = changesOnly(run.changes);
  return { label: stack.label, applied: run.applied, applySeconds: run.applySeconds, excluded: run.excluded, adapted: run.adapted, replan: changed, replanDiffs: formatDiffs(changed), keptFrom: run.keptFrom };
}

const kept = (from: string | undefined) => (from ? `; kept result of the run at ${from} on these exact bytes` : "");

export function planLine(r: PlanTierResult): string {
  const counts = actionCounts(r.changes);
  const other = counts.update + counts.replace + counts.delete;
  return `${r.label}: plan (validates first) ${r.toAdd} to add${other ? `, ${other} other change(s)` : ""} (${r.planSeconds.toFixed(1)} s${kept(r.keptFrom)})`;
}

export function emulatorLines(r: EmulatorTierResult): string[] {
  const head = `${r.label}: applied ${r.applied} resources in ${r.applySeconds.toFixed(1)} s${kept(r.keptFrom)}, re-plan: ${r.replan.length === 0 ? "no changes" : `${r.replan.length} change(s)`}`;
  return [head, ...r.excluded.map((e) => `  not applied to the emulator: ${e.address}: ${e.reason}`),
    ...r.adapted.map((e) => `  adapted for the emulator: ${e.address}: ${e.reason}`), ...r.replanDiffs.map((l) => `  ${l}`)];
}

/** The exclusion table, one line per type, for reports. */
export function exclusionTableLines(): string[] {
  return EMULATOR_EXCLUSIONS.map((e) => `${e.type}: ${e.reason}`);
}
