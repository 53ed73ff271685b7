#!/usr/bin/env bash
# Flushes API Gateway's authorizer cache on the stage just deployed. The scope checker's answers
# are cached per token for scopeChecker.resultTtlSeconds (300 s by default): without a flush, a
# client just cut off, removed or narrowed keeps calling scope-checker routes with the tokens it
# holds until its cached Allow expires. Cheap, and harmless on a stage without a Lambda
# authorizer, so it runs after every deploy.
#
# Usage: flush-authorizer-cache.sh <environment> <outputs file>
# The outputs file is `npm run deploy -- <env> --outputs-file <file>`'s: { "<env>": { "invoke_url": ... } },
# invoke_url = https://<rest api id>.execute-api.<region>.amazonaws.com/<stage>.
# Needs apigateway:DELETE on arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>/cache/authorizers.
set -euo pipefail

environment="${1:?usage: flush-authorizer-cache.sh <environment> <outputs file>}"
outputs="${2:?usage: flush-authorizer-cache.sh <environment> <outputs file>}"

if [ ! -f "$outputs" ]; then
  echo "::error title=authorizer cache not flushed::no outputs file ${outputs}"
  exit 1
fi
invoke_url="$(jq -r --arg env "$environment" '.[$env].invoke_url // empty | strings' "$outputs")"
url_pattern='^https://([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/([A-Za-z0-9_-]+)/?$'
if [[ ! "$invoke_url" =~ $url_pattern ]]; then
  echo "::error title=authorizer cache not flushed::${outputs} has no invoke_url for ${environment} of the form https://<rest api id>.execute-api.<region>.amazonaws.com/<stage>; tokens of cut-off clients may pass scope-checker routes until the authorizer cache expires"
  exit 1
fi
rest_api_id="${BASH_REMATCH[1]}"
region="${BASH_REMATCH[2]}"
stage="${BASH_REMATCH[4]}"

aws apigateway flush-stage-authorizers-cache --rest-api-id "$rest_api_id" --stage-name "$stage" --region "$region"
echo "flushed the authorizer cache of stage ${stage} (REST API ${rest_api_id}, ${region})"
