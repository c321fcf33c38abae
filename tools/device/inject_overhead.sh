#!/usr/bin/env bash
# Where the injection's cost on a PyTorch training step comes from: bench/train_step.py bare and under
# `gaplens capture --` with GAPLENS_CAPTURE_OPTIONS variants (off = library loaded, collector not started).
#   carry: .deps          usage: bash tools/device/inject_overhead.sh
set -u
source "$(dirname "$0")/device_build.sh"
rm -f /tmp/build.log
device_build /tmp/build.log gaplens gaplens_inject || { tail -20 /tmp/build.log; exit 1; }
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
