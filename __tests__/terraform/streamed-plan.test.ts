/**
 * Reading `terraform plan -json`'s streamed messages (what the plan tier reads instead of a
 * `show -json` of a plan file): the managed resources' actions, checked against Terraform's own
 * change summary, and its error diagnostics as readable lines. The message shapes are
 * Terraform 1.11's machine-readable UI (copied from a real plan of the default dev stack).
 */
import { streamedDiagnostics, streamedPlanActions } from "../../verify/plan-reading";

const change = (addr: string, action: string) =>
  JSON.stringify({ "@level": "info", "@message": `${addr}: Plan to ${action}`, "@module": "terraform.ui", change: { resource: { addr, module: "", resource: addr, implied_provider: "aws", resource_type: addr.replace(/^data\./, "").split(".")[0], resource_name: addr.split(".").pop(), resource_key: null }, action }, type: "planned_change" });
const summary = (add: number, changed: number, remove: number) =>
  JSON.stringify({ "@level": "info", "@message": `Plan: ${add} to add, ${changed} to change, ${remove} to destroy.`, "@module": "terraform.ui", changes: { add, change: changed, import: 0, remove, operation: "plan" }, type: "change_summary" });
const version = JSON.stringify({ "@level": "info", "@message": "Terraform 1.11.4", terraform: "1.11.4", type: "version", ui: "1.2" });

describe("streamedPlanActions", () => {
  it("lists each managed resource's action, data sources left out", () => {
    const stdout = [version, change("aws_cognito_user_pool.pool", "create"), change("aws_iam_role.r", "replace"), change("aws_sns_topic.t", "update"), change("data.aws_iam_policy_document.p", "read"), summary(2, 1, 1), ""].join("\n");
    expect(streamedPlanActions(stdout)).toEqual([
      { address: "aws_cognito_user_pool.pool", type: "aws_cognito_user_pool", action: "create" },
      { address: "aws_iam_role.r", type: "aws_iam_role", action: "replace" },
      { address: "aws_sns_topic.t", type: "aws_sns_topic", action: "update" },
    ]);
  });

  it("refuses a stream whose actions disagree with Terraform's summary, or that has none", () => {
    expect(() => streamedPlanActions([change("aws_iam_role.r", "create"), summary(2, 0, 0)].join("\n"))).toThrow(/disagree with its summary/);
    expect(() => streamedPlanActions(change("aws_iam_role.r", "create"))).toThrow(/no change_summary/);
    expect(() => streamedPlanActions([change("aws_iam_role.r", "teleport"), summary(0, 0, 0)].join("\n"))).toThrow(/unknown streamed plan action teleport for aws_iam_role.r/);
  });
});

describe("streamedDiagnostics", () => {
  it("gives each error as Terraform words it, with where; warnings left out", () => {
    const error = JSON.stringify({ "@level": "error", type: "diagnostic", diagnostic: { severity: "error", summary: "Unsupported argument", detail: 'An argument named "bogus" is not expected here.', range: { filename: "main.tf.json", start: { line: 12 } } } });
    const warning = JSON.stringify({ "@level": "warn", type: "diagnostic", diagnostic: { severity: "warning", summary: "Deprecated" } });
    expect(streamedDiagnostics([version, warning, error].join("\n"))).toEqual(['Error: main.tf.json:12: Unsupported argument: An argument named "bogus" is not expected here.']);
  });
});
