/**
 * "Did you mean ...?" for an unknown config field: the known fields at that place are read
 * from the schema itself (so the suggestion can never name a field that does not exist), and
 * the nearest one by edit distance (leven) is suggested when it is close enough to be a typo.
 */
import leven from "leven";
import type { z } from "zod";

type Def = { type: string; shape?: Record<string, Schema>; element?: Schema; innerType?: Schema; valueType?: Schema; options?: Schema[]; in?: Schema; values?: unknown[] };
type Schema = { _zod: { def: Def } };

const WRAPPERS = new Set(["optional", "nullable", "default", "readonly", "nonoptional", "catch", "prefault"]);

/** Peels optional/default/pipe wrappers, and picks the union option whose `type` literal matches the value (or, for an object, the object option). */
function unwrap(schema: Schema, value: unknown): Schema {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else if (def.type === "union" && def.options) {
      const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
      // Without a matching `type` literal (a client's limits: a tier name or an object), an object value takes the object option.
      const objectOption = typeof value === "object" && value !== null ? def.options.find((o) => unwrap(o, undefined)._zod.def.type === "object") : undefined;
      current = def.options.find((o) => unwrap(o, undefined)._zod.def.shape?.type?._zod.def.values?.includes(type)) ?? objectOption ?? def.options[0]!;
    } else return current;
  }
  return current;
}

function childOf(schema: Schema, key: PropertyKey, value: unknown): Schema | undefined {
  const def = unwrap(schema, value)._zod.def;
  if (def.type === "object") return typeof key === "string" ? def.shape?.[key] : undefined;
  if (def.type === "array") return def.element;
  if (def.type === "record") return def.valueType;
  return undefined;
}

/** The field names the schema knows at `path` (an object's shape), given the input found there. */
export function knownFieldsAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let current: Schema | undefined = schema as unknown as Schema;
  let value = input;
  for (const key of path) {
    if (current === undefined) return [];
    current = childOf(current, key, value);
    value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  if (current === undefined) return [];
  const def = unwrap(current, value)._zod.def;
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/** The known field `unknown` most likely misspells, if any: same letters in another case, or a few edits away. */
export function nearestField(unknown: string, known: readonly string[]): string | undefined {
  const sameCase = known.find((k) => k.toLowerCase() === unknown.toLowerCase());
  if (sameCase !== undefined) return sameCase;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = leven(unknown.toLowerCase(), name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  // A third of the name, at least 2 edits (one swapped pair: "nmae" -> "name") and at most 3.
  const allowed = Math.min(3, Math.max(2, Math.floor(unknown.length / 3)));
  return best !== undefined && best.distance <= allowed ? best.name : undefined;
}
