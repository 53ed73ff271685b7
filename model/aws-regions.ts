/**
 * AWS regions as the AWS SDK knows them: the partition data `@aws-sdk/core` carries for its
 * endpoint resolution (kept current by AWS with every SDK release), not a hand-written list.
 * The package exports a `partition(region)` resolver but not the data, and its resolver falls
 * back to a pattern (any `eu-…-N` is "aws"), so it cannot tell a real region from a typo; the
 * data is read from the package's own copy instead (its path is pinned with the exact version
 * in package.json, and tests fail if it moves).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface PartitionsData {
  readonly partitions: readonly { readonly id: string; readonly regions: Readonly<Record<string, unknown>> }[];
}

const DATA_FILE = "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js";

let regions: ReadonlyMap<string, string> | undefined;

/** Every region the SDK lists, with its partition id (`aws`, `aws-cn`, `aws-us-gov`, …). */
export function knownRegions(): ReadonlyMap<string, string> {
  if (regions) return regions;
  const file = join(dirname(require.resolve("@aws-sdk/core/package.json")), DATA_FILE);
  const match = /export const partitionsInfo = ([\s\S]*);\s*$/.exec(readFileSync(file, "utf8"));
  if (!match) throw new Error(`${file}: no partition data (has @aws-sdk/core changed its layout?)`);
  const data = JSON.parse(match[1]!) as PartitionsData;
  const map = new Map<string, string>();
  for (const partition of data.partitions) {
    // "aws-global" and its kind are endpoint pseudo-regions, not places to deploy to.
    for (const region of Object.keys(partition.regions)) if (!region.endsWith("-global")) map.set(region, partition.id);
  }
  regions = map;
  return map;
}

/** The partition of a listed region, or undefined for a region the SDK does not know. */
export function partitionOf(region: string): string | undefined {
  return knownRegions().get(region);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The listed `aws` region closest to `region` in spelling (the first in list order on a tie). */
export function nearestRegion(region: string): string {
  let best = "";
  let bestDistance = Infinity;
  for (const [candidate, partition] of knownRegions()) {
    if (partition !== "aws") continue;
    const distance = editDistance(region, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
