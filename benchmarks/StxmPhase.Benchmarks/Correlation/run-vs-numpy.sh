#!/bin/bash
# PCC phase mapping, StxmPhase vs the NumPy script (and the C SIMD peer) vs the machine's memory bandwidth (STREAM),
# measured back to back in one session: 256², 1024², 2048² pixels × 13 energies × 5 references, full result.
# Usage (repository root): bash benchmarks/StxmPhase.Benchmarks/Correlation/run-vs-numpy.sh [logdir]
# Needs Debian's python3-numpy and gcc (bash ../shared/peers/install.sh installs them); PEERS overrides the peers folder.
set -eu
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
LOG=${1:-./pcc-bench-logs}
mkdir -p "$LOG"
{ date -u; uptime; nproc; lscpu | grep -E 'Model name|^CPU\(s\)|family|Model:'; grep -o 'avx512f' /proc/cpuinfo | head -1; } > "$LOG/machine.txt"
dotnet build "$ROOT/benchmarks/StxmPhase.Benchmarks" -c Release > "$LOG/build.txt" 2>&1
gcc -O3 -march=native -fopenmp "$PEERS/stream.c" -o "$LOG/stream"
gcc -O3 -march=native -fno-math-errno -fopenmp "$PEERS/pcc_c.c" -o "$LOG/pcc_c" -lm
for t in 1 2; do OMP_NUM_THREADS=$t "$LOG/stream" | tee -a "$LOG/stream.txt"; done
uptime >> "$LOG/machine.txt"
/usr/bin/python3 "$PEERS/pcc_numpy.py" --sizes 256 1024 2048 --no-numba --naive-size 0 --save-sizes --out "$LOG/numpy-out" 2>&1 | tee "$LOG/numpy.txt"
for t in 1 2; do OMP_NUM_THREADS=$t sh -c "'$LOG/pcc_c' 256 21; '$LOG/pcc_c' 1024 9; '$LOG/pcc_c' 2048 9" 2>&1 | tee -a "$LOG/pcc_c.txt"; done
uptime >> "$LOG/machine.txt"
dotnet "$ROOT/benchmarks/StxmPhase.Benchmarks/bin/Release/net10.0/StxmPhase.Benchmarks.dll" --filter '*PearsonPhaseMapping*' \
  --job short --warmupCount 3 --iterationCount 15 --launchCount 1 --inProcess --artifacts "$LOG/bdn" 2>&1 | tee "$LOG/stxmphase.txt"
for t in 2; do OMP_NUM_THREADS=$t "$LOG/stream" | tee -a "$LOG/stream.txt"; done
uptime >> "$LOG/machine.txt"
