#pragma once
// Analysis 6: bound classification of the steady-state window: GPU busy % and GPU-time/CPU-time.
// Busy < 50% = overhead-bound, > 90% = compute-bound, otherwise mixed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/DeadWindows.h"
#include "core/analysis/GpuBusy.h"
#include "core/model/Trace.h"

namespace gaplens {

enum class BoundClass : uint8_t { Unknown, OverheadBound, Mixed, ComputeBound };
std::string_view boundClassName(BoundClass c);  // "overhead-bound", "mixed", "compute-bound", "unknown"
BoundClass classifyBusy(double busyPct);

struct BoundResult {
    std::string window;       // "matmul_add #3..#19 (steady)" or "whole trace"
    std::string rangeName;    // the range whose instances make the window, empty for whole trace
    int warmupInstances = 0;  // instances left out as warm-up
    int instances = 0;        // steady instances in the window
    TimeNs startNs = 0, endNs = 0;
    int device = 0;
    BoundClass cls = BoundClass::Unknown;
    double busyPct = 0;
    double gpuOverCpu = 0;    // GPU busy time / host time of the window
    TimeNs gpuBusyNs = 0;
    TimeNs cpuNs = 0;         // window length (wall time on the host)
    TimeNs cpuPerIterNs = 0;  // window / instances (0 for whole trace)
    TimeNs gpuPerIterNs = 0;
    // The steady iterations, in order: host start and end of each instance (empty for the whole
    // trace). Comparisons of runs divide by them and take their spread from them.
    std::vector<TimeInterval> iterations;
};

BoundResult classifyBound(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead);

}  // namespace gaplens
