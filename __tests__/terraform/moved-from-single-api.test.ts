/**
 * Issue 11: a stack deployed from the one-API form switches to the several-API form without
 * touching a resource. The one-API fixture's dev stack is applied to moto_server; the same
 * content written in the `apis` form with `movedFromSingleApi` is then planned against that
 * state: every resource of the API moves to its prefixed address (Terraform's `moved` blocks,
 * each one named in the plan as the resource's previous address), nothing is created, updated,
 * replaced or destroyed; after the moves are applied, a refreshed re-plan is empty.
 */
import * as fs from "node:fs";
import singleApiConfig from "../fixtures/single-api.config";
import { synthConfig, tempDir } from "../support/synth";
import { TransitionChain, type TransitionPlan } from "../../verify/transition";
import movedConfig from "./fixtures/moved-from-single-api.config";
import { terraformTierDescribe } from "./tier-gate";

const gate = terraformTierDescribe(true);

gate.describe(gate.title("the one-API form's dev stack, switched to the apis form with movedFromSingleApi"), () => {
  jest.setTimeout(900_000);
  let root: string;
  let chain: TransitionChain | undefined;
  let plan: TransitionPlan;

  beforeAll(async () => {
    root = tempDir("tf-moved");
    chain = await TransitionChain.start(root, "dev", singleApiConfig);
    plan = await chain.planTo(movedConfig);
  });
  afterAll(async () => {
    await chain?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("plans only moves: nothing created, updated, replaced or destroyed", () => {
    expect(plan.summary).toEqual({ create: [], update: [], replace: [], delete: [] });
  });

  test("moves every resource of the API to its prefixed address, as the stack's moved blocks say", () => {
    const declared = (synthConfig(movedConfig).dev!.json as unknown as { moved: { from: string; to: string }[] }).moved;
    expect(declared.length).toBeGreaterThan(10);
    const planned = (plan.json.resource_changes ?? [])
      .filter((rc) => rc.mode === "managed" && rc.previous_address !== undefined)
      .map((rc) => `${rc.previous_address} -> ${rc.address} (${rc.change.actions.join(",")})`)
      .sort();
    expect(planned).toEqual(declared.map((m) => `${m.from} -> ${m.to} (no-op)`).sort());
    expect(planned).toContain("aws_api_gateway_rest_api.rest_api -> aws_api_gateway_rest_api.m2m_demo_api_rest_api (no-op)");
    expect(planned).toContain("aws_cognito_resource_server.resource_server -> aws_cognito_resource_server.m2m_demo_api_resource_server (no-op)");
  });

  test("after the moves are applied, a refreshed re-plan is empty", async () => {
    await chain!.apply(plan);
    expect(await chain!.replan()).toEqual([]);
  });
});
