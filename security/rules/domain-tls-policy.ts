/** M2M-EDG-001: every API Gateway custom domain refuses TLS below 1.2. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

/** TLS 1.2 and later: the legacy policy name, and the enhanced policies of the 1.2 and 1.3 families. */
const TLS_1_2_OR_LATER = /^(TLS_1_2|SecurityPolicy_TLS1[23]_.+)$/;

export const domainTlsPolicyRule: SecurityRule = {
  id: "M2M-EDG-001",
  rationale: "Custom domains negotiate TLS 1.2 at least (security_policy TLS_1_2): partners' tokens never cross TLS 1.0/1.1",
  resourceTypes: ["aws_api_gateway_domain_name"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const domain of resourcesOf(json, "aws_api_gateway_domain_name")) {
      const policy = domain.body.security_policy;
      out.expect(domain.address, typeof policy === "string" && TLS_1_2_OR_LATER.test(policy), `security_policy is ${JSON.stringify(policy ?? null)}, not TLS_1_2 or a TLS 1.2/1.3 policy (unset means API Gateway's default, which admits TLS 1.0)`);
    }
    return out.outcome();
  },
};
