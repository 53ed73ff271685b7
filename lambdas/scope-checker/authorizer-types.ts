/**
 * The slice of API Gateway's REST `REQUEST` authorizer contract that the scope checker uses.
 * Declared here (not taken from @types/aws-lambda) so the Lambda has no type-only dependency.
 */

/** The REST `REQUEST` authorizer event, as far as the scope checker reads it. */
export interface RequestAuthorizerEvent {
  readonly type?: string;
  /** `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<request path>` */
  readonly methodArn: string;
  /** The resource template that matched, e.g. `/orders/{id}`. */
  readonly resource?: string | null;
  readonly httpMethod?: string | null;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
  /** On a mutual-TLS custom domain, the certificate the caller presented (API Gateway validated its chain). */
  readonly requestContext?: {
    readonly identity?: { readonly clientCert?: { readonly clientCertPem?: string | null; readonly [field: string]: unknown } | null; readonly [field: string]: unknown } | null;
    readonly [field: string]: unknown;
  } | null;
}

export interface PolicyStatement {
  readonly Action: "execute-api:Invoke";
  readonly Effect: "Allow" | "Deny";
  readonly Resource: readonly string[];
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** API Gateway accepts only string, number or boolean context values. */
export interface AuthorizerContext {
  readonly clientId: string;
  /** The token's `scope` claim, space separated, as Cognito issued it. */
  readonly scope: string;
  /** Why a verified token was denied for its certificate binding (the 403 body shows it): absent otherwise. */
  readonly denyReason?: CertificateDenyReason;
}

/** A certificate binding refused the call (model/certificate-binding.ts). */
export type CertificateDenyReason = "certificate-missing" | "certificate-mismatch" | "client-not-bound";

export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context: AuthorizerContext;
  /** The client's usage-plan API key (usage-key.ts): API Gateway meters the call by it where the method requires a key. */
  readonly usageIdentifierKey: string;
}

export type AuthorizerHandler = (event: RequestAuthorizerEvent) => Promise<AuthorizerResult>;
