/**
 * Running a chain of change transitions as one background task per chain: each step edits the
 * config (cumulatively), plans it against the state the previous apply left, applies it, and
 * reads what the REST API holds afterwards. Tests await the step they assert on; a failed step
 * fails the steps after it with a message naming it.
 */
import type { EditableConfig as EditableAnyConfig } from "../reports/config-fixtures";
import { TransitionChain, type TransitionPlan } from "../../verify/transition";
import type { PlannedChange } from "../../verify/plan-reading";

/** The chains edit the one-API form (`api` + `routes` at the top), whose addresses carry no prefix. */
export type EditableConfig = EditableAnyConfig & { routes: any[]; api: any };

export interface TransitionStep {
  readonly name: string;
  /** Edits the chain's config in place (the previous steps' edits stay). */
  readonly edit?: (config: EditableConfig) => void;
  /** The environment disappears from the config: a destroy plan of its stack. */
  readonly removesEnvironment?: boolean;
  /** Terraform must refuse this step's plan with a message matching this (e.g. prevent_destroy). */
  readonly refusedWith?: RegExp;
}

export interface StepResult {
  readonly plan: TransitionPlan;
  /** The config B of this step (after its edit). */
  readonly config: EditableConfig;
  /** The REST API's methods in the emulator after the apply (undefined for a removal). */
  readonly liveRoutes?: readonly string[];
  /** Managed resources left in the state after the apply. */
  readonly stateResources: number;
}

export interface ChainRun {
  readonly steps: ReadonlyMap<string, Promise<StepResult>>;
  /** The refreshed plan after the last apply that leaves the environment (empty when converged). */
  readonly finalReplan: Promise<readonly PlannedChange[]>;
  readonly done: Promise<void>;
  readonly timings: string[];
}

export function runChain(root: string, environment: string, base: EditableConfig, steps: readonly TransitionStep[]): ChainRun {
  const resolvers = new Map<string, { resolve: (r: StepResult) => void; reject: (e: Error) => void }>();
  const promises = new Map<string, Promise<StepResult>>();
  for (const step of steps) {
    const promise = new Promise<StepResult>((resolve, reject) => resolvers.set(step.name, { resolve, reject }));
    promise.catch(() => undefined); // awaited by the tests; no unhandled rejection meanwhile
    promises.set(step.name, promise);
  }
  let finishReplan!: (r: readonly PlannedChange[]) => void;
  let failReplan!: (e: Error) => void;
  const finalReplan = new Promise<readonly PlannedChange[]>((resolve, reject) => {
    finishReplan = resolve;
    failReplan = reject;
  });
  finalReplan.catch(() => undefined);
  const timings: string[] = [];

  const done = (async () => {
    const started = Date.now();
    const config = structuredClone(base);
    let chain: TransitionChain | undefined;
    let failed: string | undefined;
    try {
      chain = await TransitionChain.start(root, environment, config);
      timings.push(`${environment}: A applied in ${chain.applySeconds[0]!.toFixed(1)} s`);
      for (const step of steps) {
        const { resolve, reject } = resolvers.get(step.name)!;
        if (failed) {
          reject(new Error(`not run: step "${failed}" failed before it`));
          continue;
        }
        try {
          // The convergence check comes before an environment is removed (then nothing is left to read).
          if (step.removesEnvironment) finishReplan(await chain.replan());
          step.edit?.(config);
          const plan = step.removesEnvironment ? await chain.planRemoval() : await chain.planTo(config);
          await (step.removesEnvironment ? chain.applyRemoval(plan) : chain.apply(plan));
          const liveRoutes = step.removesEnvironment ? undefined : await chain.liveRoutes();
          timings.push(`${environment}: ${step.name}: plan ${plan.seconds.toFixed(1)} s, apply ${chain.applySeconds.at(-1)!.toFixed(1)} s`);
          resolve({ plan, config: structuredClone(config), liveRoutes, stateResources: chain.copy.stateResourceCount() });
        } catch (error) {
          failed = step.name;
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
      if (failed) failReplan(new Error(`not run: step "${failed}" failed`));
      else if (!steps.some((s) => s.removesEnvironment)) finishReplan(await chain.replan());
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      for (const { reject } of resolvers.values()) reject(e);
      failReplan(e);
    } finally {
      await chain?.close();
      timings.push(`${environment}: chain of ${steps.length} steps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  })();
  return { steps: promises, finalReplan, done, timings };
}
