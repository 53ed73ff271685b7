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
