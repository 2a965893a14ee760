#!/usr/bin/env bash
# Export the pipeline for a spreadsheet: one row per prospect, plus one row per
# answer, and the voice of the customer.
# Usage: examples/export-csv.sh [OUT_DIR]   (default: ./export)
set -euo pipefail
out=${1:-export}
mkdir -p "$out"
salesproc list --format csv > "$out/prospects.csv"
salesproc list --format ids | salesproc show - --format csv > "$out/answers.csv"
salesproc insights --format csv > "$out/insights.csv"
salesproc pipeline --format csv > "$out/funnel.csv"
echo "wrote $(($(wc -l < "$out/prospects.csv") - 1)) prospects to $out/" >&2
