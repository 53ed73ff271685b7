/**
 * Runtime tier, backends: every backend function of the verified configs, from exactly its zip,
 * in a fresh Node 22, invoked with a REST `AWS_PROXY` event as API Gateway sends it after the
 * authorizer (caller identity in requestContext.authorizer): the answer is a proxy result
 * (status, string body) that names the calling client; without an identity the payments
 * backend refuses (403).
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { synthesizeStacks, VERIFIED_CONFIGS } from "../../verify/verified-configs";
import { lambdaArtifacts, resolvedEnvironment, type LambdaArtifact } from "./lambda-artifacts";
import { LambdaProcess } from "./lambda-process";
import { placeholderWorld } from "./runtime-world";

const root = tempDir("runtime-backends");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const backends: [string, LambdaArtifact][] = (["default", "all-options", "per-team"] as const).flatMap((name) =>
  synthesizeStacks(name, VERIFIED_CONFIGS[name]().config, path.join(root, name)).flatMap((stack) =>
    lambdaArtifacts(stack.dir, placeholderWorld)
      .filter((a) => !a.functionName.endsWith("-scope-checker") && !a.functionName.endsWith("-secret-rotation"))
      .map((a) => [`${stack.label} ${a.functionName}`, a] as [string, LambdaArtifact]),
  ),
);

function proxyEvent(authorizer: Record<string, unknown> | undefined) {
  const body = JSON.stringify({ amount: 1250, currency: "EUR", reference: "runtime tier" });
  return {
    resource: "/payments", path: "/payments", httpMethod: "POST",
    headers: { "content-type": "application/json" }, multiValueHeaders: { "content-type": ["application/json"] },
    queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null,
    requestContext: {
      accountId: "123456789012", apiId: "runtime1234", stage: "live", resourcePath: "/payments", httpMethod: "POST", path: "/live/payments",
      protocol: "HTTP/1.1", requestId: randomUUID(), requestTimeEpoch: Date.now(), identity: { sourceIp: "192.0.2.10", userAgent: "runtime-tier" },
      ...(authorizer === undefined ? {} : { authorizer }),
    },
    body, isBase64Encoded: false,
  };
}

test("the configs have backend functions", () => expect(backends.length).toBeGreaterThanOrEqual(2));

test.each(backends)("%s answers an API Gateway proxy event with the caller's identity", async (_label, artifact) => {
  const { process: lambda } = await LambdaProcess.start(artifact, { variables: resolvedEnvironment(artifact, placeholderWorld) });
  try {
    const clientId = `client-${randomUUID().slice(0, 8)}`;
    const viaScopeChecker = await lambda.invoke(proxyEvent({ clientId, scope: "https://runtime-tier.example/api/payments.write", principalId: clientId }));
    const viaCognito = await lambda.invoke(proxyEvent({ claims: { client_id: clientId, scope: "https://runtime-tier.example/api/payments.write", token_use: "access" } }));
    for (const answer of [viaScopeChecker, viaCognito]) {
      expect(answer.ok).toBe(true);
      const result = answer.result as { statusCode: number; body: string };
      expect(typeof result.statusCode).toBe("number");
      expect(result.statusCode).toBeLessThan(300);
      expect(typeof result.body).toBe("string");
      expect(result.body).toContain(clientId);
    }
    if (artifact.functionName.endsWith("-payments")) {
      const anonymous = await lambda.invoke(proxyEvent(undefined));
      expect((anonymous.result as { statusCode: number }).statusCode).toBe(403);
    }
  } finally {
    await lambda.stop();
  }
});
