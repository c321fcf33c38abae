#!/usr/bin/env bash
# One GPU-machine session (the device tool's `run`) that makes the real fixtures of the verdict
# cases and of the run comparison, and probes how torch's framework context and a program's own
# torch.profiler behave under gaplens capture; a first overhead table of the framework modes.
# Logs and traces under $OUT, packed as $OUT/explore.tar.gz.
#   carry: .deps (bash ../shared/device-deps.sh .deps)      usage: bash tools/device/explore_session.sh
set -u
OUT=${OUT:-/tmp/gaplens_out}
R=$OUT/r
mkdir -p "$R/logs" "$R/traces" "$R/fixtures"
source "$(dirname "$0")/device_build.sh"
T0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*" | tee -a "$R/logs/stamps.txt"; }
pack() { tar -czf "$OUT/explore.tar.gz" -C "$R" . ; }
trap pack EXIT

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$R/logs/gpu.txt" 2>&1
python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)' >> "$R/logs/gpu.txt" 2>&1
stamp "build"
device_build "$R/logs/build.log" gaplens gaplens_inject -- -DGAPLENS_TESTS=OFF -DGAPLENS_BENCH=OFF
stamp "build rc=$?"
G=$PWD/build-dev/app/gaplens/gaplens
F=$R/fixtures

stamp "compare-runs fixtures: matmul_add 64, batched, graph"
for w in matmul_add matmul_add_batched matmul_add_graph; do
  $G capture --workload $w --sizes 64 --iters 30 --schedule 1,4,20,1 -o "$F/cmp_${w}_64.json" >> "$R/logs/capture_cli.txt" 2>&1
  echo "$w rc=$?" >> "$R/logs/capture_cli.txt"
done

stamp "verdict cases (torch.profiler)"
for c in side_copies sync_step no_ranges compiled; do
  timeout 150 python3 tools/fixtures/verdict_cases.py $c --out "$F/verdict_$c.json" > "$R/logs/case_$c.txt" 2>&1
  echo "rc=$?" >> "$R/logs/case_$c.txt"; stamp "$c done"
done
stamp "startup gap under gaplens capture"
$G capture --framework=none -o "$F/verdict_startup_gap.json" -- python3 tools/fixtures/verdict_cases.py startup_gap \
  > "$R/logs/case_startup_gap.txt" 2>&1; echo "rc=$?" >> "$R/logs/case_startup_gap.txt"

stamp "probe: framework context through NVTX (start-up hook on PYTHONPATH)"
$G capture -o "$R/traces/train_nvtx.json" -- python3 bench/train_step.py --steps 5 --warmup 3 \
  > "$R/logs/probe_nvtx.txt" 2>&1; echo "rc=$?" >> "$R/logs/probe_nvtx.txt"
$G capture -o "$R/traces/cnn_nvtx.json" -- python3 bench/train_step.py --model cnn --steps 5 --warmup 3 \
  > "$R/logs/probe_cnn_nvtx.txt" 2>&1; echo "rc=$?" >> "$R/logs/probe_cnn_nvtx.txt"
stamp "probe: plain capture of the same (reference counts, correlation ids)"
$G capture --framework=none -o "$R/traces/train_plain.json" -- python3 bench/train_step.py --steps 5 --warmup 3 \
  > "$R/logs/probe_plain.txt" 2>&1; echo "rc=$?" >> "$R/logs/probe_plain.txt"
stamp "probe: Kineto CPU recording under gaplens capture"
GAPLENS_FRAMEWORK_PROBE=kineto-cpu $G capture -o "$R/traces/train_kineto_cpu.json" -- \
  python3 bench/train_step.py --steps 5 --warmup 3 > "$R/logs/probe_kineto_cpu.txt" 2>&1
echo "rc=$?" >> "$R/logs/probe_kineto_cpu.txt"
stamp "probe: the program's own torch.profiler under gaplens capture (plain, and with the hook)"
$G capture --framework=none -o "$R/traces/user_profiler_plain.json" -- python3 tests/gpu/torch_profiler_inside.py "$R/traces/user_profiler_plain.torch.json" \
  > "$R/logs/probe_user_profiler_plain.txt" 2>&1; echo "rc=$?" >> "$R/logs/probe_user_profiler_plain.txt"
$G capture -o "$R/traces/user_profiler_hook.json" -- python3 tests/gpu/torch_profiler_inside.py "$R/traces/user_profiler_hook.torch.json" \
  > "$R/logs/probe_user_profiler_hook.txt" 2>&1; echo "rc=$?" >> "$R/logs/probe_user_profiler_hook.txt"
for t in "$R"/traces/*.json "$F"/*.json; do
  echo "== $t" >> "$R/logs/reports.txt"; $G report "$t" --top 8 >> "$R/logs/reports.txt" 2>&1
done
stamp "overhead, first look (3 rounds)"
timeout 330 python3 bench/capture/framework_overhead.py --gaplens $G --model transformer \
  --rounds 3 --steps 40 --log "$R/logs/overhead.log" --out "$R/logs/overhead.md" > "$R/logs/overhead_progress.txt" 2>&1
stamp "done"
for f in "$F"/*.json; do gzip -9 "$f"; done
for f in "$R"/traces/*.json; do gzip -9 "$f"; done
