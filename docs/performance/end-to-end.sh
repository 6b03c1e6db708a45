#!/bin/bash
# End-to-end wall time and peak resident memory of `stxmphase demo` and of `stxmphase map` on a 1024² × 13
# transmission stack (plus the 256² run whose peak stands for "the runtime and the model": same GMVAE training-set
# size, an input of 3.4 MB). Usage (repository root): bash docs/performance/end-to-end.sh [workdir]
# Needs GNU time (/usr/bin/time, Debian package "time").
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-./e2e-logs}
mkdir -p "$WORK"
dotnet build "$ROOT/src/StxmPhase.Cli" -c Release > "$WORK/build.txt" 2>&1
CLI="dotnet $ROOT/src/StxmPhase.Cli/bin/Release/net10.0/StxmPhase.Cli.dll"
{ date -u; uptime; nproc; lscpu | grep -E 'Model name|^CPU\(s\)'; } > "$WORK/machine.txt"
for side in 256 1024; do
  [ -f "$WORK/s$side/stack.npy" ] || $CLI synth --out "$WORK/s$side" --width $side --height $side --seed 2 --dose 1000 > /dev/null
done
run() { # name, then the stxmphase arguments
  local name=$1; shift
  /usr/bin/time -v $CLI "$@" > "$WORK/$name.out" 2> "$WORK/$name.time"
  # GNU time reports kB of 1024 bytes; MB here are 10^6 bytes, as the tool prints them.
  printf '%-28s wall %8s  peak %7.1f MB  | %s\n' "$name" \
    "$(grep 'Elapsed (wall' "$WORK/$name.time" | awk '{print $NF}')" \
    "$(grep 'Maximum resident' "$WORK/$name.time" | awk '{print $NF * 1024 / 1e6}')" \
    "$(grep -E '^  time:' "$WORK/$name.out" | sed 's/^  time: //')"
}
map() { # name side extra-args...
  local name=$1 side=$2; shift 2
  run "$name" map --stack "$WORK/s$side/stack.npy" --energies "$WORK/s$side/energies.csv" \
    --references "$WORK/s$side/references.csv" --quantity transmission --out "$WORK/m-$name" --overwrite "$@"
}
{
run demo demo --out "$WORK/demo" --overwrite
map 256-gmvae-no-figures 256 --no-figures
map 256-gmvae-figures 256
map 256-pca-no-figures 256 --encoder pca --no-figures
map 256-pca-figures 256 --encoder pca
map 1024-gmvae-no-figures 1024 --no-figures
map 1024-gmvae-figures 1024
map 1024-pca-no-figures 1024 --encoder pca --no-figures
map 1024-pca-figures 1024 --encoder pca
} | tee "$WORK/summary.txt"
uptime >> "$WORK/machine.txt"
