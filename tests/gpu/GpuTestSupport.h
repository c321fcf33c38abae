#pragma once
// Shared by the GPU tests: skip (GAPLENS_SKIP line, which ctest's SKIP_REGULAR_EXPRESSION turns
// into "skipped") when no CUDA device is usable here.
#include <cstdio>
#include <string>

#include "core/capture/Workloads.h"

namespace gaplens::test {

inline bool gpuAvailable() {
    static const std::string why = capture::checkCudaDevice();
    if (!why.empty()) std::printf("GAPLENS_SKIP: %s\n", why.c_str());
    return why.empty();
}

}  // namespace gaplens::test

#define GAPLENS_REQUIRE_GPU()                   \
    do {                                        \
        if (!gaplens::test::gpuAvailable()) return; \
    } while (0)
