#!/bin/bash
# Issue 18's target: `batch` with a model over 8 stacks of 512² × 13 against 8 sequential `map --strategy none`
# processes (each pays the .NET start-up; the batch pays it, and loading libtorch, once). Both without figures.
# Usage (repository root): bash docs/performance/beamtime.sh [workdir]   (OMP_NUM_THREADS=1 on a shared machine)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-./beamtime-logs}
mkdir -p "$WORK"
CLI="dotnet $ROOT/src/StxmPhase.Cli/bin/Release/net10.0/StxmPhase.Cli.dll"
{ date -u; uptime; nproc; lscpu | grep -E 'Model name|^CPU\(s\)'; } > "$WORK/machine.txt"
echo "path,name" > "$WORK/beamtime.csv"
for i in 1 2 3 4 5 6 7 8; do
  [ -f "$WORK/s$i/stack.npy" ] || $CLI synth --out "$WORK/s$i" --width 512 --height 512 --seed $i --dose 1000 -q > /dev/null
  echo "s$i/stack.npy,s$i" >> "$WORK/beamtime.csv"
done
REFS="$WORK/s1/references.csv"
[ -f "$WORK/model.ckpt" ] || $CLI train --manifest "$WORK/beamtime.csv" --references "$REFS" --model "$WORK/model.ckpt" -q > "$WORK/train.txt"
sequential() {
  for i in 1 2 3 4 5 6 7 8; do
    $CLI map --stack "$WORK/s$i/stack.npy" --references "$REFS" --strategy none --no-figures -q --out "$WORK/seq" --overwrite > /dev/null
  done
}
batch() {
  rm -rf "$WORK/batch"
  $CLI batch --manifest "$WORK/beamtime.csv" --model "$WORK/model.ckpt" --out "$WORK/batch" --no-figures -q "$@" > /dev/null
}
for round in 1 2; do
  s=$(date +%s.%N); sequential; t1=$(echo "$(date +%s.%N) - $s" | bc)
  s=$(date +%s.%N); batch; t2=$(echo "$(date +%s.%N) - $s" | bc)
  s=$(date +%s.%N); batch --jobs 2; t3=$(echo "$(date +%s.%N) - $s" | bc)
  printf 'round %d: 8 x map --strategy none %6.1f s | batch --model %6.1f s (%.2fx) | batch --model --jobs 2 %6.1f s (%.2fx) | load %s\n' \
    $round "$t1" "$t2" "$(echo "$t2 / $t1" | bc -l)" "$t3" "$(echo "$t3 / $t1" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
