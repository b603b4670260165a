#!/usr/bin/env bash
# Whole-program scale benchmark: qualkit against the team's baselines, same corpora, same
# answers, one invocation.
#
#   benches/scale.sh [--sizes 10,100,1000] [--baselines python_ahocorasick,tantivy_exact,python_re]
#                    [--work DIR] [--runs N] [--seed N] [--turns N] [--codebook FILE] [--corpus DIR]
#
# For each size (MB) it generates a deterministic two-wave interview study
# (benches/scale/gen_corpus.py, seed 42 or --seed, a copy of ../shared/bench/gen_corpus.py;
# 200 turns per interview or --turns: 20 makes ten times as many files, 2000 a tenth),
# makes it a qualkit study with the corpus's codebook.json (or --codebook, same format)
# translated to qualkit rules of the same meaning (benches/scale/make_study.py), then times,
# with /usr/bin/time -v (wall, user+sys CPU, peak RSS) on a warm page cache:
#   qualkit index     ingest + index, from an empty cache
#   qualkit run       the whole analysis (ingest, segment, index reused, code, every table,
#                     charts, report) — and `run cold`, the same from an empty cache
#   qualkit code      after a codebook edit (one rule added), index reused: a phrase that
#                     matches nothing (the series' edit since the first round: it measures
#                     searching for the rule and copying every row), and a rule that matches
#                     turns of two other codes, which are then coded again (the table names
#                     how many)
#   qualkit run       after one transcript changed (a line added to or taken from a
#                     transcript in the middle of the study), the caches those of the study
#                     before: the index updated in place, the other files' parse, segments,
#                     rule matches and word counts carried over (not with --corpus, which is
#                     only read)
#   each baseline     from ../shared/bench (copied to DIR/baselines with its own virtualenv)
# and checks that qualkit's per participant × wave × code counts of matching respondent turns
# equal python_ahocorasick's (the reference the baselines agree on). python_re is skipped
# above 100 MB (about 35 min per GB). Without ../shared/bench only qualkit is timed; when
# pyahocorasick and tantivy cannot be installed (no network), python_re, which needs no
# package, is the only baseline and the reference.
# Prints one table per size: wall s, CPU s, peak RSS MB, MB/s, and how many times faster
# qualkit's cold run is. --corpus DIR times one corpus of your own instead of generating any:
# gen_corpus.py's layout (DIR/transcripts/<ID>_<wave>.txt, DIR/codebook.json unless --codebook,
# DIR/participants.csv if there is one); DIR is only read: the study is made in
# WORK/corpus-<name of DIR>, its transcripts a link to DIR's.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SIZES="10,100"
BASELINES="python_ahocorasick,tantivy_exact,python_re"
WORK="$REPO/target/scale"
RUNS=1
SEED=42
TURNS=200
CODEBOOK=""
CORPUS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2;;
    --baselines) BASELINES="$2"; shift 2;;
    --work) WORK="$2"; shift 2;;
    --runs) RUNS="$2"; shift 2;;
    --seed) SEED="$2"; shift 2;;
    --turns) TURNS="$2"; shift 2;;
    --codebook) CODEBOOK="$(realpath -e -- "$2")" || { echo "no such codebook: $2" >&2; exit 2; }
      shift 2;;
    --corpus) CORPUS="$(realpath -e -- "$2")" || { echo "no such corpus: $2" >&2; exit 2; }
      [ -d "$CORPUS/transcripts" ] || { echo "$2 has no transcripts folder" >&2; exit 2; }
      shift 2;;
    -h|--help) sed -n '2,37p' "$0"; exit 0;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$WORK"
echo ">> building qualkit (release)" >&2
(cd "$REPO" && cargo build --release --locked -q)
QK="$REPO/target/release/qualkit"

