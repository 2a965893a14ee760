#!/usr/bin/env bash
# Speed benchmarks (not tests: CI machines are noisy). Needs hyperfine.
# Usage: cargo build --release && examples/bench.sh [N]   (N: records in the big folder, default 2000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${SALESPROC:-$here/../target/release/salesproc}
n=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A big folder: the demo's 40 records, copied under new ids.
mkdir -p "$work/big/prospects"
touch "$work/big/salesproc.yaml"
i=0
while [ "$i" -lt "$n" ]; do
  for f in "$here"/demo/prospects/*.yaml; do
    [ "$i" -ge "$n" ] && break
    cp "$f" "$work/big/prospects/$(basename "$f" .yaml)-$i.yaml"
    i=$((i + 1))
  done
done
cp -r "$here/demo" "$work/demo"
"$bin" init "$work/git" -q
"$bin" --dir "$work/git" add "Acme Corp" -q >/dev/null

hyperfine -N --warmup 5 --export-markdown "$work/results.md" \
  "$bin --help" \
  "$bin --dir $work/demo next northwind-traders --no-input" \
  "$bin --dir $work/demo list" \
  "$bin --dir $work/demo pipeline" \
  "$bin --dir $work/big list --format json" \
  "$bin --dir $work/big pipeline --format json" \
  "$bin --dir $work/big validate" \
  "$bin --dir $work/demo answer northwind-traders research/market-notes 'Busy season' --no-commit -q" \
  "$bin --dir $work/git answer acme market-notes 'note' -q"
cat "$work/results.md"
