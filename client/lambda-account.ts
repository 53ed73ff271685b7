/**
 * The account's Lambda concurrency in one region (GetAccountSettings, signed with the caller's
 * AWS credentials), for `m2m doctor`: what the stacks reserve must leave Lambda its 100
 * unreserved executions. One attempt, a few seconds at most: the doctor must not hang.
 */
export interface AccountConcurrency {
  /** The account's concurrent executions quota in the region. */
  readonly limit: number;
  /** What no function has reserved. */
  readonly unreserved: number;
}

export async function accountConcurrency(region: string): Promise<AccountConcurrency> {
  // Loaded on use: the CLI's other commands never load the Lambda client.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GetAccountSettingsCommand, LambdaClient } = require("@aws-sdk/client-lambda") as typeof import("@aws-sdk/client-lambda");
  const client = new LambdaClient({ region, maxAttempts: 1, requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 } });
  try {
    const settings = await client.send(new GetAccountSettingsCommand({}));
    const limit = settings.AccountLimit?.ConcurrentExecutions;
    const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions;
    if (limit === undefined || unreserved === undefined) throw new Error("GetAccountSettings answered without AccountLimit");
    return { limit, unreserved };
  } finally {
    client.destroy();
  }
}
