#!/usr/bin/env bash
# Bulk-nurture every open deal stuck in `propose`: each goes back to `learn`
# with the same why and revisit date, and each gets its own commit.
# Usage: examples/nurture-stuck-in-propose.sh "budget moves to the next fiscal year" 2027-01-15
set -euo pipefail
why=${1:?give the why, e.g. "budget moves to the next fiscal year"}
revisit=${2:-}
args=(later --why "$why")
if [ -n "$revisit" ]; then args+=(--revisit "$revisit"); fi

ids=$(salesproc list --stage propose --status open --format ids)
if [ -z "$ids" ]; then
  echo "nothing is open in propose" >&2
  exit 0
fi
printf '%s\n' "$ids" | salesproc decide - "${args[@]}"
