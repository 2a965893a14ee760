#!/usr/bin/env bash
# Instructions each read command runs (valgrind's callgrind: user space only,
# the same count on every run), for comparing two builds on a machine whose
# speed drifts too much for wall time to show a change of a few percent.
#
#   benches/instructions.sh [N]           # warm commands at N records (default 100000)
#   SALESPROC=path benches/instructions.sh  # another build
#
# Uses the records `benches/scale.sh` generated into target/scale/N (run it,
# or `examples/generate.rs`, first). Warm commands run with the index in
# place; "cold" is `list --format ids` with the index removed at a tenth of
# the size (valgrind runs about fifty times slower). Kernel time (stat, open,
# read) is not counted: this measures the work salesproc itself does.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-100000}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "instructions.sh: \"$n\" is not a record count" >&2; exit 2; }
bin=${SALESPROC:-$root/target/release/salesproc}
dir=$root/target/scale/$n
small=$root/target/scale/$((n / 10))
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[[ -d $dir/prospects ]] || { echo "instructions.sh: no records in $dir: run benches/scale.sh $n first" >&2; exit 2; }
[[ -n ${SALESPROC:-} ]] || cargo build --release --quiet --bin salesproc
export SALESPROC_USER=bench NO_COLOR=1 LC_ALL=C
unset SALESPROC_DIR SALESPROC_NOW SALESPROC_NO_INDEX CLICOLOR_FORCE

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# count LABEL ARGS…: the instructions of one run of salesproc with ARGS.
count() {
  local label=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" "$@" >/dev/null 2>"$out/err" || {
    echo "instructions.sh: $label failed" >&2
    cat "$out/err" >&2
    exit 1
  }
  local ir
  ir=$(awk '/refs:/ { gsub(",", "", $NF); print $NF }' "$out/err")
  printf '| %s | %.0f |\n' "$label" "$(awk -v i="$ir" 'BEGIN { print i / 1e6 }')"
}

echo "| command (records) | million instructions |"
echo "|---|---:|"
"$bin" --dir "$dir" list --format ids >/dev/null # the index in place
for args in "list --stage qualify --format ids" "list" "pipeline" "personas" "insights"; do
  read -ra a <<<"$args"
  count "warm $args ($n)" --dir "$dir" "${a[@]}"
done
if [[ -d $small/prospects ]]; then
  rm -rf "$small"/.salesproc/index*
  count "cold list --format ids ($((n / 10)))" --dir "$small" list --stage qualify --format ids
fi
