#!/usr/bin/env bash
# Where the injection's cost on a PyTorch training step comes from: bench/train_step.py bare and under
# `gaplens capture --` with GAPLENS_CAPTURE_OPTIONS variants (off = library loaded, collector not started).
#   carry: .deps          usage: bash tools/device/inject_overhead.sh
set -u
export LD_LIBRARY_PATH=$PWD/.deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
cmake -S . -B build-dev -G Ninja -DGAPLENS_UI=OFF -DCMAKE_PREFIX_PATH=$PWD/.deps/usr -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DCMAKE_BUILD_TYPE=Release > /tmp/build.log 2>&1 &&
  cmake --build build-dev -j16 --target gaplens gaplens_inject >> /tmp/build.log 2>&1 || { tail -20 /tmp/build.log; exit 1; }
G=build-dev/app/gaplens/gaplens
run() {  # label, options
  GAPLENS_CAPTURE_OPTIONS=$2 $G capture -o /tmp/ts.json.gz -- python3 bench/train_step.py --steps 30 2>&1 \
    | grep ms_per_step | sed "s/mode=bare/mode=inject[$1]/"
}
python3 bench/train_step.py --steps 30 | grep ms_per_step
run off off
run default ""
run no-apis no-apis
run no-latency no-latency
run no-markers-sync-overhead no-markers,no-sync,no-overhead
python3 bench/train_step.py --steps 30 | grep ms_per_step
run default ""
