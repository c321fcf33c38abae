#pragma once
// The summary in words of a comparison of two runs (analysis 9): the headline (iteration time
// before -> after, GPU busy, bound class), then the largest changes with what explains them, as
// rules over the comparison's figures and rows:
//   - the idle cause that changed most, explained by the figure that drives it: host-overhead idle
//     by the launches per iteration (or the host time), queued-launch idle by the GPU time, sync
//     idle by the blocking calls that changed, setup by one-time work, host-idle by unrecorded time;
//   - the GPU time per iteration and the kernel that changed most;
//   - the op and kernel rows that changed most (new and gone named as such);
//   - launch p50 and dead window p50 when they moved.
// Only changes beyond noise are named. When nothing changed beyond noise it says so plainly.
#include <string>

#include "core/analysis/RunComparison.h"

namespace gaplens {

std::string summarizeComparison(const RunComparison& comparison);

// A figure's value as the summary and the tables print it: "17.9 µs", "7.0%", "960", "2.5".
std::string formatFigureValue(FigureId id, double value);

}  // namespace gaplens
