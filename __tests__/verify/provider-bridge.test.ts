/**
 * verify/provider-bridge.ts, the working copy's bridge from the pinned provider (6.66) to the
 * mirror's 5.100: an argument 5.100 takes passes; one it lacks, or only reads back (computed), is
 * dropped by a named rule or refused, never passed through to fail later or dropped in silence.
 */
import { bridgeBlock } from "../../verify/provider-bridge";
import type { SchemaBlock } from "../../verify/provider-workspace";

const LAMBDA_5_100: SchemaBlock = {
  attributes: {
    function_name: { required: true },
    source_code_hash: { optional: true, computed: true },
    code_sha256: { computed: true },
    last_modified: { computed: true },
  },
};
const context = { providerRegion: "eu-west-1" };

function bridge(body: Record<string, unknown>) {
  const problems: string[] = [];
  const out = bridgeBlock("aws_lambda_function.f", body, LAMBDA_5_100, context, problems);
  return { out, problems };
}

test("arguments 5.100 takes pass as they are", () => {
  expect(bridge({ function_name: "f", source_code_hash: "h" })).toEqual({ out: { function_name: "f", source_code_hash: "h" }, problems: [] });
});

test("code_sha256, an argument since 6.27 and only read back by 5.100, is dropped by its rule", () => {
  expect(bridge({ function_name: "f", source_code_hash: "h", code_sha256: "h" })).toEqual({ out: { function_name: "f", source_code_hash: "h" }, problems: [] });
});

test("another attribute 5.100 only reads back is refused, not passed on", () => {
  expect(bridge({ function_name: "f", last_modified: "now" }).problems).toEqual([expect.stringMatching(/^aws_lambda_function\.f\.last_modified: not an argument of provider 5\.100\.0/)]);
});

test("a per-resource region: dropped when it is the provider's, refused otherwise", () => {
  expect(bridge({ function_name: "f", region: "eu-west-1" })).toEqual({ out: { function_name: "f" }, problems: [] });
  expect(bridge({ function_name: "f", region: "us-east-1" }).problems).toEqual([expect.stringMatching(/region "us-east-1" differs from the provider's "eu-west-1"/)]);
});
