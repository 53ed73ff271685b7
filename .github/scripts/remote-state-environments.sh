#!/usr/bin/env bash
# Lists the synthesized environments whose Terraform state is remote (an S3 backend): the only
# ones CI can plan or deploy. A runner's disk is gone after the job, so an environment with local
# state (dev in the default config, deployed from a laptop with `npm run deploy -- dev`) is
# skipped with a notice, never failed.
#
# Usage: remote-state-environments.sh <deployed|planned> [stacks directory, default cdktf.out/stacks]
# Writes `environments=<JSON array>` to $GITHUB_OUTPUT (sorted names) and one ::notice per skipped
# environment to stdout. With KNOWN_ENVIRONMENTS (space-separated: the environments the workflow
# has jobs for), also warns about remote-state environments no job covers.
set -euo pipefail

what="${1:?usage: remote-state-environments.sh <deployed|planned> [stacks directory]}"
stacks="${2:-cdktf.out/stacks}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"

case "$what" in
  deployed) how="Deploy it from a workstation with: npm run deploy -- " ;;
  planned) how="See its plan locally with: npm run diff -- " ;;
  *) echo "usage: remote-state-environments.sh <deployed|planned> [stacks directory]" >&2; exit 2 ;;
esac

shopt -s nullglob
remote=()
for file in "$stacks"/*/cdk.tf.json; do
  env="$(basename "$(dirname "$file")")"
  if jq -e '.terraform.backend.s3' "$file" > /dev/null; then
    remote+=("$env")
  else
    echo "::notice title=${env} not ${what} by CI::environment ${env} keeps its Terraform state locally, which a CI runner would lose; CI skips it. ${how}${env} (or give it backend: { type: \"s3\", ... } in m2m.config.ts)."
  fi
done

if [ -n "${KNOWN_ENVIRONMENTS:-}" ]; then
  for env in ${remote[@]+"${remote[@]}"}; do
    if [[ " ${KNOWN_ENVIRONMENTS} " != *" ${env} "* ]]; then
      echo "::warning title=${env} has no deploy job::environment ${env} has remote state but the workflow has no job for it (jobs: ${KNOWN_ENVIRONMENTS}); add one to deploy it."
    fi
  done
fi

echo "environments=$(jq -cn '$ARGS.positional' --args ${remote[@]+"${remote[@]}"})" >> "$GITHUB_OUTPUT"
