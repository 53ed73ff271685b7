/** M2M-TAG-001: every taggable resource carries Project, Environment and ManagedBy through default tags. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { isTaggable } from "../taggable-types";
import { blockOf, resourcesOf } from "../terraform-json";

export const REQUIRED_TAGS: readonly string[] = ["Project", "Environment", "ManagedBy"];

export const defaultTagsRule: SecurityRule = {
  id: "M2M-TAG-001",
  rationale: "The aws provider's default_tags carry Project, Environment and ManagedBy, and no resource overrides them: ownership is visible on every taggable resource",
  resourceTypes: ["provider", "*"],
  check({ json, metadata }) {
    const out = new OutcomeRecorder();
    // Provider address (`aws`, `aws.<alias>`) -> its default tags, if complete.
    const providers = new Map<string, Record<string, unknown> | undefined>();
    const blocks = (json.provider?.aws ?? []) as Record<string, any>[];
    if (blocks.length === 0) out.fail("provider.aws", "the stack has no aws provider block");
    for (const block of blocks) {
      const address = block.alias ? `aws.${block.alias}` : "aws";
      const tags = blockOf(block.default_tags)?.tags as Record<string, unknown> | undefined;
      const missing = REQUIRED_TAGS.filter((key) => typeof tags?.[key] !== "string" || tags[key] === "");
      if (missing.length > 0) out.fail(`provider.${address}`, `default_tags lacks ${missing.join(", ")}`);
      else if (tags!.Environment !== metadata.environmentName) out.fail(`provider.${address}`, `default_tags Environment is ${JSON.stringify(tags!.Environment)}, not ${JSON.stringify(metadata.environmentName)}`);
      else out.checked(`provider.${address}`);
      providers.set(address, missing.length === 0 ? tags : undefined);
    }

    for (const resource of resourcesOf(json)) {
      if (!isTaggable(resource.type)) continue;
      const provider = typeof resource.body.provider === "string" ? resource.body.provider.replace(/^\$\{(.*)\}$/, "$1") : "aws";
      const defaults = providers.get(provider);
      if (!defaults) {
        out.fail(resource.address, `uses provider ${provider}, which has no complete default_tags`);
        continue;
      }
      const tags = resource.body.tags;
      const overridden = typeof tags === "object" && tags !== null ? REQUIRED_TAGS.filter((key) => key in tags && (tags as Record<string, unknown>)[key] !== defaults[key]) : [];
      out.expect(resource.address, overridden.length === 0, `tags override the default ${overridden.join(", ")}`);
    }
    return out.outcome();
  },
};
