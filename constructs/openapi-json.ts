/**
 * The JSON shapes of the REST API's OpenAPI document, and its text as Terraform reads it.
 * Strings may hold cdktf tokens (ARNs, the resource server identifier): cdktf turns them into
 * `${...}` interpolations inside the body string, resolved by Terraform at plan time.
 */
export type Json = null | boolean | number | string | Json[] | { readonly [key: string]: Json | undefined };
export type JsonObject = { readonly [key: string]: Json | undefined };

/**
 * The document as the body string of `aws_api_gateway_rest_api_put`. Terraform reads every
 * string as a template: a literal `%{` is escaped (`%%{`); cdktf's token markers
 * (`${TfToken[...]}`) become interpolations. A literal `${` cannot occur (validation refuses `$`
 * in mock bodies and the document carries no free text), and is refused rather than guessed at.
 */
export function openApiBody(document: JsonObject): string {
  const text = JSON.stringify(document);
  if (/\$\{(?!TfToken\[)/.test(text)) throw new Error("the OpenAPI document holds a literal ${, which Terraform would read as an interpolation");
  return text.replace(/%\{/g, "%%{");
}
