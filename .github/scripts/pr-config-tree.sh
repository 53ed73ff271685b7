#!/usr/bin/env bash
# Puts a pull request's CONFIG FILES, as data, into the trusted checkout of the default branch
# (issue 21): the review then validates, diffs and synthesizes them with the default branch's
# code, and runs nothing the pull request wrote.
#
# From the pull request's head (the tarball GitHub's API serves for the head commit) it takes
# only regular files that are configuration or handler sources:
#   m2m.config.ts           the main config (read as data by model/config-data-reader.ts);
#   **/*.m2m.ts             team files (read as data the same way);
#   backends/**             handler files: validated from the pull request's content (a new
#                           handler is found), bundled by esbuild, never run.
# and first removes the checkout's own copies of those, so a file the pull request deletes is
# gone. Links are never taken (the bytes reviewed must be the file's own), nor anything under
# node_modules/ or .git/. Every other change of the pull request is code: the comment lists it
# for the platform owners, and only the untrusted `pull request` run builds it.
#
# Usage: pr-config-tree.sh <head tarball> <checkout dir>
# Prints each file taken, one per line.
set -euo pipefail

tarball="${1:?usage: pr-config-tree.sh <head tarball> <checkout dir>}"
checkout="$(cd "${2:?usage: pr-config-tree.sh <head tarball> <checkout dir>}" && pwd)"

unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
# GNU tar refuses members with .. and strips leading /; no owners or modes are taken over.
tar -xzf "$tarball" -C "$unpacked" --no-same-owner --no-same-permissions
shopt -s nullglob dotglob
tops=("$unpacked"/*)
if [ "${#tops[@]}" -ne 1 ] || [ ! -d "${tops[0]}" ] || [ -L "${tops[0]}" ]; then
  echo "pr-config-tree: the tarball must hold one top directory (GitHub's <owner>-<repo>-<sha>/)" >&2
  exit 1
fi
head="${tops[0]}"

# What the pull request's head holds is what the review reads: the checkout's copies go first.
find "$checkout" \( -path "$checkout/node_modules" -o -path "$checkout/.git" \) -prune -o -type f -name '*.m2m.ts' -print0 | xargs -0 rm -f
rm -f "$checkout/m2m.config.ts"
rm -rf "$checkout/backends"

cd "$head"
find . \( -path ./node_modules -o -path ./.git \) -prune -o -type f \( -path ./m2m.config.ts -o -name '*.m2m.ts' -o -path './backends/*' \) -print0 |
  sort -z |
  while IFS= read -r -d '' file; do
    file="${file#./}"
    mkdir -p "$checkout/$(dirname "$file")"
    cp -- "$file" "$checkout/$file"
    chmod 0644 "$checkout/$file"
    echo "$file"
  done
