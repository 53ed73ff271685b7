/**
 * Where each part of a merged config came from. The loader merges the team files of `apiFiles`
 * into the main config (each file's API appended to `apis`, its clients to `clients`); the
 * validator reports problems in merged terms (`apis[2].routes[0].path`), and these origins turn
 * them back into what the reader edits (`apis/orders.m2m.ts: routes[0].path`).
 */
import type { ConfigProblem } from "./problems";

/** A merged entry's place in its own file: the file (relative to the main config's directory) and the path of the entry there. */
export interface EntryOrigin {
  readonly file: string;
  /** `""` for a team file's API (the file is the API), `clients[1]` for its second client. */
  readonly at: string;
}

export interface ConfigOrigins {
  /** The main config's file name, as the loader was given it: named when a rule points at one of its entries. */
  readonly mainFile: string;
  /** By index in the merged `apis`; absent for the main file's own. */
  readonly apis: readonly (EntryOrigin | undefined)[];
  /** By index in the merged `clients`; absent for the main file's own. */
  readonly clients: readonly (EntryOrigin | undefined)[];
}

const ORIGINS = new WeakMap<object, ConfigOrigins>();

export function recordOrigins(config: object, origins: ConfigOrigins): void {
  ORIGINS.set(config, origins);
}

export function originsOf(config: unknown): ConfigOrigins | undefined {
  return typeof config === "object" && config !== null ? ORIGINS.get(config) : undefined;
}

/** Whether the loader has merged this config's `apiFiles` (a config built in code has not). */
export function loadedApiFiles(config: unknown): boolean {
  return originsOf(config) !== undefined;
}

/**
 * The field of a model file (`npm run model:json`) that carries a merged config's origins: the
 * data is one JSON object, so where each API and client came from travels inside it, and is
 * taken out again before validation ({@link restoreOrigins}).
 */
export const ORIGINS_FIELD = "x-m2m-origins";

/** The config as data for a model file: its origins (when the loader merged team files) in {@link ORIGINS_FIELD}. */
export function withOriginsField(config: unknown): unknown {
  const origins = originsOf(config);
  return origins === undefined ? config : { ...(config as object), [ORIGINS_FIELD]: origins };
}

function entryOrigin(value: unknown): EntryOrigin | undefined | false {
  if (value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) return false;
  const { file, at, ...rest } = value as Record<string, unknown>;
  return typeof file === "string" && typeof at === "string" && Object.keys(rest).length === 0 ? { file, at } : false;
}

/** Why a model file's origins cannot be used (one sentence). */
export const MALFORMED_ORIGINS = `${ORIGINS_FIELD} must be { mainFile, apis, clients } with a { file, at } or null per merged API and client`;

/**
 * The config data of a model file with its {@link ORIGINS_FIELD} taken out and recorded for the
 * validator (other data is returned as it is). The origins only name files (an API's
 * `sourceFile`, where a problem is); a malformed record is refused, not guessed at.
 */
export function restoreOrigins(data: unknown): { readonly config: unknown } | { readonly problem: string } {
  if (typeof data !== "object" || data === null || Array.isArray(data) || !(ORIGINS_FIELD in data)) return { config: data };
  const { [ORIGINS_FIELD]: raw, ...config } = data as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { problem: MALFORMED_ORIGINS };
  const { mainFile, apis, clients, ...rest } = raw as Record<string, unknown>;
  if (typeof mainFile !== "string" || !Array.isArray(apis) || !Array.isArray(clients) || Object.keys(rest).length > 0) return { problem: MALFORMED_ORIGINS };
  const [apiOrigins, clientOrigins] = [apis.map(entryOrigin), clients.map(entryOrigin)];
  if ([...apiOrigins, ...clientOrigins].some((o) => o === false)) return { problem: MALFORMED_ORIGINS };
  recordOrigins(config, { mainFile, apis: apiOrigins as (EntryOrigin | undefined)[], clients: clientOrigins as (EntryOrigin | undefined)[] });
  return { config };
}

const ENTRY = /\b(apis|clients)\[(\d+)\](\.?)/g;

/**
 * `apis[2].routes[0]` -> `apis/orders.m2m.ts: routes[0]` for an entry from a team file. In a
 * rule's text (`also at apis[0].name`), an entry of the main file is named with its file too,
 * since the reader may be looking at a team file.
 */
function locate(text: string, origins: ConfigOrigins, inRule: boolean): string {
  return text.replace(ENTRY, (whole, list: "apis" | "clients", index: string, dot: string) => {
    const origin = origins[list][Number(index)];
    if (!origin) return inRule ? `${origins.mainFile} ${whole}` : whole;
    if (origin.at === "") return dot ? `${origin.file}: ` : origin.file;
    return `${origin.file}: ${origin.at}${dot}`;
  });
}

/** Problems with paths (and the paths their rules mention) in the terms of the file that holds each field. */
export function locateProblems(problems: readonly ConfigProblem[], origins: ConfigOrigins | undefined): ConfigProblem[] {
  if (!origins) return [...problems];
  return problems.map((p) => ({ ...p, path: locate(p.path, origins, false), rule: locate(p.rule, origins, true) }));
}
