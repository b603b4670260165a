#!/usr/bin/env bash
# Run fuzz targets one after another, each for SECONDS, continuing from the corpus in
# corpus/<target>. Prints, per target, executions, final coverage and when coverage last grew,
# so a plateau is visible: `fuzz/run.sh 900 study_file rule`. Logs go to logs/<target>.log.
# Needs `cargo install cargo-fuzz` and a nightly toolchain. Builds once, then runs the
# binaries directly, so editing the sources meanwhile does not restart a build per target.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O >/dev/null 2>&1
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    # -rss_limit_mb: a runaway allocation is a finding; -timeout: so is a hang (10 s per input).
    "$bin/$target" "corpus/$target" -artifact_prefix="artifacts/$target/" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        >"logs/$target.log" 2>&1 || echo "$target: FAILED (see logs/$target.log)"
    python3 - "$target" "logs/$target.log" <<'PY'
import re, sys
target, log = sys.argv[1], sys.argv[2]
last_cov, last_growth, growth_time, execs, seconds = 0, 0, 0, 0, 0
for line in open(log, errors="replace"):
    m = re.match(r"#(\d+)\s+\w+.*cov: (\d+).*exec/s: (\d+)", line)
    if m:
        n, cov, rate = map(int, m.groups())
        if cov > last_cov:
            last_cov, last_growth = cov, n
    m = re.match(r"stat::number_of_executed_units: (\d+)", line)
    if m:
        execs = int(m.group(1))
    m = re.match(r"Done (\d+) runs in (\d+) second", line)
    if m:
        execs, seconds = int(m.group(1)), int(m.group(2))
share = 100 * last_growth / execs if execs else 0
print(f"{target}: {execs:,} executions in {seconds} s; coverage {last_cov}, last grew at execution {last_growth:,} ({share:.0f}% of the run)")
PY
done
