/**
 * M2M-LAM-003: no secret in a Lambda function's environment variables. They are plain text in
 * the synthesized JSON, the Terraform state and the function's configuration (anyone with
 * lambda:GetFunctionConfiguration reads them). Names that say "secret", "password", "token",
 * "key" fail, and so do values shaped like credentials; secrets are read from Secrets Manager
 * at run time. (Reads of a managed secret's value are M2M-SEC-002's.)
 */
import { isSecretLikeName } from "../../model/backends";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, resourcesOf } from "../terraform-json";

/** Values that are credentials whatever their name: AWS access key ids, PEM private keys, bearer JWTs. */
const CREDENTIAL_VALUE = /(?:^|[^A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?:$|[^A-Z0-9])|-----BEGIN [A-Z ]*PRIVATE KEY-----|^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/;

export const lambdaEnvironmentSecretsRule: SecurityRule = {
  id: "M2M-LAM-003",
  rationale: "Lambda environment variables hold no secrets (no secret-like names, no credential-shaped values): they are plain text in the JSON, the state and the function's configuration",
  resourceTypes: ["aws_lambda_function"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const fn of resourcesOf(json, "aws_lambda_function")) {
      const variables = (blockOf(fn.body.environment)?.variables ?? {}) as Record<string, unknown>;
      const problems: string[] = [];
      for (const [name, value] of Object.entries(variables)) {
        if (isSecretLikeName(name)) problems.push(`variable ${name} is named like a secret`);
        else if (typeof value === "string" && !value.includes("${") && CREDENTIAL_VALUE.test(value)) problems.push(`variable ${name} holds a credential-shaped value`);
      }
      out.expect(fn.address, problems.length === 0, `${problems.join("; ")}: read secrets from Secrets Manager at run time`);
    }
    return out.outcome();
  },
};