SHARED="${QUALKIT_BASELINES:-$REPO/../shared/bench}"
BL="$WORK/baselines"
if [ -f "$SHARED/common.py" ]; then
  mkdir -p "$BL"
  cp "$SHARED"/*.py "$BL/"
  # the packages two baselines need; without them (no network) python_re, which needs none,
  # is the reference
  if [ ! -f "$BL/.venv/ready" ]; then
    echo ">> baseline virtualenv" >&2
    rm -rf "$BL/.venv"
    if python3 -m venv "$BL/.venv" &&
      "$BL/.venv/bin/pip" install -q pyahocorasick==2.3.1 tantivy==0.27.0; then
      touch "$BL/.venv/ready"
    else
      echo "!! could not install pyahocorasick and tantivy: python_ahocorasick and tantivy_exact skipped" >&2
      rm -rf "$BL/.venv"
    fi
  fi
else
  echo ">> no $SHARED: timing qualkit only" >&2
  BASELINES=""
fi

# run NAME SIZE COMMAND...: time one command (best of --runs, $BEFORE evaluated before each
# timing, untimed, so that every repetition starts from the same state); append
# "size name wall cpu rss" to results
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
run() {
  local name="$1" size="$2"; shift 2
  local best="" line
  for _ in $(seq "$RUNS"); do
    if [ -n "${BEFORE:-}" ]; then eval "$BEFORE"; fi
    /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/last.out" 2> "$WORK/last.err" || {
      echo "!! $name failed:" >&2; tail -5 "$WORK/last.err" >&2; return 1; }
    line=$(awk -F': ' '
      /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
      /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
      END { printf "%.2f\t%.2f\t%d", w, u + s, m / 1024 }' "$WORK/time.txt")
    if [ -z "$best" ] || [ "$(echo "$line" | cut -f1 | tr -d .)" -lt "$(echo "$best" | cut -f1 | tr -d .)" ]; then best="$line"; fi
  done
  printf '%s\t%s\t%s\n' "$size" "$name" "$best" >> "$RESULTS"
}

IFS=',' read -ra SZ <<< "$SIZES"
# corpora of another seed or shape are kept apart from the default ones
SUFFIX=""
if [ "$SEED" != 42 ]; then SUFFIX="-seed$SEED"; fi
if [ "$TURNS" != 200 ]; then SUFFIX="$SUFFIX-turns$TURNS"; fi
if [ -n "$CORPUS" ]; then
  # a corpus of one's own, named by its size in MB; the study beside it links its files
  C="$WORK/corpus-$(basename "$CORPUS")"
  rm -rf "$C" && mkdir -p "$C"
  ln -s "$CORPUS/transcripts" "$C/transcripts"
  if [ -f "$CORPUS/participants.csv" ]; then cp "$CORPUS/participants.csv" "$C/"; fi
  if [ -z "$CODEBOOK" ]; then
    CODEBOOK="$(realpath -e -- "$CORPUS/codebook.json")" || { echo "no $CORPUS/codebook.json: give --codebook" >&2; exit 2; }
  fi
  python3 -c 'import json, pathlib, sys
c = pathlib.Path(sys.argv[1])
size = sum(p.stat().st_size for p in (c / "transcripts").glob("*.txt"))
(c / "MANIFEST.json").write_text(json.dumps({"bytes": size, "generator": "--corpus"}) + "\n")
print(max(1, round(size / 1e6)))' "$C" > "$WORK/corpus-size.txt"
  SZ=("$(cat "$WORK/corpus-size.txt")")
fi
for size in "${SZ[@]}"; do
  if [ -z "$CORPUS" ]; then C="$WORK/c${size}mb$SUFFIX"; fi
  if [ ! -f "$C/MANIFEST.json" ]; then
    echo ">> generating $C" >&2
    python3 "$HERE/scale/gen_corpus.py" --out "$C" --target-mb "$size" --seed "$SEED" \
      --turns "$TURNS" >&2
  fi
  printf '%s\tcorpus\t%s\n' "$size" "$C" >> "$RESULTS"
  # qualkit and the baselines code with the same codebook; no answers of an earlier
  # invocation (another seed or codebook) are compared
  CB="${CODEBOOK:-$C/codebook.json}"
  rm -f "$WORK/qualkit-${size}.csv" "$WORK/counts-${size}.txt" "$WORK"/python_*-"${size}".csv \
    "$WORK/tantivy_exact-${size}.csv"
  python3 "$HERE/scale/make_study.py" "$C" --codebook "$CB"
  cp "$C/codebook.toml" "$C/codebook.original.toml"
  python3 "$HERE/scale/make_study.py" "$C" --edit --codebook "$CB"
  cp "$C/codebook.toml" "$C/codebook.edited.toml"
  python3 "$HERE/scale/make_study.py" "$C" --edit-matching --codebook "$CB"
  cp "$C/codebook.toml" "$C/codebook.edited-matching.toml"
  cp "$C/codebook.original.toml" "$C/codebook.toml"
  find "$C/transcripts/" -name '*.txt' -exec cat {} + > /dev/null   # warm the page cache
  echo ">> $size MB: qualkit" >&2
  # commands evaluated before a timing name their paths quoted for the shell (%q): a folder
  # of one's own may have any name
  BEFORE="rm -rf $(printf %q "$C/.qualkit")" \
    run "qualkit index (ingest + index)" "$size" "$QK" -q --study "$C" index
  BEFORE="rm -rf $(printf '%q ' "$C/.qualkit" "$C/out")" run "qualkit run, cold (index built)" "$size" "$QK" -q run "$C"
  run "qualkit run, index reused" "$size" "$QK" -q run "$C"
  # each repetition of the re-code starts from the caches as they were before the edit
  rm -rf "$WORK/index-before-edit" && cp -r "$C/.qualkit/index" "$WORK/index-before-edit"
  cp "$C/codebook.edited.toml" "$C/codebook.toml"
  RESTORE="rm -rf $(printf %q "$C/.qualkit/index") && cp -r $(printf '%q ' "$WORK/index-before-edit" "$C/.qualkit/index")"
  BEFORE="$RESTORE" \
    run "qualkit code after a codebook edit" "$size" "$QK" -q --study "$C" code --out "$WORK/codings-edited.csv"
  cp "$C/codebook.edited-matching.toml" "$C/codebook.toml"
  # how many turns this edit codes again, from the notice of one untimed re-code
  eval "$RESTORE"
  again=$("$QK" --study "$C" code --out "$WORK/codings-edited.csv" 2>&1 | grep -o '[0-9,]* [a-z]*s coded again' || echo "? segments coded again")
  BEFORE="$RESTORE" \
    run "qualkit code after an edit that matches ($again)" "$size" "$QK" -q --study "$C" code --out "$WORK/codings-edited.csv"
  cp "$C/codebook.original.toml" "$C/codebook.toml"
  if [ -z "$CORPUS" ]; then
    # one transcript changed, the caches those of the study before it: each repetition adds
    # a line to a transcript in the middle of the study or takes it away again (a corpus of
    # one's own is only read)
    "$QK" -q run "$C"
    mapfile -t FILES < <(find "$C/transcripts" -name '*.txt' | sort)
    CHANGED="${FILES[$(( ${#FILES[@]} / 2 ))]}"
    cp "$CHANGED" "$WORK/changed-original.txt"
    trap 'cp "$WORK/changed-original.txt" "$CHANGED"' EXIT
    TOGGLE="if cmp -s $(printf '%q ' "$CHANGED" "$WORK/changed-original.txt"); then echo 'Extra words about my mentor and my targets.' >> $(printf %q "$CHANGED"); else cp $(printf '%q ' "$WORK/changed-original.txt" "$CHANGED"); fi"
    BEFORE="$TOGGLE" \
      run "qualkit run after one transcript changed ($(basename "$CHANGED"))" "$size" "$QK" -q run "$C"
    cp "$WORK/changed-original.txt" "$CHANGED"
    trap - EXIT
  fi
  "$QK" -q --study "$C" code --out "$WORK/codings.csv"
  python3 "$HERE/scale/counts.py" "$WORK/codings.csv" "$WORK/qualkit-${size}.csv" --ids "$C/code-ids.json"
  IFS=',' read -ra BS <<< "$BASELINES"
  for b in "${BS[@]}"; do
    out="$WORK/${b}-${size}.csv"
    before=""
    if [ "$b" != python_re ] && [ ! -f "$BL/.venv/ready" ]; then
      echo ">> skip $b: no virtualenv with its package" >&2; continue
    fi
    case "$b" in
      python_re) [ "$size" -le 100 ] || { echo ">> skip python_re at $size MB" >&2; continue; }
        cmd=(python3 "$BL/python_re.py");;
      python_ahocorasick) cmd=("$BL/.venv/bin/python" "$BL/python_ahocorasick.py");;
      tantivy_exact) before="rm -rf $(printf %q "$WORK/tv.index")"
        cmd=("$BL/.venv/bin/python" "$BL/python_tantivy.py" --fields both --mode exact --index "$WORK/tv.index");;
      *) echo "unknown baseline $b" >&2; exit 2;;
    esac
    echo ">> $size MB: $b" >&2
    BEFORE="$before" run "$b" "$size" "${cmd[@]}" --corpus "$C" --codebook "$C/codebook.baselines.json" --out "$out"
  done
  # the reference is python_ahocorasick's counts (the baselines agree), else python_re's
  reference="$WORK/python_ahocorasick-${size}.csv" reference_name=python_ahocorasick
  if [ ! -f "$reference" ]; then reference="$WORK/python_re-${size}.csv" reference_name=python_re; fi
  if [ -f "$reference" ]; then
    python3 "$HERE/scale/counts.py" --compare "$WORK/qualkit-${size}.csv" "$reference" > "$WORK/counts-${size}.txt" || true
    printf '%s\tcounts\t%s: %s (details: %s)\n' "$size" "$reference_name" "$(head -1 "$WORK/counts-${size}.txt")" "$WORK/counts-${size}.txt" >> "$RESULTS"
  fi
done

python3 - "$RESULTS" <<'EOF'
import json, pathlib, sys
rows = [l.split("\t") for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l]
for size in dict.fromkeys(r[0] for r in rows):
    corpus = next(pathlib.Path(r[2]) for r in rows if r[0] == size and r[1] == "corpus")
    mb = json.loads((corpus / "MANIFEST.json").read_text())["bytes"] / 1e6
    timed = [r for r in rows if r[0] == size and r[1] not in ("counts", "corpus")]
    anchor = next((float(r[2]) for r in timed if r[1].startswith("qualkit run, cold")), None)
    print(f"\n{size} MB ({mb:.1f} MB of transcripts in {corpus})\n")
    print("| command | wall s | CPU s | peak RSS MB | MB/s | qualkit run (cold) is × faster (< 1: slower) |")
    print("|---|---:|---:|---:|---:|---:|")
    for _, name, wall, cpu, rss in timed:
        wall = float(wall)
        ratio = f"{wall / anchor:.1f}×" if anchor and not name.startswith("qualkit") else ""
        print(f"| {name} | {wall:.2f} | {float(cpu):.2f} | {rss} | {mb / wall if wall else 0:.1f} | {ratio} |")
    for r in rows:
        if r[0] == size and r[1] == "counts":
            print(f"\nqualkit's counts vs {r[2]}")
EOF
