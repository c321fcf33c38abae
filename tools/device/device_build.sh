# Sourced by the GPU-machine scripts in this folder: the environment that the carried .deps need
# (bash ../shared/device-deps.sh .deps), and the Release build they all make in build-dev.
export LD_LIBRARY_PATH=$PWD/.deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
export PYTHONUNBUFFERED=1

# device_build LOG TARGET... [-- CMAKE_ARG...]: configures build-dev (no UI, sm_90, Release, the
# CMAKE_ARGs after --) and builds the targets; output appended to LOG; the status is the build's.
# DEVICE_SRC and DEVICE_BUILD name another source tree and build folder (A/B sessions).
device_build() {
  local log=$1 targets=() args=()
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do targets+=("$1"); shift; done
  [ $# -gt 0 ] && shift && args=("$@")
  local src=${DEVICE_SRC:-.} build=${DEVICE_BUILD:-build-dev}
  cmake -S "$src" -B "$build" -G Ninja -DGAPLENS_UI=OFF -DCMAKE_PREFIX_PATH="$PWD/.deps/usr" -DCMAKE_CUDA_ARCHITECTURES=90 \
    -DCMAKE_BUILD_TYPE=Release "${args[@]}" >> "$log" 2>&1 &&
    cmake --build "$build" -j16 --target "${targets[@]}" >> "$log" 2>&1
}
