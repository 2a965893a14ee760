#!/usr/bin/env bash
# Scale benchmark of salesproc against taskwarrior 2.6 `task count`, and an
# index correctness check for CI.
#
#   benches/scale.sh                 # sizes 100 10000 100000; writes BENCHMARKS.md
#   benches/scale.sh 1000            # one size (or several: 100 1000)
#   benches/scale.sh --check [1000]  # CI: index vs no index, byte for byte; no timing
#
# Records come from `examples/generate.rs` (deterministic; SCALE_SEED, default
# 1) into target/scale/N, reused while the count and the generator are the same.
# Every command is timed warm (index in place) and cold (the index removed and
# every record touched, and read into the page cache, before each run). The
# index lives at DIR/.salesproc/index* and SALESPROC_NO_INDEX=1 bypasses it.
# Cold runs take seconds from 10,000 records on, so they run two or three times
# there (three at 100,000, for a median one slow run cannot move); warm runs (a
# tenth of a second) fifteen times after two warmups.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export LC_ALL=C
scale=$root/target/scale
bin=${SALESPROC:-$root/target/release/salesproc} # SALESPROC=path tests another build
gen=$root/target/release/examples/generate
seed=${SCALE_SEED:-1}
mid=5000    # from this size on: 2 runs per case; peak memory read from the cold runs
big=100000  # from this size on: no warm run while there is no index after a slow cold one
rounds=${SCALE_ROUNDS:-3} # from $mid on: rounds of taskwarrior, cold, warm
# Rounds of a single-record command at the largest size and the smallest: a
# run takes milliseconds, so a neighbour's burst in one round moves a ratio
# by a fifth; more rounds cost a second or two.
flat_rounds=${SCALE_FLAT_ROUNDS:-7}

# Hermetic-ish: no git lookup for the acting user, no colour, no folder from the env.
export SALESPROC_USER=bench NO_COLOR=1
unset SALESPROC_DIR SALESPROC_NOW SALESPROC_NO_INDEX CLICOLOR_FORCE

mode=bench
if [[ ${1:-} == --check ]]; then
  mode=check
  shift
fi
if [[ $# -gt 0 ]]; then
  sizes=("$@")
elif [[ $mode == check ]]; then
  sizes=(1000)
else
  sizes=(100 10000 100000)
fi
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "scale.sh: \"$n\" is not a record count" >&2; exit 2; }
done
smallest=${sizes[0]}
largest=${sizes[-1]}
for s in "${sizes[@]}"; do
  ((s < smallest)) && smallest=$s
  ((s > largest)) && largest=$s
done

log() { printf '%s\n' "scale: $*" >&2; }
# le A B: true when the number A is known and A <= B.
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && a + 0 <= b + 0) }'; }

# ---------------------------------------------------------------- setup

