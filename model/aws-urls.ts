/** The URLs and identifiers AWS derives from names, built one way for every consumer. */

/**
 * The stage's invoke URL, which is also the resource server identifier. Built from the REST API
 * id and the *literal* region and stage name, never from the deployment or stage resource, so
 * the resource server (and the scopes methods use) does not depend on the deployment: no cycle.
 */
export function invokeUrl(restApiId: string, region: string, stageName: string): string {
  return `https://${restApiId}.execute-api.${region}.amazonaws.com/${stageName}`;
}

/**
 * An API's base URL on the environment's custom domain: one base path per API, its name. This is
 * the resource server identifier when the environment has a custom domain: it names no REST API
 * id, so it survives the REST API's replacement (and app clients no longer depend on REST APIs).
 */
export function customDomainApiUrl(apiDomainName: string, apiName: string): string {
  return `https://${apiDomainName}/${apiName}`;
}

export function cognitoDomainUrl(domainPrefix: string, region: string): string {
  return `https://${domainPrefix}.auth.${region}.amazoncognito.com`;
}

export function tokenEndpointUrl(domainPrefix: string, region: string, customDomainName?: string): string {
  return `${customDomainName === undefined ? cognitoDomainUrl(domainPrefix, region) : `https://${customDomainName}`}/oauth2/token`;
}

/** The `iss` claim of tokens from a user pool. */
export function issuerUrl(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** The full scope identifier a token carries and a method requires: `<resource server identifier>/<name>`. */
export function scopeIdentifier(resourceServerIdentifier: string, scopeName: string): string {
  return `${resourceServerIdentifier}/${scopeName}`;
}
