/** The Secrets Manager value format the stack writes, parsed without AWS (nothing is fetched here). */
import { ClientDisabledError, parseClientCredentialsSecret, SecretLookupError } from "../../client/client-secret-store";

const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m2m-demo-api/dev/reader-AbCdEf";
const value = {
  clientId: "abcdefghijklmnopqrstuvwxyz",
  clientSecret: "the-secret-value-1234567890",
  tokenEndpoint: "https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
  scopes: ["https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev/read"],
};

describe("parseClientCredentialsSecret", () => {
  it("reads {clientId, clientSecret, tokenEndpoint, scopes}", () => {
    expect(parseClientCredentialsSecret(arn, JSON.stringify(value))).toEqual(value);
  });

  it("names the secret and the problem, never the value", () => {
    const cases = ["not json", JSON.stringify({ ...value, scopes: "read" }), JSON.stringify({ clientSecret: value.clientSecret }), "null"];
    for (const text of cases) {
      let error: unknown;
      try {
        parseClientCredentialsSecret(arn, text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SecretLookupError);
      expect((error as Error).message).toMatch(new RegExp(`^could not read client credentials from secret ${arn}: the value (is not JSON|lacks clientId, clientSecret, tokenEndpoint or scopes)$`));
      expect((error as Error).message).not.toContain(value.clientSecret);
    }
  });

  it("recognises a disabled client's secret (the stack writes {disabled: true} in place of credentials)", () => {
    let error: unknown;
    try {
      parseClientCredentialsSecret(arn, JSON.stringify({ disabled: true, tokenEndpoint: value.tokenEndpoint }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClientDisabledError);
    expect(error).toBeInstanceOf(SecretLookupError);
    expect((error as Error).message).toBe(`could not read client credentials from secret ${arn}: the client is disabled (its app client is deleted; the secret holds no credentials)`);
  });
});
