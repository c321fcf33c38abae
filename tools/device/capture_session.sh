#!/usr/bin/env bash
# The whole GPU-machine session of the capture engine, in one go (the device tool's `run`):
# build, GPU tests, capture benchmarks, captures of the training step per API setting (and, with
# `fixtures`, the fixture and demo captures); logs and traces under $OUT,
# packed as $OUT/capture_results.tar.gz; a short table at the end.
#   carry: .deps (bash ../shared/device-deps.sh .deps)      usage: bash tools/device/capture_session.sh [fixtures]
set -u
OUT=${OUT:-/tmp/gaplens_out}
R=$OUT/r
mkdir -p "$R/logs" "$R/traces" "$R/runs"
source "$(dirname "$0")/device_build.sh"
T0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

nvidia-smi -L > "$R/logs/gpu.txt" 2>&1; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader >> "$R/logs/gpu.txt" 2>&1
python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)' >> "$R/logs/gpu.txt" 2>&1
stamp "configure + build"
build() {  # extra cmake args
  device_build "$R/logs/build.log" gaplens gaplens_inject gaplens_gpu_tests gaplens_gpu_test_child capture_overhead -- "$@"
}
build
BUILD_RC=$?
if [ $BUILD_RC -ne 0 ]; then  # the GPU machine's newer g++: name what broke, then build around it
  grep -E "error" "$R/logs/build.log" | head -5 > "$R/logs/build_first_errors.txt"
  build "-DCMAKE_CXX_FLAGS=-include cstdint"
  BUILD_RC=$?
fi
stamp "build rc=$BUILD_RC"
if [ $BUILD_RC -ne 0 ]; then grep -E "error|FAILED" "$R/logs/build.log" | head -30; fi
G=build-dev/app/gaplens/gaplens

stamp "gpu tests"
ctest --test-dir build-dev -L gpu --output-on-failure -j1 --timeout 120 > "$R/logs/ctest.log" 2>&1
CTEST_LINE=$(grep -E "tests passed|tests failed" "$R/logs/ctest.log" | tail -1)
stamp "$CTEST_LINE"

stamp "capture overhead bench (matmul_add 64, C++ loop, modes interleaved in one process, paired per rep)"
# Pinned to one core, so the loop's thread does not wander. The device-side record storage is a
# process-wide setting: one process per setting, each with its own bare reference.
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 2"
for opts in "" pinned-buffers device-buffer-mb=64 ""; do
  $PIN build-dev/bench/capture/capture_overhead --size 64 --iters 500 --reps 61 --options "$opts" \
    >> "$R/logs/bench_capture_overhead.txt" 2>&1
done

stamp "reference command (sizes 64,1024,8192, schedule 1,2,5,1)"
$G capture --workload matmul_add --sizes 64,1024,8192 --dtype bf16 --iters 20 --schedule 1,2,5,1 -o "$R/runs/" > "$R/logs/capture_cli.txt" 2>&1
echo "rc=$?" >> "$R/logs/capture_cli.txt"

if [ "${1:-}" = fixtures ]; then
  stamp "fixtures"
  $G capture --workload matmul_add --sizes 64 --iters 20 -o "$R/traces/capture_matmul_add_64.json" >> "$R/logs/capture_cli.txt" 2>&1
  $G capture --workload matmul_add_graph --sizes 64 --iters 20 -o "$R/traces/capture_matmul_add_graph_64.json" >> "$R/logs/capture_cli.txt" 2>&1
  $G capture -o "$R/traces/demo.json.gz" -- python3 bench/train_step.py --steps 6 --warmup 0 >> "$R/logs/capture_cli.txt" 2>&1
  echo "demo rc=$?" >> "$R/logs/capture_cli.txt"
fi
# One small capture of the training step per API setting, to compare what each records.
for opts in "" api-activity; do
  GAPLENS_CAPTURE_OPTIONS=$opts $G capture -o "$R/traces/train_step${opts:+_$opts}.json.gz" -- python3 bench/train_step.py --steps 3 --warmup 2 \
    >> "$R/logs/capture_cli.txt" 2>&1
done

# The training step through injection: paused and captured blocks alternate in one process
# (bench/train_step.py --alternate), per collector setting; then, across processes, bare and
# torch.profiler for reference (process-to-process spread on this machine is large).
stamp "train step: capture paused vs on in one process, per setting"
for setting in default pinned-buffers device-buffer-mb=64 default api-activity; do
  opts=$setting; [ "$setting" = default ] && opts=""
  GAPLENS_CAPTURE_OPTIONS=$opts $G capture -o /tmp/train_step_alt.json.gz -- python3 bench/train_step.py --alternate 16 --steps 20 2>&1 \
    | grep -E "train_step" | sed "s/^/[$setting] /" >> "$R/logs/bench_train_step.txt"
done
stamp "train step: bare and torch.profiler, separate processes"
for rep in 1 2; do
  python3 bench/train_step.py --steps 60 2>&1 | grep ms_per_step >> "$R/logs/bench_train_step.txt"
  python3 bench/train_step.py --steps 60 --torch-profiler 2>&1 | grep ms_per_step >> "$R/logs/bench_train_step.txt"
done
stamp "pytorch 64 loop: bare vs torch.profiler in one process; bare vs gaplens in one process"
python3 bench/torch_loop_overhead.py --modes bare,torch_profiler --reps 7 >> "$R/logs/bench_torch_loop.txt" 2>&1
$G capture -o /tmp/torch_loop_capture.json.gz -- python3 bench/torch_loop_overhead.py --modes bare,gaplens --reps 7 2>&1 \
  | grep us_per_iter >> "$R/logs/bench_torch_loop.txt"

ls -la "$R/traces" "$R/runs" > "$R/logs/files.txt"
tar -C "$OUT" -czf "$OUT/capture_results.tar.gz" r && rm -rf "$R"

echo
echo "================ capture session summary ================"
echo "GPU:      $(tar -xzOf "$OUT/capture_results.tar.gz" r/logs/gpu.txt | head -1)"
echo "build:    rc=$BUILD_RC"
echo "ctest:    $CTEST_LINE"
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/bench_capture_overhead.txt | grep -E "options=|mode=" | sed 's/capture_overhead //; s/^/bench:    /'
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/bench_train_step.txt | sed 's/^/train:    /'
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/bench_torch_loop.txt | grep us_per_iter | sed 's/^/torch64:  /'
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/capture_cli.txt | grep -E ": busy|rc=|error|gaplens capture:" | sed 's/^/capture:  /'
stamp "done"
