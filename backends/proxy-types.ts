/**
 * The slice of API Gateway's REST `AWS_PROXY` contract a backend handler sees: the event it is
 * invoked with and the result it returns. Declared here (not taken from @types/aws-lambda) so
 * handlers and the offline environment share one definition and bundles have no type dependency.
 */

/**
 * What the authorizer left in the request context.
 * - Native Cognito authorizer: `claims`, the access token's claims, every value a string.
 * - Scope checker (Lambda REQUEST authorizer): `principalId` and its context, `clientId` and `scope`.
 */
export interface ProxyAuthorizerContext {
  readonly claims?: Readonly<Record<string, string>>;
  readonly principalId?: string;
  readonly clientId?: string;
  readonly scope?: string;
  readonly [key: string]: unknown;
}

export interface RestProxyEvent {
  /** The resource template that matched, e.g. `/orders/{id}`. */
  readonly resource: string;
  /** The request path after the stage, e.g. `/orders/42`. */
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Readonly<Record<string, string>> | null;
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>> | null;
  readonly queryStringParameters: Readonly<Record<string, string>> | null;
  readonly multiValueQueryStringParameters: Readonly<Record<string, readonly string[]>> | null;
  readonly pathParameters: Readonly<Record<string, string>> | null;
  readonly stageVariables: Readonly<Record<string, string>> | null;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly stage: string;
    readonly resourcePath: string;
    readonly httpMethod: string;
    readonly path: string;
    readonly protocol: string;
    readonly requestId: string;
    readonly requestTimeEpoch: number;
    readonly identity: { readonly sourceIp: string; readonly userAgent: string | null };
    readonly authorizer?: ProxyAuthorizerContext | null;
  };
  /** The body as text (base64 when `isBase64Encoded`), or null without one. */
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

export interface RestProxyResult {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string | number | boolean>>;
  readonly multiValueHeaders?: Readonly<Record<string, readonly (string | number | boolean)[]>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

export type RestProxyHandler = (event: RestProxyEvent, context?: unknown) => Promise<RestProxyResult>;
