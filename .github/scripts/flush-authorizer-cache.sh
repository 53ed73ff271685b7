#!/usr/bin/env bash
# Flushes API Gateway's authorizer cache on every stage just deployed. The scope checker's answers
# are cached per token for scopeChecker.resultTtlSeconds (300 s by default): without a flush, a
# client just cut off, removed or narrowed keeps calling scope-checker routes with the tokens it
# holds until its cached Allow expires. Cheap, and harmless on a stage without a Lambda
# authorizer, so it runs after every deploy, on every API of the stack.
#
# Usage: flush-authorizer-cache.sh <environment> <outputs file>
# The outputs file is `npm run deploy -- <env> --outputs-file <file>`'s (bin/outputs-file.js):
#   one API:      { "<env>": { "invoke_url": "<url>", ... } }
#   several APIs: { "<env>": { "invoke_urls": { "<api>": "<url>", ... }, ... } }
# each URL = https://<rest api id>.execute-api.<region>.amazonaws.com/<stage>.
# Needs apigateway:DELETE on arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>/cache/authorizers.
set -euo pipefail

environment="${1:?usage: flush-authorizer-cache.sh <environment> <outputs file>}"
outputs="${2:?usage: flush-authorizer-cache.sh <environment> <outputs file>}"

if [ ! -f "$outputs" ]; then
  echo "::error title=authorizer cache not flushed::no outputs file ${outputs}"
  exit 1
fi
# Every stage URL of the environment, whichever form its stack has; one line each.
mapfile -t invoke_urls < <(jq -r --arg env "$environment" '
  (.[$env] // {}) as $stack
  | ([$stack.invoke_url] + (if ($stack.invoke_urls | type) == "object" then [$stack.invoke_urls[]] else [] end))
  | map(strings) | unique | .[]' "$outputs")
if [ "${#invoke_urls[@]}" -eq 0 ]; then
  echo "::error title=authorizer cache not flushed::${outputs} has neither invoke_url nor invoke_urls for ${environment}; tokens of cut-off clients may pass scope-checker routes until the authorizer cache expires"
  exit 1
fi
url_pattern='^https://([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/([A-Za-z0-9_-]+)/?$'
for invoke_url in "${invoke_urls[@]}"; do
  if [[ ! "$invoke_url" =~ $url_pattern ]]; then
    echo "::error title=authorizer cache not flushed::${outputs} names ${invoke_url} for ${environment}, not of the form https://<rest api id>.execute-api.<region>.amazonaws.com/<stage>; tokens of cut-off clients may pass scope-checker routes until the authorizer cache expires"
    exit 1
  fi
done
for invoke_url in "${invoke_urls[@]}"; do
  [[ "$invoke_url" =~ $url_pattern ]]
  rest_api_id="${BASH_REMATCH[1]}"
  region="${BASH_REMATCH[2]}"
  stage="${BASH_REMATCH[4]}"
  aws apigateway flush-stage-authorizers-cache --rest-api-id "$rest_api_id" --stage-name "$stage" --region "$region"
  echo "flushed the authorizer cache of stage ${stage} (REST API ${rest_api_id}, ${region})"
done
