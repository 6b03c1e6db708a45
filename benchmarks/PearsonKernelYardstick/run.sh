#!/bin/bash
# The .NET Pearson kernel against a hand-written AVX2 C kernel of the same algorithm, in one process (Program.cs).
# Usage (repository root): bash benchmarks/PearsonKernelYardstick/run.sh [WIDTHxHEIGHT ...]   (THREADS=1 for one thread)
# Needs gcc and an x86-64 CPU with AVX2 and FMA.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${TMPDIR:-/tmp}/pearson-yardstick
mkdir -p "$OUT"
gcc -O3 -march=native -shared -fPIC "$HERE/pearson_avx2.c" -o "$OUT/libpearson_avx2.so"
dotnet build "$HERE" -c Release -o "$OUT/bin" > "$OUT/build.txt" 2>&1 || { cat "$OUT/build.txt"; exit 1; }
PEARSON_C_LIBRARY="$OUT/libpearson_avx2.so" dotnet "$OUT/bin/PearsonKernelYardstick.dll" "$@"
