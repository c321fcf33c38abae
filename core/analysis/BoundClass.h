#pragma once
// Analysis 6: the bound verdict of the analysed window (WindowChoice.h: torch.profiler's steps, a
// repeating range, detected iterations, or the whole trace), its steady part: the instances after
// the warm-up ones (leading instances whose dead window is cold or that take more than twice the
// median and 50 µs more).
//
// Figures, all inside the window (first steady instance's start to the end of the GPU work its
// iterations launched, or of the host's last iteration, whichever is later):
// - GPU busy % = busy time / window length. Time while the GPU runs work launched before the
//   recording (before the device's first GPU op, when that op has no launch record) is unknown,
//   not idle: it is left out of both (`unknownNs`).
// - Engines: kernel busy (compute) and copy/memset busy (copy) apart, and the time the copy
//   engines ran while no kernel did (GpuBusy.h).
// - CPU time (CpuTime.h): busy time of the threads that launched the window's GPU work, minus
//   their time blocked in syncs, over the host part of the window (first steady instance's start
//   to the last one's end). GPU time / CPU time = GPU busy time / CPU time.
// Verdict: `copy-bound` when the copy engines are busy > 50% of the window and kernels < 50%;
// else by GPU busy: < 50% `overhead-bound`, > 90% `compute-bound`, otherwise `mixed`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/DeadWindows.h"
#include "core/analysis/GpuBusy.h"
#include "core/analysis/WindowChoice.h"
#include "core/model/Trace.h"

namespace gaplens {

enum class BoundClass : uint8_t { Unknown, OverheadBound, Mixed, ComputeBound, CopyBound };
// "overhead-bound", "mixed", "compute-bound", "copy-bound", "unknown"
std::string_view boundClassName(BoundClass c);
BoundClass classifyBusy(double busyPct);
// With the engines apart: copy-bound first, then by busy %.
BoundClass classifyEngines(double busyPct, double computeBusyPct, double copyBusyPct);

struct BoundResult {
    std::string window;       // "matmul_add #3..#19 (steady, 3 warm-up left out)", "12 iterations (detected)", "whole trace"
    WindowKind kind = WindowKind::WholeTrace;
    std::string rangeName;    // the range whose instances make the window ("ProfilerStep" for the steps), else empty
    int warmupInstances = 0;  // instances left out as warm-up
    int instances = 0;        // steady instances in the window (0 for the whole trace)
    TimeNs startNs = 0, endNs = 0;
    int device = 0;
    BoundClass cls = BoundClass::Unknown;
    double busyPct = 0;
    double computeBusyPct = 0;  // kernels
    double copyBusyPct = 0;     // memcpy / memset
    double gpuOverCpu = 0;    // GPU busy time / CPU time
    TimeNs unknownNs = 0;     // part of [startNs, endNs) before the device's first GPU op with unrecorded launch
    TimeNs gpuBusyNs = 0;
    TimeNs computeBusyNs = 0;
    TimeNs copyBusyNs = 0;
    TimeNs computeIdleWhileCopyingNs = 0;
    TimeNs cpuNs = 0;         // CPU time (see the top of this file)
    TimeNs blockedNs = 0;     // host time of those threads blocked in syncs, left out of cpuNs
    TimeNs cpuPerIterNs = 0;  // host time per iteration: first steady start to last end / instances (0 for whole trace)
    TimeNs gpuPerIterNs = 0;  // GPU time of the work launched in the iterations / instances
    size_t detectedPeriod = 0;  // detected iterations: launches per iteration
    // The steady iterations, in order: host start and end of each instance (the whole window as
    // one for the whole trace). Comparisons of runs divide by them and take their spread from them.
    std::vector<TimeInterval> iterations;
};

struct HostActivity;
BoundResult classifyBound(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead, const HostActivity& host);
// The same, building the host index itself.
BoundResult classifyBound(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead);

}  // namespace gaplens
