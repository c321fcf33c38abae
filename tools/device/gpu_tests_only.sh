#!/usr/bin/env bash
# Build and run the GPU tests whose name matches $1 (a ctest -R pattern), on the GPU machine.
#   carry: .deps (bash ../shared/device-deps.sh .deps)      usage: bash tools/device/gpu_tests_only.sh 'pattern'
set -u
source "$(dirname "$0")/device_build.sh"
rm -f /tmp/build.log
device_build /tmp/build.log gaplens gaplens_inject gaplens_gpu_tests gaplens_gpu_test_child -- -DGAPLENS_BENCH=OFF ||
  { grep -E "error|FAILED" /tmp/build.log | head -20; exit 1; }
ctest --test-dir build-dev -L gpu -R "$1" --output-on-failure -j4 --timeout 200
