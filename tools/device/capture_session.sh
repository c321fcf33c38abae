#!/usr/bin/env bash
# The whole GPU-machine session of the capture engine, in one go (the device tool's `run`):
# build, GPU tests, capture benchmarks, fixture and demo captures; logs and traces under $OUT,
# packed as $OUT/capture_results.tar.gz; a short table at the end.
#   carry: .deps (bash ../shared/device-deps.sh .deps)      usage: bash tools/device/capture_session.sh [quick]
set -u
OUT=${OUT:-/tmp/gaplens_out}
R=$OUT/r
mkdir -p "$R/logs" "$R/traces" "$R/runs"
export LD_LIBRARY_PATH=$PWD/.deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
export PYTHONUNBUFFERED=1
T0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

nvidia-smi -L > "$R/logs/gpu.txt" 2>&1; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader >> "$R/logs/gpu.txt" 2>&1
python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)' >> "$R/logs/gpu.txt" 2>&1
stamp "configure + build"
{ cmake -S . -B build-dev -G Ninja -DGAPLENS_UI=OFF -DCMAKE_PREFIX_PATH=$PWD/.deps/usr -DCMAKE_CUDA_ARCHITECTURES=90 \
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS=-include cstdint" && \
  cmake --build build-dev -j16 --target gaplens gaplens_inject gaplens_gpu_tests gaplens_gpu_test_child capture_overhead; } \
  > "$R/logs/build.log" 2>&1
BUILD_RC=$?
stamp "build rc=$BUILD_RC"
if [ $BUILD_RC -ne 0 ]; then grep -E "error|FAILED" "$R/logs/build.log" | head -30; fi
G=build-dev/app/gaplens/gaplens

stamp "gpu tests"
ctest --test-dir build-dev -L gpu --output-on-failure -j1 --timeout 120 > "$R/logs/ctest.log" 2>&1
CTEST_LINE=$(grep -E "tests passed|tests failed" "$R/logs/ctest.log" | tail -1)
stamp "$CTEST_LINE"

stamp "capture overhead bench (matmul_add 64)"
build-dev/bench/capture/capture_overhead --size 64 --iters 3000 --reps 7 > "$R/logs/bench_capture_overhead.txt" 2>&1

stamp "reference command (sizes 64,1024,8192, schedule 1,2,5,1) and variants"
$G capture --workload matmul_add --sizes 64,1024,8192 --dtype bf16 --iters 20 --schedule 1,2,5,1 -o "$R/runs/" > "$R/logs/capture_cli.txt" 2>&1
echo "rc=$?" >> "$R/logs/capture_cli.txt"
$G capture --workload matmul_add_batched --sizes 64 --iters 20 --batch 8 -o "$R/runs/" >> "$R/logs/capture_cli.txt" 2>&1
echo "rc=$?" >> "$R/logs/capture_cli.txt"
$G capture --workload matmul_add_graph --sizes 64 --iters 20 -o "$R/runs/" >> "$R/logs/capture_cli.txt" 2>&1
echo "rc=$?" >> "$R/logs/capture_cli.txt"

stamp "fixtures"
$G capture --workload matmul_add --sizes 64 --iters 20 -o "$R/traces/capture_matmul_add_64.json" >> "$R/logs/capture_cli.txt" 2>&1
$G capture --workload matmul_add --sizes 8192 --iters 10 -o "$R/traces/capture_matmul_add_8192.json" >> "$R/logs/capture_cli.txt" 2>&1
$G capture --workload matmul_add_graph --sizes 64 --iters 20 -o "$R/traces/capture_matmul_add_graph_64.json" >> "$R/logs/capture_cli.txt" 2>&1
$G capture -o "$R/traces/capture_child_segv.json" -- build-dev/tests/gpu/gaplens_gpu_test_child segv 4 >> "$R/logs/capture_cli.txt" 2>&1
echo "child segv rc=$?" >> "$R/logs/capture_cli.txt"
$G capture -o "$R/traces/capture_torch_nvtx.json" -- python3 tests/gpu/nvtx_torch.py >> "$R/logs/capture_cli.txt" 2>&1
echo "torch nvtx rc=$?" >> "$R/logs/capture_cli.txt"
$G capture -o "$R/traces/demo.json.gz" -- python3 bench/train_step.py --steps 6 --warmup 0 >> "$R/logs/capture_cli.txt" 2>&1
echo "demo rc=$?" >> "$R/logs/capture_cli.txt"

stamp "train step: bare vs captured through injection (interleaved)"
for rep in 1 2 3; do
  python3 bench/train_step.py --steps 40 >> "$R/logs/bench_train_step.txt" 2>&1
  $G capture -o /tmp/train_step_capture.json.gz -- python3 bench/train_step.py --steps 40 2>&1 \
    | sed 's/mode=bare/mode=gaplens_inject/' >> "$R/logs/bench_train_step.txt"
done
stamp "pytorch 64 loop: bare, torch.profiler, and under injection with each collector option"
python3 bench/torch_loop_overhead.py --modes bare,torch_profiler --reps 3 >> "$R/logs/bench_torch_loop.txt" 2>&1
for opts in "" all-apis no-latency; do
  GAPLENS_CAPTURE_OPTIONS=$opts $G capture -o /tmp/torch_loop_capture.json.gz -- python3 bench/torch_loop_overhead.py --modes bare --reps 3 2>&1 \
    | grep us_per_iter | sed "s/mode=bare/mode=gaplens_inject[$opts]/" >> "$R/logs/bench_torch_loop.txt"
  python3 bench/torch_loop_overhead.py --modes bare --reps 3 2>&1 | grep us_per_iter >> "$R/logs/bench_torch_loop.txt"
done
ls -la /tmp/train_step_capture.json.gz /tmp/torch_loop_capture.json.gz >> "$R/logs/bench_train_step.txt" 2>&1

ls -la "$R/traces" "$R/runs" > "$R/logs/files.txt"
tar -C "$OUT" -czf "$OUT/capture_results.tar.gz" r && rm -rf "$R"

echo
echo "================ capture session summary ================"
echo "GPU:      $(tar -xzOf "$OUT/capture_results.tar.gz" r/logs/gpu.txt | head -1)"
echo "build:    rc=$BUILD_RC"
echo "ctest:    $CTEST_LINE"
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/bench_capture_overhead.txt | sed 's/^/bench:    /'
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/bench_train_step.txt | grep ms_per_step | sed 's/^/train:    /'
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/bench_torch_loop.txt | grep us_per_iter | sed 's/^/torch64:  /'
tar -xzOf "$OUT/capture_results.tar.gz" r/logs/capture_cli.txt | grep -E ": busy|rc=|error|gaplens capture:" | sed 's/^/capture:  /'
stamp "done"
