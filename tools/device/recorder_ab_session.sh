#!/usr/bin/env bash
# One GPU-machine session comparing two builds' framework-context cost: the source tree it runs in
# and OTHER_DIR, each built in its own folder. Per-op cost (bench/capture/framework_op_cost.py, with
# the null ITT collector as a third process kind and the capture paused as a fourth gaplens mode),
# the tight loop (range_record_cost) and the in-process increments (bench/train_step.py --pair
# framework; PAIRS=0 leaves them out), the two builds in turn; then, with TESTS=1, this tree's GPU
# tests. Logs under $OUT.
# The device call sends the main checkout only: put both trees in a folder that .git/info/exclude
# ignores and carry it, e.g. in the main checkout
#   git -C <this worktree> archive HEAD --prefix=new/ | tar -x -C .ab; git archive main --prefix=old/ | tar -x -C .ab
#   cp -r .deps .ab/new/.deps        (bash ../shared/device-deps.sh .deps)
# then run `cd .ab/new && bash tools/device/recorder_ab_session.sh ../old` with carry: [.ab].
#   usage: [ROUNDS=2] [OP_ROUNDS=2] [PAIRS=1] [TESTS=0] bash tools/device/recorder_ab_session.sh OTHER_DIR
set -u
OTHER=${1:?usage: recorder_ab_session.sh OTHER_DIR}
OUT=${OUT:-/tmp/gaplens_out}
R=$OUT/r
mkdir -p "$R"
source tools/device/device_build.sh
[ -f "$OTHER/CMakeLists.txt" ] || { echo "no source tree at $OTHER"; exit 1; }
targets=(gaplens gaplens_inject range_record_cost)
[ "${TESTS:-0}" = 1 ] && targets+=(gaplens_gpu_tests gaplens_gpu_test_child)
t0=$(date +%s)
DEVICE_BUILD=build-new device_build "$R/build_new.log" "${targets[@]}" itt_null_collector -- -DGAPLENS_BENCH=ON ||
  { echo "build of this tree failed"; tail -30 "$R/build_new.log"; exit 1; }
DEVICE_SRC=$OTHER DEVICE_BUILD=build-old device_build "$R/build_old.log" gaplens gaplens_inject range_record_cost -- -DGAPLENS_BENCH=ON ||
  { echo "build of $OTHER failed"; tail -30 "$R/build_old.log"; exit 1; }
echo "built in $(( $(date +%s) - t0 )) s"
NULL=$(ls build-new/bench/capture/*itt_null_collector*.so)
for round in $(seq 1 "${ROUNDS:-2}"); do
  for which in new old; do
    G=build-$which
    echo "== $which round $round ($(( $(date +%s) - t0 )) s)"
    $G/bench/capture/range_record_cost | grep -E "ITT|NVTX"
    python3 bench/capture/framework_op_cost.py --gaplens $G/app/gaplens/gaplens --null-collector "$NULL" --rounds "${OP_ROUNDS:-2}" \
      --log "$R/op_cost_$which.log" --out "$R/op_cost_${which}_$round.md" | grep -E "^\|"
    [ "${PAIRS:-1}" = 1 ] && $G/app/gaplens/gaplens capture -o /tmp/pair.json.gz -- python3 bench/train_step.py --model transformer,cnn \
      --pair framework --rounds 6 --steps 20 --warmup 5 2>&1 | grep "pair="
  done
done
if [ "${TESTS:-0}" = 1 ]; then
  ctest --test-dir build-new -L gpu --output-on-failure -j8 --timeout 240 > "$R/ctest.log" 2>&1
  grep -E "tests passed|tests failed" "$R/ctest.log"
fi
echo "done in $(( $(date +%s) - t0 )) s"
