#!/usr/bin/env bash
# Build and run the GPU tests whose name matches $1 (a ctest -R pattern), on the GPU machine.
#   carry: .deps (bash ../shared/device-deps.sh .deps)      usage: bash tools/device/gpu_tests_only.sh 'pattern'
set -u
export LD_LIBRARY_PATH=$PWD/.deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
cmake -S . -B build-dev -G Ninja -DGAPLENS_UI=OFF -DGAPLENS_BENCH=OFF -DCMAKE_PREFIX_PATH=$PWD/.deps/usr \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DCMAKE_BUILD_TYPE=Release > /tmp/build.log 2>&1 &&
  cmake --build build-dev -j16 --target gaplens gaplens_inject gaplens_gpu_tests gaplens_gpu_test_child >> /tmp/build.log 2>&1 ||
  { grep -E "error|FAILED" /tmp/build.log | head -20; exit 1; }
ctest --test-dir build-dev -L gpu -R "$1" --output-on-failure -j4 --timeout 200
