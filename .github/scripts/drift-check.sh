#!/usr/bin/env bash
# A refresh-only plan of each synthesized environment with remote state (drift.yml, main only).
# Exit code of `terraform plan -detailed-exitcode`: 0 no drift, 2 drift (a ::warning naming the
# changed addresses, and the job fails so someone looks), 1 error. -lock=false: never blocks a deploy.
# The addresses go to the job summary; attribute values stay in the log, where Terraform masks
# those the provider marks sensitive.
#
# Usage: drift-check.sh <stacks dir>
set -euo pipefail

stacks="${1:?usage: drift-check.sh <stacks dir>}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
status=0

shopt -s nullglob
for file in "$stacks"/*/cdk.tf.json; do
  dir="$(dirname "$file")"
  env="$(basename "$dir")"
  jq -e '.terraform.backend.s3' "$file" > /dev/null || continue
  terraform -chdir="$dir" init -input=false -no-color > /dev/null
  set +e
  terraform -chdir="$dir" plan -refresh-only -lock=false -detailed-exitcode -input=false -no-color > "${dir}/drift.txt"
  code=$?
  set -e
  cat "${dir}/drift.txt"
  case "$code" in
    0) echo "no drift in ${env}" ;;
    2)
      addresses="$(grep -E '^  # [^ ]+ has changed' "${dir}/drift.txt" | sed -E 's/^  # ([^ ]+) has changed.*/\1/' | sort -u | tr '\n' ' ')"
      echo "::warning title=drift in ${env}::changed outside Terraform: ${addresses:-see the log}"
      printf '### drift in `%s`\n\n%s\n' "$env" "${addresses:-see the log}" >> "$summary"
      status=1
      ;;
    *)
      echo "::error title=drift check failed (${env})::terraform plan -refresh-only exited ${code}"
      status=1
      ;;
  esac
done
exit "$status"
