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
  /** Terraform's sensitivity marks (`before_sensitive`/`after_sensitive`): never printed. */
  readonly beforeSensitive: any;
  readonly afterSensitive: any;
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
      beforeSensitive: rc.change.before_sensitive,
      afterSensitive: rc.change.after_sensitive,
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
  const sensitiveAt = (marks: unknown, at: readonly (string | number)[]): boolean => {
    let node = marks;
    for (const part of at) {
      if (node === true) return true;
      if (!node || typeof node !== "object") return false;
      node = (node as any)[typeof part === "string" ? part.replace(/\(json\)$/, "") : part];
    }
    return node === true;
  };
  const walk = (before: unknown, after: unknown, unknown: unknown, at: (string | number)[]): void => {
    // A secret (client secret, secret_string): say that it changed, never what it holds.
    if (sensitiveAt(change.beforeSensitive, at) || sensitiveAt(change.afterSensitive, at)) {
      if (JSON.stringify(before) !== JSON.stringify(after) || unknown === true) diffs.push({ path: pathText(at), before: "(sensitive)", after: unknown === true ? "(known after apply)" : "(sensitive)" });
      return;
    }
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
export function actionCounts(changes: readonly Pick<PlannedChange, "action">[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, replace: 0, delete: 0, read: 0, "no-op": 0 };
  for (const change of changes) counts[change.action]++;
  return counts;
}

/** One resource's planned action, as `terraform plan -json` streams it (no attribute values). */
export type PlannedAction = Pick<PlannedChange, "address" | "type" | "action">;

const STREAMED_ACTIONS: Record<string, PlanAction> = { create: "create", update: "update", replace: "replace", delete: "delete", read: "read", noop: "no-op" };

/**
 * The managed resources' actions from `terraform plan -json`'s streamed messages (`planned_change`,
 * one per resource that changes), checked against its `change_summary` totals. Saves the
 * `terraform show -json` of a plan file when only the actions matter: `show` starts the
 * provider again for its schema, seconds for the AWS provider.
 */
export function streamedPlanActions(stdout: string): PlannedAction[] {
  const actions: PlannedAction[] = [];
  let summary: { add: number; change: number; remove: number } | undefined;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line);
    if (message.type === "change_summary") summary = message.changes;
    if (message.type !== "planned_change") continue;
    const resource = message.change.resource;
    if (String(resource.addr).startsWith("data.") || String(resource.addr).includes(".data.")) continue;
    const action = STREAMED_ACTIONS[message.change.action];
    if (action === undefined) throw new Error(`unknown streamed plan action ${message.change.action} for ${resource.addr}`);
    actions.push({ address: resource.addr, type: resource.resource_type, action });
  }
  if (summary === undefined) throw new Error("terraform plan -json streamed no change_summary");
  const counts = actionCounts(actions);
  if (counts.create + counts.replace !== summary.add || counts.update !== summary.change || counts.delete + counts.replace !== summary.remove) {
    throw new Error(`streamed plan actions ${JSON.stringify(counts)} disagree with its summary ${JSON.stringify(summary)}`);
  }
  return actions;
}

/** The error diagnostics of a `-json` run, one line each (what Terraform would have printed). */
export function streamedDiagnostics(stdout: string): string[] {
  const lines: string[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const message = JSON.parse(line);
      if (message.type === "diagnostic" && message.diagnostic?.severity === "error") {
        const d = message.diagnostic;
        const where = d.range ? `${d.range.filename}:${d.range.start?.line}: ` : "";
        lines.push(`Error: ${where}${d.summary}${d.detail ? `: ${d.detail}` : ""}${d.address ? ` (${d.address})` : ""}`);
      }
    } catch {
      // not a message
    }
  }
  return lines;
}
