/** callerOf reads the identity both authorizers leave in a REST proxy event, and nothing else. */
import { callerOf, CallerUnknownError, hasScope } from "../../backends/caller";

const SCOPE = "https://abc1234567.execute-api.eu-west-1.amazonaws.com/dev/payments.read https://abc1234567.execute-api.eu-west-1.amazonaws.com/dev/payments.write";

describe("callerOf", () => {
  it("reads the native Cognito authorizer's claims", () => {
    const caller = callerOf({ requestContext: { authorizer: { claims: { client_id: "client-a", scope: SCOPE, sub: "client-a", token_use: "access" } } } });
    expect(caller).toEqual({ clientId: "client-a", scopes: SCOPE.split(" ") });
    expect(hasScope(caller, "payments.write")).toBe(true);
    expect(hasScope(caller, "write")).toBe(false);
  });

  it("reads the scope checker's context", () => {
    const caller = callerOf({ requestContext: { authorizer: { principalId: "client-b", clientId: "client-b", scope: SCOPE, integrationLatency: 3 } } });
    expect(caller).toEqual({ clientId: "client-b", scopes: SCOPE.split(" ") });
  });

  it("gives no scopes for an empty scope claim, not a scope named ''", () => {
    expect(callerOf({ requestContext: { authorizer: { clientId: "c", scope: "" } } }).scopes).toEqual([]);
  });

  it("throws CallerUnknownError without an authorizer identity (deny when in doubt), whatever the headers say", () => {
    for (const event of [
      {},
      { requestContext: {} },
      { requestContext: { authorizer: null } },
      { requestContext: { authorizer: { claims: { scope: SCOPE } } } },
      { requestContext: { authorizer: { principalId: "x" } } },
      { requestContext: { authorizer: { clientId: "" } } },
      { headers: { "X-M2M-Client-Id": "forged" }, requestContext: { authorizer: {} } },
    ]) {
      expect(() => callerOf(event as never)).toThrow(CallerUnknownError);
    }
  });
});
