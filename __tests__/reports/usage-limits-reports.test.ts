/** Limits in the reports: each client's usage plan in the access model, Markdown and HTML; a change of limits in the access diff. */
import { diffModels } from "../../reports/access-diff";
import { renderAccessDiffMarkdown } from "../../reports/access-diff-markdown";
import { renderAccessHtml } from "../../reports/access-html";
import { renderAccessMarkdown } from "../../reports/access-markdown";
import { modelAccess } from "../../reports/environment-access";
import { validateConfig } from "../../model/validate";
import { limitedConfig } from "../support/limited-config";

const model = validateConfig(limitedConfig());
const [dev, prod] = modelAccess(model);

test("the access model names each counted client's usage plan and limits, and marks the metered route", () => {
  const plan = (name: string) => dev!.clients.find((c) => c.name === name)!.usagePlan;
  expect(plan("billing")).toEqual({ plan: "tier-partner", tier: "partner", rateLimit: 5, burstLimit: 10, quota: { limit: 1000000, period: "MONTH" }, summary: "5 req/s, burst 10, 1000000 per MONTH (tier partner)" });
  expect(plan("settlement")!.summary).toBe("2 req/s, burst 3, 6 per DAY");
  expect(prod!.clients.find((c) => c.name === "settlement")!.usagePlan!.summary).toBe("20 req/s, burst 40");
  expect(plan("auditor")).toEqual({ plan: "unmetered", summary: "unlimited (stage throttling)" });
  expect(plan("reader")).toBeUndefined();
  expect(dev!.routes.filter((r) => r.metered).map((r) => r.id)).toEqual(["POST /payments"]);
});

test("Markdown and HTML reports have a rate limits and quotas section", () => {
  const markdown = renderAccessMarkdown(dev!);
  expect(markdown).toContain("## Rate limits and quotas");
  expect(markdown).toContain("| **billing** | `tier-partner` | 5 req/s, burst 10, 1000000 per MONTH (tier partner) | `POST /payments` |");
  expect(markdown).toContain("| **auditor** | `unmetered` | unlimited (stage throttling) | `POST /payments` |");
  const html = renderAccessHtml(dev!);
  expect(html).toContain('<section id="limits">');
  expect(html).toContain("2 req/s, burst 3, 6 per DAY");
  // No limits, no section.
  const plain = modelAccess(validateConfig({ ...limitedConfig(), clients: limitedConfig().clients!.map(({ limits: _l, overrides: _o, ...c }) => c) }))[0]!;
  expect(renderAccessMarkdown(plain)).not.toContain("Rate limits");
});

test("a change of a tier's numbers, and a client leaving its plan, are listed in the access diff", () => {
  const head = limitedConfig() as any;
  head.usageTiers.partner = { rateLimit: 8, burstLimit: 16, quota: { limit: 2_000_000, period: "MONTH" } };
  head.clients.find((c: { name: string }) => c.name === "settlement").limits = undefined;
  head.clients.find((c: { name: string }) => c.name === "settlement").overrides = undefined;
  const diff = diffModels(model, validateConfig(head));
  const devDiff = diff.environments.find((e) => e.environment === "dev")!;
  expect(devDiff.clients).toEqual([
    { kind: "changed", name: "billing", scopesAdded: [], scopesRemoved: [], limits: { before: "5 req/s, burst 10, 1000000 per MONTH (tier partner) [tier-partner]", after: "8 req/s, burst 16, 2000000 per MONTH (tier partner) [tier-partner]" } },
    { kind: "changed", name: "settlement", scopesAdded: [], scopesRemoved: [], limits: { before: "2 req/s, burst 3, 6 per DAY [client-settlement]", after: "unlimited (stage throttling) [unmetered]" } },
  ]);
  const markdown = renderAccessDiffMarkdown(diff, { base: "origin/main", head: "working tree" });
  expect(markdown).toContain("Client `billing`: **rate limits and quota** 5 req/s, burst 10, 1000000 per MONTH (tier partner) \\[tier-partner\\] → 8 req/s, burst 16, 2000000 per MONTH (tier partner) \\[tier-partner\\]");
});