install_missing() {
  local pkgs=()
  command -v hyperfine >/dev/null || pkgs+=(hyperfine)
  command -v task >/dev/null || pkgs+=(taskwarrior)
  [[ -x /usr/bin/time ]] || pkgs+=(time)
  [[ ${#pkgs[@]} -eq 0 ]] && return
  log "installing ${pkgs[*]}"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${pkgs[@]}" >/dev/null
}

build() {
  log "building --release (salesproc, examples/generate)"
  cargo build --release --quiet --bin salesproc --example generate
}

# Generates n records into $scale/$n unless the folder already holds them.
generate() {
  local n=$1 dir=$2
  local stamp="count=$n seed=$seed generator=$(sha256sum examples/generate.rs | cut -c1-16)"
  if [[ -f $dir.stamp && $(cat "$dir.stamp") == "$stamp" && -d $dir/prospects ]] &&
    [[ $(find "$dir/prospects" -name '*.yaml' | wc -l) -eq $n ]]; then
    log "reusing $n records in ${dir#"$root"/}"
    return
  fi
  rm -rf "$dir" "$dir.stamp"
  "$gen" --count "$n" --seed "$seed" "$dir"
  echo "$stamp" >"$dir.stamp"
}

# The record the single-record commands use: the middle one of the generation.
# `pick_record DIR N` picks record N/2+1 of DIR (records are generated one by
# one from the seed and their number, so a smaller folder's are in every larger one).
pick_record() {
  local dir=$1 n=$2 file
  file=$(find "$dir/prospects" -name "*-$((n / 2 + 1)).yaml" | head -1)
  id=$(basename "$file" .yaml)
  name=$(sed -n 's/^name: //p' "$file" | head -1)
  name=${name#\"}
  name=${name%\"}
}

# What makes a run cold: no index, and every record newer than any index.
write_cold_prep() {
  cat >"$scale/cold.sh" <<'EOF'
#!/usr/bin/env bash
# Usage: cold.sh DIR [SAVED RECORD]: drop the index, touch every record, restore RECORD.
# The records are read once (into the page cache, as taskwarrior's file is when it
# is timed): cold means no index, not a disk read.
set -e
rm -rf "$1"/.salesproc/index*
find "$1/prospects" -name '*.yaml' -exec touch {} +
find "$1/prospects" -name '*.yaml' -exec cat {} + >/dev/null
if [ $# -eq 3 ]; then cp "$2" "$3"; fi
EOF
  chmod +x "$scale/cold.sh"
}

# ---------------------------------------------------------------- check mode

check() {
  local n=$1 dir=$scale/check-$n fail=0
  export SALESPROC_NOW=2026-11-30T12:00:00Z
  rm -rf "$dir"
  "$gen" --count "$n" --seed "$seed" "$dir"
  pick_record "$dir" "$n"
  local edited=$id
  local f
  f=$(find "$dir/prospects" -name "*-$((n / 3 + 1)).yaml" | head -1)
  local deleted
  deleted=$(basename "$f" .yaml)
  local added=added-by-scale-check
  local ids=("$edited")

  compare() { # compare PHASE: every read command, with and without the index
    local phase=$1 args a b ca cb
    # JSON, unless a command names its format (the list table is made apart).
    local cmds=("list" "list --format table" "list --sort name --limit 500 --format table"
      "pipeline" "pipeline --as-of 2026-06-30" "personas" "insights" "insights --format table"
      "insights --format markdown" "validate")
    for i in "${ids[@]}"; do cmds+=("show $i"); done
    cmds+=("report")
    local page=$scale/check-$n-report.html
    for c in "${cmds[@]}"; do
      read -ra args <<<"$c"
      [[ $c == *--format* || $c == report ]] || args+=(--format json)
      # The HTML report goes to a file: each run's page is compared.
      [[ $c == report ]] && args+=(--html "$page")
      ca=0 cb=0
      a=$("$bin" --dir "$dir" "${args[@]}" 2>/dev/null && if [[ $c == report ]]; then cat "$page"; fi) || ca=$?
      b=$(SALESPROC_NO_INDEX=1 "$bin" --dir "$dir" "${args[@]}" 2>/dev/null && if [[ $c == report ]]; then cat "$page"; fi) || cb=$?
      if [[ $a != "$b" || $ca != "$cb" ]]; then
        echo "FAIL ($phase) $c: with the index (exit $ca) and without (exit $cb) differ:" >&2
        diff -u --label "index" <(echo "$a") --label "SALESPROC_NO_INDEX=1" <(echo "$b") | head -40 >&2 || true
        fail=1
      else
        log "ok ($phase) $c"
      fi
    done
  }

  # 1. cold: no index, every record touched.
  "$scale/cold.sh" "$dir"
  compare cold
  # 2. warm: the index the first pass built.
  compare warm
  # 3. one record edited in place (same inode, same size) within the same
  #    second as the index was written: mtime seconds and size alike.
  local file=$dir/prospects/$edited.yaml try=0 sec_index sec_edit
  while :; do
    try=$((try + 1))
    sleep "0.$(printf '%09d' $((1000000000 - 10#$(date +%N))))" 2>/dev/null || true
    touch "$file"
    "$bin" --dir "$dir" list --format ids >/dev/null # refreshes the index, if any
    sec_index=$(date +%s)
    # Replace the first letter of the name with another letter, same byte length.
    local off ch new
    off=$(grep -bo '^name: ' "$file" | head -1 | cut -d: -f1)
    off=$((off + 6))
    ch=$(dd if="$file" bs=1 skip="$off" count=1 2>/dev/null)
    if [[ $ch == Q ]]; then new=R; else new=Q; fi
    printf '%s' "$new" | dd of="$file" bs=1 seek="$off" conv=notrunc status=none
    sec_edit=$(stat -c %Y "$file")
    [[ $sec_edit == "$sec_index" || $try -ge 3 ]] && break
    printf '%s' "$ch" | dd of="$file" bs=1 seek="$off" conv=notrunc status=none
  done
  [[ $sec_edit == "$sec_index" ]] || log "note: the edit landed in a later second than the index"
  compare "edited in place"
  # 4. one record deleted, one added.
  sed "s/^name: .*/name: Added By Scale Check/" "$dir/prospects/$deleted.yaml" >"$dir/prospects/$added.yaml"
  rm "$dir/prospects/$deleted.yaml"
  ids+=("$added" "$deleted")
  compare "deleted and added"
  if "$bin" --dir "$dir" validate >/dev/null; then
    log "ok validate exits 0"
  else
    echo "FAIL validate exits non-zero on $n generated records" >&2
    fail=1
  fi
  if [[ $fail -ne 0 ]]; then
    echo "scale: check FAILED at $n records (folder kept: ${dir#"$root"/})" >&2
    exit 1
  fi
  log "check passed at $n records"
}

if [[ $mode == check ]]; then
  build
  mkdir -p "$scale"
  write_cold_prep
  for n in "${sizes[@]}"; do check "$n"; done
  exit 0
fi

# ---------------------------------------------------------------- bench mode

install_missing
build
mkdir -p "$scale"
write_cold_prep
started=$(date +%s)

# taskwarrior: n tasks imported into a dedicated data folder.
taskwarrior_setup() {
  local n=$1 data=$scale/task-$n
  local rc=$data.rc
  printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\ngc=off\nrecurrence=off\nnews.version=2.6.0\n' "$data" >"$rc"
  if [[ -f $data/pending.data ]] && [[ $(TASKRC=$rc task count 2>/dev/null) == "$n" ]]; then
    return
  fi
  rm -rf "$data"
  mkdir -p "$data"
  # One JSON object per line: description, project, tags, due date; one in
  # ten completed, like a real list.
  awk -v n="$n" 'BEGIN {
    split("crm followup call email demo renewal", tags, " ")
    split("sales.emea sales.amer sales.apac ops marketing", projects, " ")
    for (i = 0; i < n; i++) {
      st = (i % 10 == 0) ? "completed\",\"end\":\"20261101T100000Z" : "pending"
      printf "{\"uuid\":\"%08x-0000-4000-8000-%012x\",\"description\":\"Follow up with customer %d about the renewal\",\"project\":\"%s\",\"tags\":[\"%s\",\"%s\"],\"entry\":\"20260101T090000Z\",\"due\":\"2026%02d%02dT170000Z\",\"status\":\"%s\"}\n", i, i, i, projects[i % 5 + 1], tags[i % 6 + 1], tags[(i * 7) % 6 + 1], i % 12 + 1, i % 28 + 1, st
    }
  }' >"$data.json"
  TASKRC=$rc task import "$data.json" >/dev/null
  local got
  got=$(TASKRC=$rc task count)
  [[ $got == "$n" ]] || { echo "scale: task count says $got, expected $n" >&2; exit 1; }
}

hf_opts() { # hyperfine options by size and kind: warmup and 10+ runs when cheap, else 2 or 3 cold runs
  local n=$1 kind=${2:-warm}
  if ((n >= mid)) && [[ $kind == warm ]]; then
    echo "--warmup 2 --runs 15" # warm runs take a tenth of a second or so
  elif ((n >= big)); then
    echo "--runs 3"
  elif ((n >= mid)); then
    echo "--runs 2" # the cold runs just before warm the page cache
  else
    echo "--warmup 3 --min-runs 10"
  fi
}

# Median in ms from a hyperfine CSV export (command,mean,stddev,median,…):
# on a shared machine a burst from a neighbour moves the mean, not the median.
median_ms() { awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$1"; }

# args_for LABEL ID NAME: the command line of a case, into $args.
args_for() {
  case $1 in
    list-qualify-ids) args=(list --stage qualify --format ids) ;;
    show-id) args=(show "$2") ;;
    show-name) args=(show "$3") ;;
    answer) args=(answer "$2" research/market-notes "Benchmark note" --no-commit -q) ;;
    *) args=("$1") ;;
  esac
}

# hyperfine: NAME KIND PREPARE -- COMMAND…  → $res/NAME.KIND.csv
timeit() {
  local label=$1 kind=$2 prep=$3
  shift 4
  local cmd=("$@") opts
  read -ra opts <<<"${opts_override:-$(hf_opts "$n" "$kind")}"
  if ((n >= mid)) && [[ $kind == cold* ]]; then
    # Runs take seconds at this size: read the peak memory from the timed cold
    # runs themselves (/usr/bin/time adds about a millisecond) instead of an extra run.
    cmd=(/usr/bin/time -f %M -a -o "$res/$label.mem" "${cmd[@]}")
  fi
  local line
  line=$(printf '%q ' "${cmd[@]}")
  local prepare=()
  [[ -n $prep ]] && prepare=(--prepare "$prep")
  hyperfine -N --style basic "${opts[@]}" "${prepare[@]}" \
    --export-csv "$res/$label.$kind.csv" --command-name "$label ($kind)" "$line" >&2
}

# Peak memory (max RSS, KiB) of one run, for sizes below $mid.
peak() {
  local label=$1
  shift
  /usr/bin/time -f %M -a -o "$res/$label.mem" "$@" >/dev/null 2>&1 || true
}

# warm_runs ROUND OPTS: the command warm, after its cold run, into
# $res/$label.warm[.ROUND].csv (OPTS: hyperfine's runs; empty: by size).
warm_runs() {
  local kind=warm${1:+.$1} cold_file=$res/$label.cold${1:+.$1}.csv cold_ms
  [[ -f $cold_file ]] || cold_file=$res/$label.cold.csv
  cold_ms=$(median_ms "$cold_file")
  if ((n >= big)) && ! compgen -G "$dir/.salesproc/index*" >/dev/null &&
    le 5000 "$cold_ms"; then
    # No index and a slow command: a warm run would repeat the cold run's
    # work exactly (tens of seconds); the report shows the cold time for both.
    cp "$cold_file" "$res/$label.$kind.csv"
    touch "$res/$label.warm.same"
    return
  fi
  opts_override=$2
  # Fast at a big size (single-record commands): a few more warm runs are cheap.
  [[ -z $2 ]] && ((n >= mid)) && le "$cold_ms" 1000 && opts_override="--warmup 3 --runs 20"
  # The cold run touched every record just before it ran, so entries it
  # wrote are within the index's racy window: one untimed run (a tenth
  # of a second later) re-reads those and leaves a settled index.
  sleep 0.2
  [[ -n $warm_prep ]] && eval "$warm_prep"
  "$bin" --dir "$dir" "${args[@]}" >/dev/null 2>&1 || true
  # The index just written (120 MB at 100,000 records) goes to disk now,
  # not during the timed runs.
  sync
  timeit "$label" "$kind" "$warm_prep" -- "$bin" --dir "$dir" "${args[@]}"
  opts_override=""
}

# small_runs ROUND: the same single-record command at the smallest size,
# on that size's middle record, into $res/$label.small.ROUND.csv.
small_runs() {
  local big_id=$id big_name=$name small_file small_prep=""
  pick_record "$scale/$smallest" "$smallest"
  args_for "$label" "$id" "$name"
  small_file=$scale/$smallest/prospects/$id.yaml
  cp "$small_file" "$res/small-$id.yaml"
  [[ $label == answer ]] && small_prep=$(printf '%q ' cp "$res/small-$id.yaml" "$small_file")
  opts_override="--warmup 3 --runs 10"
  timeit "$label" "small.$1" "$small_prep" -- "$bin" --dir "$scale/$smallest" "${args[@]}"
  opts_override=""
  cp "$res/small-$id.yaml" "$small_file"
  id=$big_id name=$big_name
  args_for "$label" "$id" "$name"
}

labels=(list-qualify-ids list pipeline personas insights validate show-id show-name answer)
declare -A title=(
  [list-qualify-ids]='`list --stage qualify --format ids`'
  [list]='`list`' [pipeline]='`pipeline`' [personas]='`personas`' [insights]='`insights`'
  [validate]='`validate`' [show-id]='`show ID`' [show-name]='`show "NAME"`'
  [answer]='`answer ID research/market-notes … --no-commit`'
)
declare -A target=(
  [list-qualify-ids]=list [list]=list [pipeline]=report [personas]=report [insights]=report
  [validate]=validate [show-id]=single [show-name]=single [answer]=single
)

for n in "${sizes[@]}"; do
  dir=$scale/$n
  res=$scale/results-$n
  rm -rf "$res"
  mkdir -p "$res"
  log "== $n records"
  generate "$n" "$dir"
  taskwarrior_setup "$n"
  # The single-record commands read the same record at every size (the middle
  # one of the smallest), so the flatness ratio compares folder sizes, not
  # two records of different lengths; the folder's own middle one if it differs.
  pick_record "$dir" "$smallest"
  if ! cmp -s "$dir/prospects/$id.yaml" "$scale/$smallest/prospects/$id.yaml"; then
    pick_record "$dir" "$n"
  fi
  saved=$res/$id.yaml
  cp "$dir/prospects/$id.yaml" "$saved"
  trap 'cp "$saved" "$dir/prospects/$id.yaml" 2>/dev/null || true' EXIT

  # Baseline: taskwarrior 2.6 counting the same number of tasks.
  timeit task warm "" -- env TASKRC="$scale/task-$n.rc" task count

  for label in "${labels[@]}"; do
    args_for "$label" "$id" "$name"
    cold_prep=$(printf '%q ' "$scale/cold.sh" "$dir")
    warm_prep=""
    if [[ $label == answer ]]; then
      # A real write every run: the record is restored first, so the answer changes it.
      cold_prep=$(printf '%q ' "$scale/cold.sh" "$dir" "$saved" "$dir/prospects/$id.yaml")
      warm_prep=$(printf '%q ' cp "$saved" "$dir/prospects/$id.yaml")
    fi
    if ((n >= mid)) && [[ ${target[$label]} != single ]]; then
      # Rounds: taskwarrior, then this command cold, then warm, $rounds
      # times. This machine's speed drifts by a third within minutes, so
      # each round's ratios are to the `task count` of that round, and the
      # report gives the median of the rounds' ratios.
      for ((r = 1; r <= rounds; r++)); do
        opts_override="--warmup 1 --runs 3"
        timeit "$label" "task.r$r" "" -- env TASKRC="$scale/task-$n.rc" task count
        opts_override="--runs 1"
        timeit "$label" "cold.r$r" "$cold_prep" -- "$bin" --dir "$dir" "${args[@]}"
        opts_override=""
        warm_runs "r$r" "--warmup 1 --runs 5"
      done
    else
      # Cold first: the warm runs then find the index it built.
      timeit "$label" cold "$cold_prep" -- "$bin" --dir "$dir" "${args[@]}"
      if [[ ${target[$label]} == single ]] && ((n == largest && largest > smallest)); then
        # Rounds of this size and the smallest, one after the other: the
        # flatness target compares the two in the same minute, round by round.
        for ((r = 1; r <= flat_rounds; r++)); do
          warm_runs "r$r" "--warmup 3 --runs 10"
          small_runs "r$r"
        done
      else
        warm_runs "" ""
      fi
    fi
    if ((n < mid)); then
      peak "$label" "$bin" --dir "$dir" "${args[@]}"
    fi
    if [[ $label == answer ]]; then cp "$saved" "$dir/prospects/$id.yaml"; fi
  done

  # Around the targets (no target of their own). `list` right after one record
  # was edited in place, as a rep's next command finds it: the index is not
  # rewritten, the record's entry goes in its delta.
  record=$dir/prospects/$id.yaml
  sleep 0.2
  "$bin" --dir "$dir" list >/dev/null 2>&1 || true
  opts_override=""
  ((n >= mid)) && opts_override="--warmup 2 --runs 15"
  timeit list-edited warm "$(printf '%q ' sh -c 'printf "# edited\n" >> "$1"' sh "$record")" -- "$bin" --dir "$dir" list
  cp "$saved" "$record"
  # What a stat of every record file costs alone (GNU find, one core): salesproc
  # stats each one (on every core) to see edits in place; that is its floor.
  opts_override="--warmup 1 --runs 5"
  timeit stat-floor warm "" -- find "$dir/prospects" -name '*.yaml' -printf '%s %T@ %C@ %i\n'
  opts_override=""
done

# ---------------------------------------------------------------- report

ms() { [[ -f $1 ]] && median_ms "$1" || echo ""; }
mem() { [[ -f $1 ]] && sort -n "$1" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }' || echo ""; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print ""; else printf "%.4f", a / b }'; }
# A ratio as the table shows it.
fmt_ratio() { awk -v a="$1" 'BEGIN { if (a == "") print "–"; else printf "%.3f", a }'; }
# The median of the numbers on stdin (none: empty).
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print ""; else if (NR % 2) printf "%.4f", v[(NR + 1) / 2];
    else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# rounds LABEL KIND: true when KIND was timed in rounds.
