/** A JWKS endpoint on 127.0.0.1 serving fixed keys, for handlers run as the deployed bundle. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { jwksOf, type SigningKey } from "./cognito-tokens";

export interface JwksServer {
  readonly uri: string;
  close(): Promise<void>;
}

export async function startJwksServer(...keys: SigningKey[]): Promise<JwksServer> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwksOf(...keys)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
