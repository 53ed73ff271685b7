/**
 * The `arn:<partition>:execute-api:<region>:<account>:<api id>/<stage>/` prefix of a method
 * ARN: every route's policy resource is this prefix plus the route's `METHOD/path` pattern.
 */

let lastArn: string | undefined;
let lastPrefix: string | undefined;

/** The prefix, or undefined when `methodArn` is not an API Gateway method ARN. Remembers the last answer (warm Lambdas see the same ARNs). */
export function methodArnPrefix(methodArn: unknown): string | undefined {
  if (methodArn === lastArn && lastArn !== undefined) return lastPrefix;
  const prefix = parsePrefix(methodArn);
  if (typeof methodArn === "string") {
    lastArn = methodArn;
    lastPrefix = prefix;
  }
  return prefix;
}

function parsePrefix(methodArn: unknown): string | undefined {
  if (typeof methodArn !== "string" || methodArn.length > 2048 || !methodArn.startsWith("arn:")) return undefined;
  // arn : partition : execute-api : region : account : rest
  let colon = -1;
  for (let i = 0; i < 5; i++) {
    colon = methodArn.indexOf(":", colon + 1);
    if (colon < 0) return undefined;
  }
  const service = methodArn.split(":", 3)[2];
  if (service !== "execute-api") return undefined;
  const apiEnd = methodArn.indexOf("/", colon + 1);
  if (apiEnd <= colon + 1) return undefined;
  const stageEnd = methodArn.indexOf("/", apiEnd + 1);
  if (stageEnd <= apiEnd + 1) return undefined;
  // Something must follow: the method of the request.
  if (stageEnd + 1 >= methodArn.length) return undefined;
  const prefix = methodArn.slice(0, stageEnd + 1);
  // A wildcard in the prefix would widen every statement to other APIs or stages.
  return /[*?]/.test(prefix) ? undefined : prefix;
}
