/**
 * The Cognito side of client credentials: a user pool that nobody can sign up to, its domain
 * (the token endpoint), one resource server per API keyed to that API's invoke URL with that
 * API's scopes, and one app client per configured client, allowed its scopes across the APIs.
 */
import { CognitoResourceServer } from "@cdktn/provider-aws/lib/cognito-resource-server";
import { CognitoUserPool } from "@cdktn/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktn/provider-aws/lib/cognito-user-pool-client";
import { CognitoUserPoolDomain } from "@cdktn/provider-aws/lib/cognito-user-pool-domain";
import { Construct } from "constructs";
import type { Client, Environment, Scope, ScopeGrant } from "../model/model-types";
import { scopeIdentifier, tokenEndpointUrl } from "../model/aws-urls";
import { named } from "./terraform-names";

/** One API's resource server. */
export interface ResourceServerSpec {
  readonly api: string;
  /**
   * Where it is built: the API's construct (its name then carries the API's prefix); absent: in
   * the authorization server itself, where the one-API form always had it.
   */
  readonly scope?: Construct;
  readonly name: string;
  /**
   * Its identifiers, each a resource server of its own, the first the canonical one (what the
   * outputs and the scope checker name): the invoke URL of the API's stage (a Terraform
   * expression built from its REST API's id), keyed `invoke-url`, and/or its custom-domain URL,
   * keyed `custom-domain`. Two during a move from one to the other (both sets of scopes valid).
   */
  readonly identifiers: readonly ResourceServerIdentifier[];
  readonly scopes: readonly Scope[];
}

export interface ResourceServerIdentifier {
  /** Which resource server: names its Terraform address (`resource_server`, `domain_resource_server`), so each keeps its own. */
  readonly key: "invoke-url" | "custom-domain";
  readonly identifier: string;
}

const RESOURCE_SERVER_NAMES: Readonly<Record<ResourceServerIdentifier["key"], readonly [id: string, name: string]>> = {
  "invoke-url": ["resource-server", "resource_server"],
  "custom-domain": ["domain-resource-server", "domain_resource_server"],
};

/** An app client and its `id` and `client_secret` references. */
export interface AppClientRefs {
  readonly resource: CognitoUserPoolClient;
  readonly id: string;
  readonly clientSecret: string;
}

export interface AuthorizationServerProps {
  readonly environment: Environment;
  /** Prefix of the user pool's name: the authorization server's name. */
  readonly namePrefix: string;
  /** One per API, in the model's order. */
  readonly resourceServers: readonly ResourceServerSpec[];
  readonly clients: readonly Client[];
}

export class AuthorizationServer extends Construct {
  readonly userPool: CognitoUserPool;
  readonly domain: CognitoUserPoolDomain;
  /** Each API's canonical resource server (the first of its identifiers), by API name. */
  readonly resourceServers: ReadonlyMap<string, CognitoResourceServer>;
  /** App clients by client name (enabled clients only). */
  readonly clients: ReadonlyMap<string, CognitoUserPoolClient>;
  readonly tokenEndpoint: string;
  /**
   * The resource server's `identifier` reference, taken once: every attribute access mints a
   * cdktf token (with a captured stack trace), and scopes are built hundreds of times.
   */
  private readonly identifierRefs = new Map<string, readonly string[]>();
  /** Likewise the pool's id and each app client's id and secret: a pool holds up to 1,000 clients. */
  /** The pool's `id` reference. */
  readonly userPoolId: string;
  private readonly clientRefCache = new Map<string, AppClientRefs>();

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

    this.userPoolId = this.userPool.id;
    this.domain = named(
      new CognitoUserPoolDomain(this, "domain", { domain: env.domainPrefix, userPoolId: this.userPoolId }),
      "user_pool_domain",
    );
    this.tokenEndpoint = tokenEndpointUrl(env.domainPrefix, env.region);

    const resourceServers = new Map<string, CognitoResourceServer>();
    for (const spec of props.resourceServers) {
      const servers = spec.identifiers.map(({ key, identifier }) => {
        const [id, name] = RESOURCE_SERVER_NAMES[key];
        return named(
          new CognitoResourceServer(spec.scope ?? this, id, {
            userPoolId: this.userPoolId,
            identifier,
            name: spec.name,
            scope: spec.scopes.map((s) => ({ scopeName: s.name, scopeDescription: s.description })),
          }),
          name,
        );
      });
      resourceServers.set(spec.api, servers[0]!);
      this.identifierRefs.set(spec.api, servers.map((s) => s.identifier));
    }
    this.resourceServers = resourceServers;

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
  scopeIdentifier(api: string, name: string): string {
    return this.scopeIdentifiers(api, name)[0]!;
  }

  /** The scope's identifier on each of the API's resource servers, the canonical one first (two while identifiers move). */
  scopeIdentifiers(api: string, name: string): string[] {
    const identifiers = this.identifierRefs.get(api);
    if (identifiers === undefined) throw new Error(`no resource server for API ${api}`); // validated model: cannot happen
    return identifiers.map((identifier) => scopeIdentifier(identifier, name));
  }

  /** The API's resource server identifiers besides the canonical one (two while identifiers move). */
  aliasIdentifiers(api: string): readonly string[] {
    return (this.identifierRefs.get(api) ?? []).slice(1);
  }

  /** An enabled client's app client with its `id` and `client_secret` references (taken once). */
  clientRefs(name: string): AppClientRefs {
    let refs = this.clientRefCache.get(name);
    if (!refs) {
      const resource = this.clients.get(name);
      if (!resource) throw new Error(`client ${name} has no app client (disabled or unknown)`); // validated model: cannot happen
      refs = { resource, id: resource.id, clientSecret: resource.clientSecret };
      this.clientRefCache.set(name, refs);
    }
    return refs;
  }

  /** The full identifier of a granted scope (on whichever API defines it). */
  grantIdentifier(grant: ScopeGrant): string {
    return this.scopeIdentifier(grant.api, grant.scope);
  }

  private createClient(client: Client): CognitoUserPoolClient {
    return named(
      new CognitoUserPoolClient(this, `client-${client.name}`, {
        name: client.name,
        userPoolId: this.userPoolId,
        generateSecret: true,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["client_credentials"],
        // Across the APIs: one token carries scopes of several resource servers, each API accepts its own.
        // While an API's identifiers move, both of its sets of scopes (tokens may carry either).
        allowedOauthScopes: client.scopes.flatMap((g) => this.scopeIdentifiers(g.api, g.scope)),
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
