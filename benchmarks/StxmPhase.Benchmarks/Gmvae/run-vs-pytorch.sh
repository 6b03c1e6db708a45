#!/bin/bash
# Seconds per GMVAE training epoch, StxmPhase (TorchSharp 0.107 / libtorch 2.10) vs PyTorch (Debian python3-torch),
# N = 20,000 and 100,000 spectra x 13 energies, batch 128, 2 threads, measured back to back in one run.
# Usage (repository root): bash benchmarks/StxmPhase.Benchmarks/Gmvae/run-vs-pytorch.sh [logdir]
# Needs Debian's python3-torch (bash ../shared/peers/install.sh installs it); PEERS overrides the peers folder.
set -eu
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
LOG=${1:-./gmvae-bench-logs}
mkdir -p "$LOG"
{ date -u; uptime; nproc; lscpu | grep -E 'Model name|^CPU\(s\)'; } > "$LOG/machine.txt"
dotnet run -c Release --project "$ROOT/benchmarks/StxmPhase.Benchmarks" -- --filter '*GmvaeTrainingEpoch*' \
  --artifacts "$LOG/bdn" 2>&1 | tee "$LOG/stxmphase.txt"
uptime >> "$LOG/machine.txt"
if [ ! -f "$PEERS/gmvae_torch.py" ]; then
  echo "PyTorch peer not found: $PEERS/gmvae_torch.py (set PEERS to the peers folder)" | tee "$LOG/pytorch.txt"
elif [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 "$PEERS/gmvae_torch.py" --sizes 20000 100000 --epochs 3 3 --threads 2 2>&1 | tee "$LOG/pytorch.txt"
else
  echo "python3-torch missing: run 'bash $PEERS/install.sh' first" | tee "$LOG/pytorch.txt"
fi
uptime >> "$LOG/machine.txt"
