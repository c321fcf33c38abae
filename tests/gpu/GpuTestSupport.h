#pragma once
// Shared by the GPU tests: skip (GAPLENS_SKIP line, which ctest's SKIP_REGULAR_EXPRESSION turns
// into "skipped") when no CUDA device is usable here; find a recorded range by name.
#include <cstdio>
#include <string>
#include <string_view>

#include "core/capture/CaptureData.h"
#include "core/capture/Workloads.h"

namespace gaplens::test {

inline bool gpuAvailable() {
    static const std::string why = capture::checkCudaDevice();
    if (!why.empty()) std::printf("GAPLENS_SKIP: %s\n", why.c_str());
    return why.empty();
}

// The first recorded range of that name, or nullptr.
inline const capture::RangeRecord* rangeNamed(const capture::CaptureData& data, std::string_view name) {
    for (const capture::RangeRecord& r : data.ranges)
        if (data.strings.str(r.name) == name) return &r;
    return nullptr;
}

}  // namespace gaplens::test

#define GAPLENS_REQUIRE_GPU()                   \
    do {                                        \
        if (!gaplens::test::gpuAvailable()) return; \
    } while (0)
