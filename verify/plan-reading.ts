/**
 * Reading Terraform's own plan (`terraform show -json <planfile>`): what each resource will do,
 * and, for anything that is not a no-op, exactly which attributes differ (path, before → after).
 */

export type PlanAction = "create" | "update" | "replace" | "delete" | "read" | "no-op";

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
  /** Attribute paths that make this resource replace (Terraform's `replace_paths`). */
  readonly replacePaths: readonly string[];
  readonly before: any;
  readonly after: any;
  readonly afterUnknown: any;
}

export interface AttributeDiff {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface PlanJson {
  readonly resource_changes?: readonly any[];
  readonly configuration?: any;
}

function actionOf(actions: readonly string[]): PlanAction {
  const key = actions.join(",");
  if (key === "create") return "create";
  if (key === "delete") return "delete";
  if (key === "update") return "update";
  if (key === "read") return "read";
  if (key === "no-op") return "no-op";
  if (key === "delete,create" || key === "create,delete") return "replace";
  throw new Error(`unknown plan actions ${key}`);
}

function pathText(parts: readonly (string | number)[]): string {
  return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

export function plannedChanges(plan: PlanJson): PlannedChange[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === "managed")
    .map((rc) => ({
      address: rc.address as string,
      type: rc.type as string,
      action: actionOf(rc.change.actions),
      replacePaths: ((rc.change.replace_paths ?? []) as (string | number)[][]).map(pathText),
      before: rc.change.before,
      after: rc.change.after,
      afterUnknown: rc.change.after_unknown,
    }));
}

function jsonObjectIn(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "string" || !value.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function shown(value: unknown): string {
  const text = value === undefined ? "(absent)" : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Attributes that differ between before and after; unknown-after-apply values show as such. */
export function attributeDiffs(change: PlannedChange): AttributeDiff[] {
  const diffs: AttributeDiff[] = [];
  const walk = (before: unknown, after: unknown, unknown: unknown, at: (string | number)[]): void => {
    if (unknown === true) {
      diffs.push({ path: pathText(at), before, after: "(known after apply)" });
      return;
    }
    const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object";
    if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
      const keys = new Set([...Object.keys(before), ...Object.keys(after), ...(isObject(unknown) ? Object.keys(unknown) : [])]);
      for (const key of [...keys].sort()) {
        const part = Array.isArray(before) ? Number(key) : key;
        walk((before as any)[key], (after as any)[key], isObject(unknown) ? (unknown as any)[key] : undefined, [...at, part]);
      }
      return;
    }
    // A JSON document in a string (an OpenAPI body, a policy): compare inside it, path by path.
    const parsedBefore = jsonObjectIn(before);
    const parsedAfter = jsonObjectIn(after);
    if (parsedBefore && parsedAfter && before !== after) {
      const last = at.length - 1;
      walk(parsedBefore, parsedAfter, undefined, [...at.slice(0, last), `${at[last]}(json)`]);
      return;
    }
    if (JSON.stringify(before) !== JSON.stringify(after)) diffs.push({ path: pathText(at), before, after });
  };
  walk(change.before ?? null, change.after ?? null, change.afterUnknown, []);
  return diffs;
}

/** One readable line per differing attribute: `address: path: before → after`. */
export function formatDiffs(changes: readonly PlannedChange[]): string[] {
  const lines: string[] = [];
  for (const change of changes) {
    if (change.action === "no-op" || change.action === "read") continue;
    lines.push(`${change.address}: ${change.action}${change.replacePaths.length ? ` (forced by ${change.replacePaths.join(", ")})` : ""}`);
    if (change.action === "update" || change.action === "replace") {
      for (const d of attributeDiffs(change)) {
        // A replaced resource's computed attributes are all "known after apply": noise, not causes.
        if (change.action === "replace" && d.after === "(known after apply)" && !change.replacePaths.includes(d.path)) continue;
        lines.push(`  ${d.path}: ${shown(d.before)} → ${shown(d.after)}`);
      }
    }
  }
  return lines;
}

/** Counts per action, for the one-line summary. */
export function actionCounts(changes: readonly PlannedChange[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, replace: 0, delete: 0, read: 0, "no-op": 0 };
  for (const change of changes) counts[change.action]++;
  return counts;
}
