#!/usr/bin/env bash
# The Slurm integration test (issue 18, docs/cluster.md), run by .ci/run after the test command: a real single-node
# Slurm (scripts/slurm-single-node.sh) runs `stxmphase slurm --submit` on a synthetic beamtime of 6 stacks and every
# result must equal the in-process `batch` with the same model: each .npy bit for bit, summary.csv row for row (all
# columns but seconds and command_line), the collect job's exit code 0; inside a task stxmphase must use the task's
# CPUs (summary.json "execution"). A real sbatch refusal must be exit code 6 with sbatch's message.
#
# Exit codes: 0 passed or skipped (Slurm cannot be installed here: not root, no apt-get, no network; the message says
# SKIPPED and why); 1 failed (the message says FAILED and what differed). Takes about a minute on 2 cores.
# Stops the daemons it started (by pid) on every exit path.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 OMP_NUM_THREADS=1
timeout_s=${STXMPHASE_SLURM_TEST_TIMEOUT:-240}

say() { echo "slurm-integration-test: $*"; }
fail() { say "FAILED: $*"; exit 1; }

export STXMPHASE_SLURM_DIR=/tmp/stxmphase-slurm-test-$$
work=$(mktemp -d /tmp/stxmphase-slurm-work-XXXXXX)
chmod 755 "$work"
cleanup() {
    scripts/slurm-single-node.sh stop >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

scripts/slurm-single-node.sh start > "$work/start.log" 2>&1
rc=$?
cat "$work/start.log"
if [ "$rc" = 77 ]; then
    say "SKIPPED: no Slurm on this machine (see the line above)"
    exit 0
fi
[ "$rc" = 0 ] || fail "the single-node Slurm did not start (exit $rc)"
eval "$(scripts/slurm-single-node.sh env)"
start=$SECONDS

# The CLI as built by the test command (built here if missing); the array's tasks run it as `dotnet <dll>`.
cli_dir=src/StxmPhase.Cli/bin/Release/net10.0
if [ ! -f "$cli_dir/StxmPhase.Cli.dll" ]; then
    dotnet build src/StxmPhase.Cli/StxmPhase.Cli.csproj -c Release 2>&1 | tail -n 3
fi
stx() { dotnet "$repo/$cli_dir/StxmPhase.Cli.dll" "$@"; }

# A beamtime of 6 synthetic stacks, two "states of charge" (doses alternate), and its manifest.
data="$work/beam time"
mkdir -p "$data"
echo "path,name,state,dose" > "$data/manifest.csv"
for i in 0 1 2 3 4 5; do
    dose=$(( i % 2 == 0 ? 300 : 600 ))
    state=$([ $((i % 2)) = 0 ] && echo charged || echo discharged)
    stx synth --out "$data/s$i" --width 40 --height 40 --seed $((i + 1)) --dose $dose --threads 1 -q > /dev/null \
        || fail "synth of stack $i failed"
    echo "s$i/stack.npy,p$i,$state,$dose" >> "$data/manifest.csv"
done
stx train --manifest "$data/manifest.csv" --references "$data/s0/references.csv" --model "$data/model.ckpt" --epochs 2 \
    --max-training-spectra 400 --threads 1 -q > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "train failed"; }
say "6 stacks and a model in $((SECONDS - start)) s"

# The in-process batch: what every array task must reproduce.
stx batch --manifest "$data/manifest.csv" --model "$data/model.ckpt" --out "$work/batch" --no-figures -q > "$work/batch.log" 2>&1 \
    || { cat "$work/batch.log"; fail "the in-process batch failed"; }

# A root whose name needs quoting in the scripts (a space, a single quote, a % that Slurm must not read as a pattern).
root="$work/slurm root's 100%"
# A real sbatch refusal first: exit code 6 with sbatch's own message.
stx slurm --manifest "$data/manifest.csv" --model "$data/model.ckpt" --out "$root" --partition no_such_partition --submit \
    > "$work/refused.out" 2> "$work/refused.err"
rc=$?
[ "$rc" = 6 ] || fail "a submission to a missing partition exited with $rc, not 6: $(cat "$work/refused.err")"
grep -qi "partition" "$work/refused.err" || fail "sbatch's message is not shown: $(cat "$work/refused.err")"

