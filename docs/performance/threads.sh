#!/usr/bin/env bash
# stxmphase demo beside 0, 1 and 2 CPU-bound competitors (busy loops), two builds alternately, several rounds.
# Usage: docs/performance/threads.sh BEFORE_CLI_DIR AFTER_CLI_DIR [rounds] [timeout_s]
#   *_CLI_DIR: a folder holding StxmPhase.Cli.dll (e.g. a copy of src/StxmPhase.Cli/bin/Release/net10.0 per commit).
# Prints one line per run: build, competitors, wall seconds (or "> timeout" when it was stopped).
set -uo pipefail
before=$1 after=$2 rounds=${3:-2} limit=${4:-150}
out=$(mktemp -d)
spin() { while :; do :; done; }
for round in $(seq 1 "$rounds"); do
  for competitors in 0 1 2; do
    for build in after before; do
      dir=$before; [[ $build == after ]] && dir=$after
      pids=()
      for _ in $(seq 1 "$competitors"); do spin & pids+=($!); done
      t0=$(date +%s.%N)
      env -u OMP_NUM_THREADS -u OMP_WAIT_POLICY timeout "$limit" dotnet "$dir/StxmPhase.Cli.dll" demo --out "$out/$build" --overwrite --quiet > "$out/log" 2>&1
      rc=$?
      t1=$(date +%s.%N)
      for p in "${pids[@]}"; do kill "$p"; done
      wait 2>/dev/null
      if [[ $rc == 124 ]]; then s="> $limit"; else s=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)"); fi
      train=$(grep -o 'training [0-9.]* s' "$out/log" | head -1)
      echo "round $round  $build  competitors $competitors  wall $s s  ($train)  load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
rm -rf "$out"
