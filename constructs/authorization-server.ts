/**
 * The Cognito side of client credentials: a user pool that nobody can sign up to, its domain
 * (the token endpoint), a resource server keyed to the API's invoke URL with the API's scopes,
 * and one app client per configured client.
 */
import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { Construct } from "constructs";
import type { Client, Environment, Scope } from "../model/model-types";
import { scopeIdentifier, tokenEndpointUrl } from "../model/aws-urls";
import { named } from "./terraform-names";

export interface AuthorizationServerProps {
  readonly environment: Environment;
  /** Prefix of the user pool's name, e.g. the API name. */
  readonly namePrefix: string;
  readonly resourceServerName: string;
  /** The invoke URL of the API stage (a Terraform expression built from the REST API id). */
  readonly resourceServerIdentifier: string;
  readonly scopes: readonly Scope[];
  readonly clients: readonly Client[];
}

export class AuthorizationServer extends Construct {
  readonly userPool: CognitoUserPool;
  readonly domain: CognitoUserPoolDomain;
  readonly resourceServer: CognitoResourceServer;
  /** App clients by client name (enabled clients only). */
  readonly clients: ReadonlyMap<string, CognitoUserPoolClient>;
  readonly tokenEndpoint: string;
  /**
   * The resource server's `identifier` reference, taken once: every attribute access mints a
   * cdktf token (with a captured stack trace), and scopes are built hundreds of times.
   */
  private readonly identifierRef: string;

  constructor(scope: Construct, id: string, props: AuthorizationServerProps) {
    super(scope, id);
    const env = props.environment;

    this.userPool = named(
      new CognitoUserPool(this, "user-pool", {
        name: `${props.namePrefix}-${env.name}`,
        // Machines only: no self sign-up, no self-service recovery, no MFA prompts.
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        accountRecoverySetting: { recoveryMechanism: [{ name: "admin_only", priority: 1 }] },
        mfaConfiguration: "OFF",
        // The feature plan is explicit, so the plan never shows Cognito's default drifting in;
        // validation refuses options the plan lacks (threat protection needs PLUS).
        userPoolTier: env.userPoolTier,
        ...(env.threatProtection === "OFF" ? {} : { userPoolAddOns: { advancedSecurityMode: env.threatProtection } }),
        deletionProtection: env.deletionProtection ? "ACTIVE" : "INACTIVE",
        // Replacing the pool replaces every client id and secret: in protected environments
        // Terraform refuses a plan that would destroy it.
        lifecycle: env.deletionProtection ? { preventDestroy: true } : undefined,
      }),
      "user_pool",
    );

    this.domain = named(
      new CognitoUserPoolDomain(this, "domain", { domain: env.domainPrefix, userPoolId: this.userPool.id }),
      "user_pool_domain",
    );
    this.tokenEndpoint = tokenEndpointUrl(env.domainPrefix, env.region);

    this.resourceServer = named(
      new CognitoResourceServer(this, "resource-server", {
        userPoolId: this.userPool.id,
        identifier: props.resourceServerIdentifier,
        name: props.resourceServerName,
        scope: props.scopes.map((s) => ({ scopeName: s.name, scopeDescription: s.description })),
      }),
      "resource_server",
    );
    this.identifierRef = this.resourceServer.identifier;

    // A disabled (cut-off) client has no app client: the token endpoint answers invalid_client,
    // and re-enabling it issues a new id and secret, which is what a leaked secret calls for.
    const clients = new Map<string, CognitoUserPoolClient>();
    for (const client of props.clients) if (!client.disabled) clients.set(client.name, this.createClient(client));
    this.clients = clients;
  }

  /**
   * The full scope identifier, interpolating the resource server's `identifier` attribute: the
   * reference makes Terraform create the resource server (and so the scope) before anything
   * that uses it, or Cognito answers ScopeDoesNotExistException.
   */
  scopeIdentifier(name: string): string {
    return scopeIdentifier(this.identifierRef, name);
  }

  private createClient(client: Client): CognitoUserPoolClient {
    return named(
      new CognitoUserPoolClient(this, `client-${client.name}`, {
        name: client.name,
        userPoolId: this.userPool.id,
        generateSecret: true,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["client_credentials"],
        allowedOauthScopes: client.scopes.map((s) => this.scopeIdentifier(s)),
        // Client credentials needs no user auth flow; refresh-token auth is the minimum Cognito keeps.
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
        enableTokenRevocation: true,
        preventUserExistenceErrors: "ENABLED",
        // Units are explicit so the plan never shows Cognito's defaults drifting in.
        accessTokenValidity: client.accessTokenValidity.value,
        idTokenValidity: 60,
        refreshTokenValidity: 30,
        tokenValidityUnits: [{ accessToken: client.accessTokenValidity.unit, idToken: "minutes", refreshToken: "days" }],
      }),
      `client_${client.name}`,
    );
  }
}
