#!/usr/bin/env bash
# One GPU-machine session (the device tool's `run`, 600 s at most): build, every GPU test, the demo
# trace re-captured with framework context, and the capture-cost table against the untraced program
# (bench/capture/framework_overhead.py, both models, 5 rounds, stopped early at the deadline).
# Logs and traces under $OUT, packed as $OUT/session.tar.gz.
#   carry: .deps (bash ../shared/device-deps.sh .deps)      usage: bash tools/device/framework_session.sh [LIMIT_S]
set -u
LIMIT=${1:-590}
OUT=${OUT:-/tmp/gaplens_out}
R=$OUT/r
mkdir -p "$R/logs" "$R/traces"
export LD_LIBRARY_PATH=$PWD/.deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
export PYTHONUNBUFFERED=1
T0=$(date +%s)
elapsed() { echo $(( $(date +%s) - T0 )); }
stamp() { echo "[$(elapsed)s] $*" | tee -a "$R/logs/stamps.txt"; }
pack() { tar -czf "$OUT/session.tar.gz" -C "$R" . ; }
trap pack EXIT

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$R/logs/gpu.txt" 2>&1
python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)' >> "$R/logs/gpu.txt" 2>&1
stamp "build"
cmake -S . -B build-dev -G Ninja -DGAPLENS_UI=OFF -DGAPLENS_BENCH=OFF -DCMAKE_PREFIX_PATH=$PWD/.deps/usr \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DCMAKE_BUILD_TYPE=Release > "$R/logs/build.log" 2>&1 &&
  cmake --build build-dev -j16 --target gaplens gaplens_inject gaplens_gpu_tests gaplens_gpu_test_child >> "$R/logs/build.log" 2>&1
BUILD_RC=$?
stamp "build rc=$BUILD_RC"
[ $BUILD_RC -ne 0 ] && { grep -E "error|FAILED" "$R/logs/build.log" | head -30; exit 1; }
G=$PWD/build-dev/app/gaplens/gaplens

stamp "gpu tests"
ctest --test-dir build-dev -L gpu --output-on-failure -j6 --timeout 240 > "$R/logs/ctest.log" 2>&1
stamp "$(grep -E 'tests passed|tests failed' "$R/logs/ctest.log" | tail -1)"
grep -E "\*\*\*Failed|Not Run|Timeout" "$R/logs/ctest.log" | head -20

stamp "demo (framework context)"
$G capture -o "$R/traces/demo.json.gz" -- python3 bench/train_step.py --steps 6 --warmup 0 > "$R/logs/demo.txt" 2>&1
echo "rc=$?" >> "$R/logs/demo.txt"
GAPLENS_NVTX_STATS=1 $G capture -o "$R/traces/cnn_framework.json.gz" -- python3 bench/train_step.py --model cnn --steps 4 --warmup 2 \
  > "$R/logs/cnn_framework.txt" 2>&1; echo "rc=$?" >> "$R/logs/cnn_framework.txt"
$G report "$R/traces/demo.json.gz" --top 15 > "$R/logs/demo_report.txt" 2>&1

REMAIN=$(( LIMIT - $(elapsed) - 10 ))
stamp "capture cost vs untraced (deadline ${REMAIN}s)"
python3 bench/capture/framework_overhead.py --gaplens $G --model transformer,cnn --rounds 5 --steps 40 --warmup 5 \
  --deadline $REMAIN --log "$R/logs/overhead.log" --out "$R/logs/overhead.md" > "$R/logs/overhead_progress.txt" 2>&1
stamp "done"
cat "$R/logs/overhead.md"
