/**
 * Reading policies the ways cdktf writes them: `${jsonencode({...})}` (produced here by real
 * cdktf synthesis, not hand-written), plain JSON, and `data.aws_iam_policy_document`; and an
 * unreadable policy fails its rule instead of passing it.
 */
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Fn, Testing } from "cdktn";
import { HclValueSyntaxError, parseHclValue } from "../../security/hcl-value";
import { UnreadablePolicyError, policyStatements } from "../../security/policy-document";
import { exactReference, referencesIn } from "../../security/references";
import { lambdaRoleLeastPrivilegeRule } from "../../security/rules/lambda-role-least-privilege";
import type { TerraformJson } from "../../security/terraform-json";

function synthesizedPolicy(): { json: TerraformJson; policy: string } {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      const group = new CloudwatchLogGroup(scope, "group", { name: "/aws/lambda/f", retentionInDays: 7 });
      const role = new IamRole(scope, "role", { name: "r", assumeRolePolicy: "{}" });
      new IamRolePolicy(scope, "policy", {
        role: role.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            { Sid: "Logs", Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: `${group.arn}:*` },
            { Effect: "Deny", Action: "logs:DeleteLogGroup", Resource: group.arn, Condition: { Bool: { "aws:SecureTransport": false } } },
            { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: Fn.join(",", ["a", group.name]) },
          ],
        }),
      });
    }),
  ) as TerraformJson;
  const policy = Object.values(json.resource!.aws_iam_role_policy)[0].policy as string;
  return { json, policy };
}

describe("policy documents", () => {
  test("reads a synthesized jsonencode policy, references and nested quotes included", () => {
    const { json, policy } = synthesizedPolicy();
    expect(policy.startsWith("${jsonencode(")).toBe(true);
    const statements = policyStatements(json, policy);
    expect(statements.map((s) => [s.sid, s.effect, s.actions, s.resources])).toEqual([
      ["Logs", "Allow", ["logs:PutLogEvents"], ["${aws_cloudwatch_log_group.group.arn}:*"]],
      [undefined, "Deny", ["logs:DeleteLogGroup"], ["${aws_cloudwatch_log_group.group.arn}"]],
      [undefined, "Allow", ["logs:DescribeLogGroups"], ['${join(",", ["a", aws_cloudwatch_log_group.group.name])}']],
    ]);
    expect(statements[1].conditions).toEqual([{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }]);
  });

  test("reads plain JSON with a string principal", () => {
    const statements = policyStatements({}, JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "x" } }));
    expect(statements).toEqual([
      expect.objectContaining({ effect: "Allow", principals: [{ type: "*", identifiers: ["*"] }], actions: ["execute-api:Invoke"], resources: ["x"] }),
    ]);
  });

  test("reads a data.aws_iam_policy_document by reference", () => {
    const json: TerraformJson = {
      data: {
        aws_iam_policy_document: {
          trust: { statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }] },
        },
      },
    };
    expect(policyStatements(json, "${data.aws_iam_policy_document.trust.json}")).toEqual([
      expect.objectContaining({ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }),
    ]);
  });

  test("refuses what it cannot read", () => {
    expect(() => policyStatements({}, '${file("policy.json")}')).toThrow(UnreadablePolicyError);
    expect(() => policyStatements({}, "${data.aws_iam_policy_document.absent.json}")).toThrow(UnreadablePolicyError);
    expect(() => parseHclValue('{"a" = [1, 2}')).toThrow(HclValueSyntaxError);
  });

  test("an unreadable Lambda role policy fails M2M-IAM-001 instead of passing", () => {
    const json: TerraformJson = {
      resource: {
        aws_lambda_function: { f: { function_name: "f", role: "${aws_iam_role.r.arn}" } },
        aws_iam_role: { r: { assume_role_policy: "{}" } },
        aws_iam_role_policy: { p: { role: "${aws_iam_role.r.id}", policy: '${file("anything.json")}' } },
      },
    };
    const outcome = lambdaRoleLeastPrivilegeRule.check({ json, metadata: { environmentName: "x", production: false, accessLogsEnabled: false } });
    expect(outcome.failures).toEqual([{ address: "aws_iam_role_policy.p", problem: expect.stringMatching(/not readable/) }]);
  });
});

describe("references", () => {
  test("finds resource and data references inside interpolations only", () => {
    expect(referencesIn({ a: "${aws_iam_role.x.arn}/y", b: ["${data.aws_region.current.name}"], c: "aws_iam_role.not_interpolated.arn" })).toEqual([
      { address: "aws_iam_role.x", attribute: "arn" },
      { address: "data.aws_region.current", attribute: "name" },
    ]);
    expect(exactReference("${aws_api_gateway_stage.stage.arn}")).toEqual({ address: "aws_api_gateway_stage.stage", attribute: "arn" });
    expect(exactReference("${aws_api_gateway_stage.stage.arn}/x")).toBeUndefined();
  });
});
