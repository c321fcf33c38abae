#pragma once
// Which part of a trace the verdict is about (DESIGN "Window choice"), in this order:
//   1. torch.profiler's steps (`ProfilerStep#N` ranges, one per prof.step(), which enclose the
//      whole step when a schedule is used);
//   2. the outermost user range that repeats at least 3 times and whose instances enclose (by
//      launch time, on any thread) at least half of the GPU work launched between its first and
//      last instance: a range around the step, not one around a small part of it (torch's
//      `Optimizer.step#AdamW.step` encloses a few percent of a training step's GPU time);
//   3. iterations detected from the sequence of launches (IterationDetection.h);
//   4. the whole trace.
// GPU work is weighed by its GPU time (LaunchedWork.h). Among ranges that qualify, one that lies
// inside another (90% of its time) is not the outermost; of the outermost, the one enclosing the
// most GPU time wins. Ranges are examined from the widest, at most 32 of them (a trace with a range
// around every op has thousands of names; the step is among the widest). The warm-up instances
// are left out later, by the bound classification, which also reads `cold`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/DeadWindows.h"
#include "core/analysis/GpuBusy.h"
#include "core/model/Trace.h"

namespace gaplens {

enum class WindowKind : uint8_t { WholeTrace, ProfilerSteps, Range, Detected };
std::string_view windowKindName(WindowKind kind);  // "whole-trace", "profiler-steps", "range", "detected"

struct WindowChoice {
    WindowKind kind = WindowKind::WholeTrace;
    std::string rangeName;                  // the range ("ProfilerStep" for the steps); empty otherwise
    int device = 0;
    std::vector<TimeInterval> instances;    // host start and end of every instance / iteration, in order
    std::vector<uint8_t> cold;              // per instance: its dead window is cold (ranges only)
    std::vector<std::string_view> stepNames;  // ProfilerSteps: each instance's name ("ProfilerStep#3"): views into the DeadWindows' names
    size_t detectedPeriod = 0;              // detected: launches per iteration
    size_t oneTimeLaunches = 0;             // detected: launches before the first iteration
};

// "ProfilerStep#12" and the like.
bool isProfilerStepName(std::string_view name);
// The name of the family a range instance belongs to: "ProfilerStep" for ProfilerStep#N, else the name.
std::string_view rangeFamilyOf(std::string_view name);

WindowChoice chooseWindow(const Trace& trace, const GpuBusy& busy, const DeadWindows& dead);

}  // namespace gaplens
