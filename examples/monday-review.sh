#!/usr/bin/env bash
# Monday pipeline review: the funnel, then what is due and what went quiet.
# Usage: examples/monday-review.sh            (in a pipeline folder, or with SALESPROC_DIR set)
#        OWNER=sam examples/monday-review.sh  (only one rep's deals)
set -euo pipefail
owner=()
if [ -n "${OWNER:-}" ]; then owner=(--owner "$OWNER"); fi

echo "## Funnel"
salesproc pipeline
echo
echo "## Due today or overdue"
salesproc list --due "${owner[@]}"
echo
echo "## Stale: no activity for longer than the step allows"
salesproc list --stale "${owner[@]}"
echo
echo "## Waiting on a later: revisit dates"
salesproc list --status nurturing "${owner[@]}" --format tsv | cut -f1,2,8,9