stx slurm --manifest "$data/manifest.csv" --model "$data/model.ckpt" --out "$root" --submit --cpus-per-task 1 --max-parallel 2 \
    --no-figures > "$work/submit.out" 2>&1 || { cat "$work/submit.out"; fail "stxmphase slurm --submit failed"; }
cat "$work/submit.out"
array_job=$(sed -n 's/^Submitted map array job \([0-9]*\) .*/\1/p' "$work/submit.out")
collect_job=$(sed -n 's/^Submitted collect job \([0-9]*\) .*/\1/p' "$work/submit.out")
[ -n "$array_job" ] && [ -n "$collect_job" ] || fail "no job ids in the output of stxmphase slurm --submit"
grep -q "^#SBATCH --array=0-5%2$" "$root/stxmphase.sbatch" || fail "the script's array is not 0-5%2"

# Wait for the collect job (it runs after every task has ended), polling scontrol (no accounting database here).
job_state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | sed 's/JobState=//' | tr '\n' ' '; }
while :; do
    state=$(job_state "$collect_job")
    case $state in
        "COMPLETED "|"FAILED "|"CANCELLED "|"TIMEOUT "|"NODE_FAIL "|"OUT_OF_MEMORY ") break ;;
    esac
    if [ $((SECONDS - start)) -ge "$timeout_s" ]; then
        squeue
        fail "the jobs did not finish within ${timeout_s} s (collect job state: '${state:-unknown}')"
    fi
    sleep 1
done
say "array job $array_job and collect job $collect_job ended after $((SECONDS - start)) s in all"

show_logs() { for f in "$root"/slurm-logs/*; do echo "--- $f"; tail -n 5 "$f"; done; }
[ "$state" = "COMPLETED " ] || { show_logs; fail "the collect job ended $state"; }
task_states=$(job_state "$array_job")
[ "$task_states" = "COMPLETED " ] || { show_logs; fail "array tasks ended: $task_states"; }
[ "$(scontrol -o show job "$array_job" | grep -c 'ExitCode=0:0')" = 6 ] || { show_logs; fail "not 6 array tasks with exit code 0"; }
scontrol -o show job "$collect_job" | grep -q 'ExitCode=0:0' || { show_logs; fail "collect exited non-zero (some stack failed?)"; }

# Every stack: the same files, each .npy bit for bit; the task used its one CPU and says which task it was.
for i in 0 1 2 3 4 5; do
    b="$work/batch/p$i"
    s="$root/p$i"
    [ -d "$s" ] || fail "no output folder $s"
    n=0
    for f in "$b"/*.npy; do
        cmp -s "$f" "$s/$(basename "$f")" || fail "p$i/$(basename "$f") differs from the in-process batch"
        n=$((n + 1))
    done
    [ "$n" -ge 3 ] || fail "the batch wrote only $n .npy files for p$i"
    grep -q '"threads": 1,' "$s/summary.json" || fail "p$i: summary.json does not record 1 thread (the task's --cpus-per-task)"
    grep -q "\"array_task_id\": \"$i\"" "$s/summary.json" || fail "p$i: summary.json does not name array task $i"
done

# summary.csv: the same rows, all columns but seconds and command_line (the last; its text differs between the runs).
header=$(head -n 1 "$work/batch/summary.csv")
cols=$(awk -F, '{print NF}' <<< "$header")
[ "$(cut -d, -f$((cols - 4)) <<< "$header"),$(cut -d, -f"$cols" <<< "$header")" = "seconds,command_line" ] \
    || fail "summary.csv's columns changed ($header): update this test"
[ "$(head -n 1 "$root/summary.csv")" = "$header" ] || fail "summary.csv headers differ"
strip() { cut -d, -f1-$((cols - 5)),$((cols - 3))-$((cols - 1)) "$1"; }
if ! diff <(strip "$work/batch/summary.csv") <(strip "$root/summary.csv"); then
    fail "summary.csv of the Slurm run differs from the in-process batch's (above)"
fi
[ "$(wc -l < "$root/summary.csv")" = 7 ] || fail "summary.csv does not have 6 rows"
say "PASSED: 6 array tasks on a real Slurm equal the in-process batch (.npy bit for bit, summary.csv rows); $((SECONDS - start)) s"
