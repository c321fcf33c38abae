#!/usr/bin/env bash
# The two README commands:
#   bash tools/dev.sh demo   install what is missing (apt), build, open gaplens-ui on the demo trace
#   bash tools/dev.sh test   install what is missing, build, run every test (ctest)
# Also: deps (install only), build (build only).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${GAPLENS_BUILD_DIR:-build}
# Debian 12 packages (Qt Charts needs Qt6OpenGL's CMake files, which apt only recommends). chromium is only for the test of the shared HTML page.
PKGS_BUILD="cmake ninja-build g++ pkg-config ccache qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev nlohmann-json3-dev catch2 libsimdjson-dev zlib1g-dev"
PKGS_TEST="xvfb xauth chromium"

install_missing() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
    # Explicit options so that a reused build folder gets the full build (UI on, capture where CUDA is).
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGAPLENS_UI=ON -DGAPLENS_CUDA=AUTO "$@"
    cmake --build "$BUILD_DIR" -j"$(nproc)"
}

case "${1:-}" in
deps) install_missing $PKGS_BUILD $PKGS_TEST ;;
build) install_missing $PKGS_BUILD; shift; build "$@" ;;
demo)
    install_missing $PKGS_BUILD
    build
    exec "$BUILD_DIR/app/gaplens-ui/gaplens-ui" resources/demo/demo.json.gz
    ;;
test)
    install_missing $PKGS_BUILD $PKGS_TEST
    build
    # GPU tests report "Skipped" (with the reason) on machines without a GPU.
    QT_QPA_PLATFORM=offscreen ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
    ;;
*) echo "usage: tools/dev.sh demo|test|deps|build" >&2; exit 1 ;;
esac
