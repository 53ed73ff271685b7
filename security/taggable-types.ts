/**
 * Whether an AWS resource type takes `tags`, read from the provider bindings themselves (the
 * generated class of a taggable type has a `tags` argument), so the list never goes stale.
 */
const cache = new Map<string, boolean>();

export function isTaggable(type: string): boolean {
  const known = cache.get(type);
  if (known !== undefined) return known;
  let taggable = true; // a type the bindings do not know is checked rather than skipped
  if (type.startsWith("aws_")) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bindings = require(`@cdktn/provider-aws/lib/${type.slice(4).replace(/_/g, "-")}`) as Record<string, unknown>;
      const resourceClass = Object.values(bindings).find(
        (v): v is { prototype: object } => typeof v === "function" && (v as { tfResourceType?: string }).tfResourceType === type,
      );
      if (resourceClass) taggable = "tagsInput" in resourceClass.prototype;
    } catch {
      // not in the bindings: keep `true`
    }
  } else {
    taggable = false; // other providers (archive) have no default_tags
  }
  cache.set(type, taggable);
  return taggable;
}
