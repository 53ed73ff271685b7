#!/usr/bin/env bash
# Plans a pull request's synthesized stacks with NO cloud credentials (issue 15), one
# environment with remote state at a time:
#   1. the plan guard (main's) checks the stack and writes the copy terraform will read, with
#      the backend replaced by local state and the aws provider set to placeholder credentials;
#      it prints that file's sha256;
#   2. the sanitized snapshot becomes the local state (none: an empty state, everything "create");
#   3. a local STS stand-in answers GetCallerIdentity with the snapshot's account id;
#   4. terraform init, then plan -refresh=false -lock=false, each preceded by a sha256 check of
#      the file: terraform reads exactly the bytes the guard checked and wrote.
# Environments with local state are skipped with a notice (they have no state in CI).
#
# Before anything (issue 21): the snapshots must name only the providers the stacks pin
# (state-snapshot-provenance.js check); one that does not stops the review here.
# Terraform runs sandboxed: `env -i` with a fresh HOME and TMPDIR under a new temporary
# directory, an explicit CLI config (TF_CLI_CONFIG_FILE) whose provider_installation names only
# the pinned providers' registry sources (no implied local mirror such as
# ~/.terraform.d/plugins, no plugin cache), its data directory in the sandbox, and the inputs
# (the guard's cdk.tf.json, assets, the state) read-only. Writable: the sandbox and the plan
# directory itself (terraform's lock file, the archives the stacks zip during plan).
#
# Usage: offline-plan.sh <stacks dir> <snapshots dir> <work dir>
#   snapshots dir: <env>/snapshot.json per environment (state-snapshot.yml's artifact), may be empty.
# Exit 1 when any environment fails the guard or the plan; the others are still planned.
set -euo pipefail

stacks="${1:?usage: offline-plan.sh <stacks dir> <snapshots dir> <work dir>}"
snapshots="${2:?usage: offline-plan.sh <stacks dir> <snapshots dir> <work dir>}"
work="${3:?usage: offline-plan.sh <stacks dir> <snapshots dir> <work dir>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
guard="${here}/../plan-guard/check-plan-input.js"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"

# Placeholders only: no credential of any kind reaches terraform or a provider.
export AWS_ACCESS_KEY_ID=placeholder-no-credentials
export AWS_SECRET_ACCESS_KEY=placeholder-no-credentials
export AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE GH_TOKEN GITHUB_TOKEN
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

mkdir -p "$work"
if ! node "${here}/state-snapshot-provenance.js" check "$snapshots"; then
  exit 1
fi

sandbox="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/offline-plan.XXXXXX")"
mkdir -p "${sandbox}/home" "${sandbox}/tmp" "${sandbox}/data"
cli_config="${sandbox}/terraform.rc"
sources="$(jq -r '[.requiredProviders[].source | "registry.terraform.io/" + .] | sort | map("\"" + . + "\"") | join(", ")' "${here}/../plan-guard/allow-list.json")"
cat > "$cli_config" <<RC
# Written by offline-plan.sh: only the providers the stacks pin, from their registry.
provider_installation {
  direct {
    include = [${sources}]
  }
}
RC
chmod a-w "$cli_config"

# Terraform and its providers see these variables and nothing else of the job's environment.
tf() {
  local env_name="$1"
  shift
  env -i PATH="$PATH" HOME="${sandbox}/home" TMPDIR="${sandbox}/tmp" \
    TF_CLI_CONFIG_FILE="$cli_config" TF_DATA_DIR="${sandbox}/data/${env_name}" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 \
    AWS_ACCESS_KEY_ID=placeholder-no-credentials AWS_SECRET_ACCESS_KEY=placeholder-no-credentials AWS_EC2_METADATA_DISABLED=true \
    terraform "$@"
}

status=0
sts_pid=""
stop_sts() { if [ -n "$sts_pid" ]; then kill "$sts_pid" 2>/dev/null || true; wait "$sts_pid" 2>/dev/null || true; sts_pid=""; fi; }
cleanup() { stop_sts; rm -rf "$sandbox"; }
trap cleanup EXIT

shopt -s nullglob
for file in "$stacks"/*/cdk.tf.json; do
  env="$(basename "$(dirname "$file")")"
  if [[ ! "$env" =~ ^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$ ]]; then
    echo "::error title=offline plan::stack directory $(printf '%q' "$env") is not an environment name"
    status=1
    continue
  fi
  # Only to decide what to plan: the guard below reads the file strictly and refuses it whole if need be.
  if ! jq -e '.terraform.backend.s3' "$file" > /dev/null 2>&1; then
    echo "::notice title=${env} not planned by CI::environment ${env} keeps its Terraform state locally; see its plan locally with: npm run diff -- ${env}"
    continue
  fi
  plan="${work}/${env}"
  state="${snapshots}/${env}/snapshot.json"
  empty_state=""
  if [ ! -f "$state" ]; then
    echo "::notice title=${env}: no state snapshot::planned against an empty state: every resource shows as created"
    empty_state="${work}/${env}.empty-state.json"
    printf '{"version": 4, "terraform_version": "1.11.4", "serial": 0, "lineage": "offline-plan-empty", "outputs": {}, "resources": [], "check_results": null}\n' > "$empty_state"
    state="$empty_state"
  fi

  endpoint_file="${work}/${env}.sts"
  rm -f "$endpoint_file"
  node "${here}/offline-sts.js" "$state" "$endpoint_file" &
  sts_pid=$!
  for _ in $(seq 1 50); do [ -s "$endpoint_file" ] && break; sleep 0.1; done
  if [ ! -s "$endpoint_file" ]; then
    echo "::error title=offline plan (${env})::the local STS stand-in did not start"
    status=1
    stop_sts
    continue
  fi
  endpoint="$(head -n 1 "$endpoint_file")"

  if ! node "$guard" "$(dirname "$file")" --plan-dir "$plan" --sts-endpoint "$endpoint" > "${work}/${env}.guard.txt"; then
    cat "${work}/${env}.guard.txt"
    status=1
    stop_sts
    continue
  fi
  cat "${work}/${env}.guard.txt"
  sha="$(sed -n 's/^plan guard: .*; wrote .* sha256 \([0-9a-f]\{64\}\)$/\1/p' "${work}/${env}.guard.txt")"
  if [[ ! "$sha" =~ ^[0-9a-f]{64}$ ]]; then
    echo "::error title=offline plan (${env})::the guard printed no sha256 of the file it wrote"
    status=1
    stop_sts
    continue
  fi
  cp "$state" "${plan}/terraform.tfstate"
  # Read-only inputs: what terraform reads is what was checked.
  chmod -R a-w "${plan}/cdk.tf.json" "${plan}/terraform.tfstate"
  if [ -d "${plan}/assets" ]; then chmod -R a-w "${plan}/assets"; fi
  check() { echo "${sha}  ${plan}/cdk.tf.json" | sha256sum --check --quiet --strict; }

  if check && tf "$env" -chdir="$plan" init -input=false -no-color && check &&
    tf "$env" -chdir="$plan" plan -refresh=false -lock=false -input=false -no-color > "${work}/${env}.plan.txt"; then
    {
      echo "### terraform plan: \`${env}\` (no credentials, state snapshot, -refresh=false)"
      echo '```'
      tail -c 60000 "${work}/${env}.plan.txt"
      echo '```'
    } >> "$summary"
    cat "${work}/${env}.plan.txt"
  else
    echo "::error title=offline plan (${env})::terraform init or plan failed, or the checked file changed"
    status=1
  fi
  stop_sts
done
exit "$status"
