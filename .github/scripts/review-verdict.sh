#!/usr/bin/env bash
# The access review's word on a pull request, bound to one commit (issue 21, hole 5):
#
#   review-verdict.sh stale     when a new head's `pull request` run starts: the commit status
#                               of that head is `pending`, and the access-diff comment, if it is
#                               of another commit, is marked STALE at once (its text stays, under
#                               a banner naming both commits).
#   review-verdict.sh verdict   when the review of that head is done: the comment is replaced by
#                               the review of this commit (ACCESS_DIFF_RESULT=success) or by a
#                               failure notice (anything else: nothing green stands for a commit
#                               whose review failed); the commit status `access review` is
#                               success only when the diff and the plan both succeeded. A comment
#                               is written only while HEAD_SHA is still the pull request's head.
#
# Branch protection requires the `access review` status (docs/threat-model.md): a stale or failed
# review can then not be merged on. Runs main's code only; the review file is data it posts.
# Env: GH_TOKEN, REPOSITORY, HEAD_SHA, RUN_URL; for verdict also ACCESS_DIFF_RESULT, PLAN_RESULT,
# REVIEW_FILE (the access diff Markdown, when ACCESS_DIFF_RESULT=success).
set -euo pipefail

mode="${1:?usage: review-verdict.sh stale|verdict}"
: "${REPOSITORY:?}" "${HEAD_SHA:?}" "${RUN_URL:?}"
[[ "$HEAD_SHA" =~ ^[0-9a-f]{40}$ ]] || { echo "::error::HEAD_SHA is not a commit id"; exit 1; }
export HEAD_SHA
export MARKER="<!-- cognito-m2m-access-diff -->"
SHA_MARKER="<!-- cognito-m2m-head-sha: "
CONTEXT="access review"
short="${HEAD_SHA:0:12}"

number="$(gh api --paginate "repos/${REPOSITORY}/pulls?state=open&per_page=100" --jq '.[] | select(.head.sha == env.HEAD_SHA) | .number' | head -n 1)"

set_status() {
  gh api --method POST "repos/${REPOSITORY}/statuses/${HEAD_SHA}" -f state="$1" -f context="$CONTEXT" -f description="$2" -f target_url="$RUN_URL" > /dev/null
  echo "status ${CONTEXT} of ${short}: $1"
}

existing_comment() {
  gh api --paginate "repos/${REPOSITORY}/issues/${number}/comments" \
    --jq '.[] | select(.user.login == "github-actions[bot]" and (.body | startswith(env.MARKER))) | .id' | head -n 1
}

# The commit a comment body reviewed ("" when it names none: written before issue 21).
reviewed_sha() { sed -n "s/^${SHA_MARKER}\([0-9a-f]\{40\}\) -->$/\1/p" "$1" | head -n 1; }

write_comment() {
  local body="$1" id
  # GitHub refuses comments over 65,536 characters; the artifact keeps the whole diff.
  if [ "$(wc -c < "$body")" -gt 60000 ]; then
    head -c 60000 "$body" > "${body}.cut"
    printf '\n\n_Cut short: the whole diff is in the access-review artifact of this run._\n' >> "${body}.cut"
    body="${body}.cut"
  fi
  id="$(existing_comment)"
  if [ -n "$id" ]; then
    gh api --method PATCH "repos/${REPOSITORY}/issues/comments/${id}" -F "body=@${body}" > /dev/null
    echo "updated comment ${id}"
  else
    gh api --method POST "repos/${REPOSITORY}/issues/${number}/comments" -F "body=@${body}" > /dev/null
    echo "created the access-diff comment"
  fi
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

case "$mode" in
  stale)
    set_status pending "reviewing ${short}"
    if [[ ! "$number" =~ ^[0-9]+$ ]]; then echo "no open pull request has head ${HEAD_SHA}"; exit 0; fi
    id="$(existing_comment)"
    [ -n "$id" ] || exit 0
    gh api "repos/${REPOSITORY}/issues/comments/${id}" --jq .body > "${work}/old.md"
    old_sha="$(reviewed_sha "${work}/old.md")"
    [ "$old_sha" = "$HEAD_SHA" ] && exit 0
    # Already marked for this head (the run was requested again): nothing more to say.
    grep -qF "the pull request's head is now \`${HEAD_SHA}\`" "${work}/old.md" && exit 0
    {
      echo "$MARKER"
      echo "${SHA_MARKER}${old_sha:-unknown} -->"
      echo "> [!IMPORTANT]"
      echo "> **Stale:** this review is of commit \`${old_sha:-(not named)}\`; the pull request's head is now \`${HEAD_SHA}\`, whose review is running ([run](${RUN_URL})). Do not approve on this comment."
      echo
      # The old text without its own markers and any earlier stale banner.
      grep -v -e "^${MARKER}$" -e "^${SHA_MARKER}" "${work}/old.md" | sed '/^> \[!IMPORTANT\]$/,/^$/d'
    } > "${work}/stale.md"
    gh api --method PATCH "repos/${REPOSITORY}/issues/comments/${id}" -F "body=@${work}/stale.md" > /dev/null
    echo "marked comment ${id} stale (${old_sha:-unnamed} -> ${short})"
    ;;
  verdict)
    : "${ACCESS_DIFF_RESULT:?}" "${PLAN_RESULT:?}"
    if [ "$ACCESS_DIFF_RESULT" = "success" ] && [ "$PLAN_RESULT" = "success" ]; then
      state=success description="access diff and plan of ${short}: see the comment"
    else
      state=failure description="the review of ${short} failed (diff: ${ACCESS_DIFF_RESULT}, plan: ${PLAN_RESULT})"
    fi
    if [[ "$number" =~ ^[0-9]+$ ]]; then
      current="$(gh api "repos/${REPOSITORY}/pulls/${number}" --jq .head.sha)"
      if [ "$current" != "$HEAD_SHA" ]; then
        echo "the pull request's head moved on to ${current}: its own review writes the comment"
      elif [ "$ACCESS_DIFF_RESULT" = "success" ]; then
        : "${REVIEW_FILE:?}"
        cp "$REVIEW_FILE" "${work}/review.md"
        if [ "$PLAN_RESULT" != "success" ]; then
          printf '\n> [!WARNING]\n> **The plan of this commit failed** (%s): see the run.\n' "$RUN_URL" >> "${work}/review.md"
        fi
        write_comment "${work}/review.md"
      else
        {
          echo "$MARKER"
          echo "${SHA_MARKER}${HEAD_SHA} -->"
          echo "> [!CAUTION]"
          echo "> **The access review of commit \`${HEAD_SHA}\` failed** ([run](${RUN_URL})): no access diff stands for this commit. Its config may not be data, may be invalid, or the review could not run; the run says which."
        } > "${work}/failed.md"
        write_comment "${work}/failed.md"
      fi
    else
      echo "no open pull request has head ${HEAD_SHA}"
    fi
    set_status "$state" "$description"
    [ "$state" = success ]
    ;;
  *)
    echo "usage: review-verdict.sh stale|verdict" >&2
    exit 2
    ;;
esac
