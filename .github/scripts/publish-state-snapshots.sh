#!/usr/bin/env bash
# For each synthesized environment with remote state: terraform init, `terraform state pull`
# into a private temporary file, the provider schema, then sanitize-state.js writes
# <out>/<env>/snapshot.json; the raw state is deleted at once, whatever happens. Run only by
# state-snapshot.yml, on main's code, with the read-only state-reader role.
#
# Usage: publish-state-snapshots.sh <stacks dir> <out dir>
set -euo pipefail

stacks="${1:?usage: publish-state-snapshots.sh <stacks dir> <out dir>}"
out="${2:?usage: publish-state-snapshots.sh <stacks dir> <out dir>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
raw_dir="$(mktemp -d)"
trap 'rm -rf "$raw_dir"' EXIT
umask 077
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

shopt -s nullglob
for file in "$stacks"/*/cdk.tf.json; do
  dir="$(dirname "$file")"
  env="$(basename "$dir")"
  if ! jq -e '.terraform.backend.s3' "$file" > /dev/null; then
    echo "::notice title=${env}: no snapshot::environment ${env} keeps its state locally"
    continue
  fi
  terraform -chdir="$dir" init -input=false -no-color > /dev/null
  terraform -chdir="$dir" state pull > "${raw_dir}/${env}.json"
  terraform -chdir="$dir" providers schema -json > "${raw_dir}/${env}.schema.json"
  mkdir -p "${out}/${env}"
  node "${here}/sanitize-state.js" "${raw_dir}/${env}.json" "${raw_dir}/${env}.schema.json" "${out}/${env}/snapshot.json"
  rm -f "${raw_dir}/${env}.json"
done
