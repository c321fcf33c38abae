#pragma once
// Steps without ranges: the iterations of a loop found from the trace itself (DESIGN "Steps
// without ranges"). The iteration is the shortest period of the sequence of launched GPU work
// names (in launch order, over all threads; a CUDA graph launch counts as one item) that repeats
// at least 3 times through to the end of the trace, allowing a few differing names per period
// (period / 8 names: an extra kernel now and then does not break it, and a period of fewer than 8
// items must repeat exactly). One-time work before the first repeat (compilation, module loading,
// a warm-up pass with other kernels) is left out; so is trailing work after the last full period,
// up to one period or a tenth of what the loop covers. The loop must run to the end of the trace:
// torch.compile repeats kernels while it autotunes, before the loop, and that is not the iteration.
//
// How, in linear time: every name that occurs at least 3 times is an anchor candidate; a name
// that occurs once per iteration has (nearly) constant spacing between its occurrences from some
// point to the end. Each distinct spacing is a candidate period; the shortest one whose blocks
// (anchor to next anchor) have nearly the same names as their neighbours, and which covers at
// least 90% of what the candidate that covers most covers, wins. A name that occurs in every layer
// of a model is not constant-spaced across the whole step, so layers are not taken for iterations.
// Iterations begin at the item that follows the longest host pause of the period.
#include <cstdint>
#include <span>
#include <vector>

#include "core/analysis/GpuBusy.h"
#include "core/model/Trace.h"

namespace gaplens {

// A periodic run in a sequence of item keys.
struct PeriodicRun {
    size_t period = 0;                // items per period (the anchor's spacing)
    size_t start = 0;                 // first item of the loop (at or before the first period's start)
    std::vector<size_t> blockStarts;  // index of the first item of each full period, ascending
    size_t end = 0;                   // one past the last item of the loop (a period may be cut short)
    bool found() const { return blockStarts.size() >= 3; }
};

// Differing names allowed between two neighbouring periods of `period` items.
size_t allowedDifferences(size_t period);

// The shortest period of `items` (keys < keyCount) that repeats at least 3 times to the end.
PeriodicRun findPeriodicRun(std::span<const uint32_t> items, uint32_t keyCount);

struct DetectedIterations {
    size_t items = 0;          // launches of GPU work in the trace, in launch order
    size_t period = 0;         // launches per iteration
    size_t oneTimeItems = 0;   // launches before the first iteration (left out)
    int device = 0;            // the device most of the iterations' work ran on
    std::vector<TimeInterval> iterations;  // host start and end of each, in order
    bool found() const { return !iterations.empty(); }
};

DetectedIterations detectIterations(const Trace& trace);

}  // namespace gaplens