rounds_of() { compgen -G "$res/$1.$2.r*.csv" >/dev/null; }
# round_ms LABEL KIND: the median of the rounds' medians (ms), else the one run's.
round_ms() {
  local f
  if rounds_of "$1" "$2"; then
    for f in "$res/$1.$2".r*.csv; do
      median_ms "$f"
      echo
    done | median
  else
    ms "$res/$1.$2.csv"
  fi
}
# round_ratio LABEL KIND BASE: the median over rounds of KIND / BASE, each
# round's time to the baseline of that same round.
round_ratio() {
  local f r
  for f in "$res/$1.$2".r*.csv; do
    r=${f##*.r}
    r=${r%.csv}
    ratio "$(ms "$f")" "$(ms "$res/$1.$3.r$r.csv")"
    echo
  done | grep . | median
}
fmt_ms() {
  awk -v a="$1" 'BEGIN { if (a == "") print "–"; else if (a >= 1000) printf "%.2f s", a / 1000; else printf "%.1f ms", a }'
}

commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || commit="$commit (with uncommitted changes)"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem_total=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
elapsed=$(($(date +%s) - started))

{
  echo "# Benchmarks"
  echo
  echo "Written by \`benches/scale.sh ${sizes[*]}\` (re-run it to refresh this file;"
  echo "\`benches/scale.sh --check\` is the correctness mode CI uses)."
  echo
  echo "- machine: $(nproc) cores, $cpu, $mem_total memory"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); whole run ${elapsed} s"
  echo "- salesproc: commit $commit, \`cargo build --release\`"
  echo "- baseline: $(task --version | head -1 | sed 's/^/taskwarrior /') \`task count\` on as many tasks (one in ten completed), $(hyperfine --version)"
  echo "- records: \`examples/generate.rs --seed $seed\`, about 3.5 KB each; warm = the index in place;"
  echo "  cold = \`.salesproc/index*\` removed and every record touched (and read into the page"
  echo "  cache: cold means no index, not a disk read) before each run"
  echo "- runs: below $mid records, 3 warmups and 10+ runs each, warm and cold, against one"
  echo "  \`task count\` timed at the start. From $mid records on, each command runs in $rounds rounds:"
  echo "  \`task count\` (1 warmup, 3 runs), the command cold (1 run), then warm (1 warmup, 5 runs);"
  echo "  a round's ratios are to its own \`task count\` (this machine's speed drifts by a third"
  echo "  within minutes), and the table gives the median of the rounds' ratios and of their times."
  echo "  Single-record commands at $largest records: cold 3 runs; then $flat_rounds rounds of warm (3"
  echo "  warmups, 10 runs) and the same command at $smallest records (the same), the flatness"
  echo "  ratio the median of the rounds'; every size's single-record commands read the same"
  echo "  record (the middle one of the $smallest, byte for byte the same in each folder). Times"
  echo "  are medians (a neighbour's burst on this shared machine moves a mean, not a median);"
  echo "  peak memory (max RSS) from one extra run under \`/usr/bin/time\` below $mid records,"
  echo "  from the timed cold runs from $mid on"
  echo
  echo "Targets (issue 8's, at 100,000 records; at smaller sizes the met column is for information):"
  echo "\`list\` warm ≤ 0.15× \`task count\`, cold ≤ 1.5×; \`pipeline\`, \`personas\`,"
  echo "\`insights\` warm ≤ 0.2×; \`validate\` ≤ 2× (warm and cold); single-record commands at"
  echo "100,000 records within 1.2× of their time at 100 (warm); peak memory ≤ 150 MiB everywhere."
  for n in "${sizes[@]}"; do
    res=$scale/results-$n
    task_ms=$(ms "$res/task.warm.csv")
    echo
    echo "## $n records"
    echo
    echo "\`task count\`: $(fmt_ms "$task_ms") at the start$( ((n >= mid)) && echo "; the column beside each command is the median of its rounds' (see runs above), and its ratios are the medians of the rounds' ratios (single-record commands excepted: their target is their own time at $smallest records)" || true). Warm runs use \`.salesproc/index\` (built by one untimed run after the cold ones); cold runs parse every record."
    echo
    echo "| command | warm median | cold median | \`task count\` beside | warm / task | cold / task | peak MiB | target | met |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
    for label in "${labels[@]}"; do
      w=$(round_ms "$label" warm)
      c=$(round_ms "$label" cold)
      # The baseline timed in rounds with this command (from $mid records
      # on): each round's ratio is to its own, and the median is shown.
      if rounds_of "$label" task; then
        base=$(round_ms "$label" task)
        rw=$(round_ratio "$label" warm task)
        rc=$(round_ratio "$label" cold task)
      else
        base=$task_ms
        rw=$(ratio "$w" "$base")
        rc=$(ratio "$c" "$base")
      fi
      m=$(mem "$res/$label.mem")
      met=yes
      case ${target[$label]} in
        list)
          goal="warm ≤ 0.15×, cold ≤ 1.5×"
          le "$rw" 0.15 && le "$rc" 1.5 || met=no
          ;;
        report)
          goal="warm ≤ 0.2×"
          le "$rw" 0.2 || met=no
          ;;
        validate)
          goal="≤ 2×"
          le "$rw" 2 && le "$rc" 2 || met=no
          ;;
        single)
          goal="at $largest ≤ 1.2× at $smallest"
          if ((n == largest && largest > smallest)); then
            # Timed in rounds with it at the largest size (the median of the
            # rounds' ratios); else the smallest size's own run.
            if rounds_of "$label" small; then
              flat=$(round_ratio "$label" warm small)
            else
              flat=$(ratio "$w" "$(ms "$scale/results-$smallest/$label.warm.csv")")
            fi
            le "$flat" 1.2 || met=no
            goal="$goal ($(fmt_ratio "$flat")×)"
          else
            met="–"
          fi
          ;;
      esac
      goal="$goal; ≤ 150 MiB"
      le "$m" 150 || met=no
      star=""
      if [[ -f $res/$label.warm.same ]]; then
        star='\*'
        any_same=1
      fi
      echo "| ${title[$label]} | $(fmt_ms "$w")$star | $(fmt_ms "$c") | $(fmt_ms "$base") | $(fmt_ratio "$rw") | $(fmt_ratio "$rc") | ${m:-–} | $goal | $met |"
    done
  done
  echo
  echo "## Around the targets"
  echo
  echo "No targets of their own. \`list\` right after one record was edited in place (each run"
  echo "follows an edit: the record's entry goes in \`.salesproc/index.delta\`, the index is not"
  echo "rewritten), and what a stat of every record file costs alone (GNU \`find -printf\`, one"
  echo "core): salesproc stats each record file (on every core) to see edits in place, so that"
  echo "is the floor under every warm command."
  echo
  echo "| records | \`list\` warm | \`list\` after an edit in place | stat of every file (\`find\`, one core) | \`task count\` at the start |"
  echo "|---:|---:|---:|---:|---:|"
  for n in "${sizes[@]}"; do
    res=$scale/results-$n
    echo "| $n | $(fmt_ms "$(round_ms list warm)") | $(fmt_ms "$(ms "$res/list-edited.warm.csv")") | $(fmt_ms "$(ms "$res/stat-floor.warm.csv")") | $(fmt_ms "$(ms "$res/task.warm.csv")") |"
  done
  echo
  if [[ -n ${any_same:-} ]]; then
    echo "\\* Not re-run warm: no index existed after the cold run, so a warm run would repeat"
    echo "its work exactly; the cold time is shown (and used for the ratios)."
    echo
  fi
  echo "Single-record commands use the record generated at position $((smallest / 2 + 1)) in every folder"
  echo "(by id, and by its unique name, which \`show\` takes from \`.salesproc/lookup\` warm,"
  echo "reading that one file to check it, and from every record cold). \`answer\` restores the"
  echo "record before each run, so every run really writes. At $largest records each one is also"
  echo "timed at $smallest records, in rounds with it, and its flatness ratio is the median of"
  echo "the rounds' ratios."
} >"$root/BENCHMARKS.md"
log "wrote BENCHMARKS.md (${elapsed} s)"
