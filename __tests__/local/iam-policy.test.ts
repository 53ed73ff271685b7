/** Policy evaluation as API Gateway applies a Lambda authorizer's answer. */
import { evaluatePolicy } from "../../local/iam-policy";

const arn = "arn:aws:execute-api:eu-west-1:000000000000:abc123defg/dev/POST/payments";
const policy = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

describe("evaluatePolicy", () => {
  it("allows a method ARN covered by an Allow with wildcards", () => {
    expect(evaluatePolicy(policy({ Effect: "Allow", Action: "execute-api:Invoke", Resource: ["arn:aws:execute-api:eu-west-1:000000000000:abc123defg/dev/POST/payments"] }), arn)).toBe("allow");
    expect(evaluatePolicy(policy({ Effect: "Allow", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:000000000000:abc123defg/dev/*/payments" }), arn)).toBe("allow");
    expect(evaluatePolicy(policy({ Effect: "Allow", Action: ["execute-api:*"], Resource: ["arn:aws:execute-api:eu-west-1:000000000000:abc123defg/dev/POS?/*"] }), arn)).toBe("allow");
  });

  it("lets an explicit Deny win over an Allow", () => {
    const both = policy(
      { Effect: "Allow", Action: "execute-api:Invoke", Resource: ["*"] },
      { Effect: "Deny", Action: "execute-api:Invoke", Resource: [arn] },
    );
    expect(evaluatePolicy(both, arn)).toBe("explicit-deny");
  });

  it("denies implicitly when no statement covers the ARN", () => {
    expect(evaluatePolicy(policy({ Effect: "Allow", Action: "execute-api:Invoke", Resource: ["arn:aws:execute-api:eu-west-1:000000000000:abc123defg/dev/GET/payments"] }), arn)).toBe("implicit-deny");
    expect(evaluatePolicy(policy({ Effect: "Allow", Action: "s3:GetObject", Resource: ["*"] }), arn)).toBe("implicit-deny");
    // Regex metacharacters in a pattern are literals, not wildcards.
    expect(evaluatePolicy(policy({ Effect: "Allow", Action: "execute-api:Invoke", Resource: ["arn:aws:execute-api:eu-west-1:000000000000:abc123defg/dev/POST/pay.ents"] }), arn)).toBe("implicit-deny");
    expect(evaluatePolicy(undefined, arn)).toBe("implicit-deny");
    expect(evaluatePolicy({ Statement: "nonsense" }, arn)).toBe("implicit-deny");
  });
});
