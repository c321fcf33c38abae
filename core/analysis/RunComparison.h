#pragma once
// Analysis 9: what changed between two runs of a program, per iteration (DESIGN.md "Compare two
// runs"). a = before, b = after.
//
// Window. Each run is reduced to its steady window, the one the bound classification chose
// (Report::bound), and divided by its number of steady iterations (BoundResult::iterations), so
// runs with different step counts, warm-up or schedules compare: a run of 5 steps against one of
// 50 compares per step. A trace without iterations (whole-trace window) counts as one iteration.
//
// Periods. The iterations, sorted by start, cut the window into host periods: iteration i's
// period runs from its start to the next one's, the last one's to the end of the last iteration on
// the host. The periods tile the host time of the window, so an iteration also owns what the loop
// did between two ranges (a data loader, an optimizer step outside the range). Host events count
// in the period of their start; GPU work in the period of the call that launched it (what that
// host time caused, even when the GPU runs it later). GPU periods follow the GPU: from the start
// of the first work an iteration launched to the next iteration's; in a compute-bound loop whose
// host runs ahead they are where the GPU really spent each iteration.
//
// Figures per iteration:
//   iteration time  the pace of the loop: the slower of the host (window's host span / iterations;
//                   its periods include any wait for the GPU) and the GPU (from the first work the
//                   window launched starting to the last one ending / iterations). Not the window
//                   / iterations: a window often opens while the GPU still runs work launched in
//                   warm-up steps (2.25 ms instead of 1.48 ms per step at 8192 in tests/data/sweep);
//   host time       the window's host span (first iteration start -> last iteration end) /
//                   iterations (the report's "/iter host");
//   GPU time        GPU work (kernels, copies, memsets) on the window's device launched in the
//                   window, summed / iterations (the report's "/iter GPU");
//   GPU busy %      the union of GPU work on the window's device / the window (the report's);
//   idle per cause  the gaps of the window's device clipped to the window, per cause / iterations;
//   launches        API calls in the window that launched work on the device / iterations (a CUDA
//                   graph launch is one launch, its kernels are kernels);
//   kernels         kernels launched in the window / iterations;
//   launch p50      median of launch call start -> GPU start over the work launched in the window;
//   dead window p50 median dead window of the window's range instances (not cold) in the window.
// Ops and kernels: the ops table of the window (computeOpsTableIn), rows matched by name and side
// (host or GPU): calls, self CPU and self GPU, each / iterations.
//
// Noise. A run repeats the same iteration, yet its iterations differ; a delta smaller than that
// spread cannot be told from chance. The spread of a figure in one run is p90 - p10 of its values
// per iteration: host figures and op rows per host period, busy and idle per GPU period, the
// iteration time per period of the side that sets the pace; for launch p50 and dead window
// p50, p90 - p10 of the latencies and dead windows themselves. A delta is a change when
// |b - a| > the larger of the two runs' spreads; else "no change". Op rows judge their time (self
// CPU + self GPU) per iteration. The last period, which no next iteration ends, is left out of the
// spread when there are three or more; a window of more than 1000 iterations takes 1000 evenly
// spaced ones (the means always come from all).
//
// Rows are ordered by the size of the change in time per iteration (|delta self CPU + self GPU|);
// a row only one run has is `new` (only in b) or `gone` (only in a).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/BoundClass.h"
#include "core/analysis/GapCauses.h"
#include "core/model/Trace.h"

namespace gaplens {

struct Report;

// The figures per iteration, in the order reports show them.
enum class FigureId : uint8_t {
    IterTime,
    HostTime,
    GpuTime,
    BusyPct,
    IdleQueuedLaunch,  // idle per cause, in GapCause order
    IdleSetup,
    IdleSync,
    IdleHostOverhead,
    IdleHostIdle,
    Launches,
    Kernels,
    LaunchP50,
    DeadWindowP50,
};
inline constexpr size_t kFigureCount = 13;
enum class FigureUnit : uint8_t { Time, Percent, Count };

std::string_view figureLabel(FigureId id);  // "iteration time", "idle: host-overhead", ...
std::string_view figureKey(FigureId id);    // "iter_us", "idle_us:host-overhead", ... (JSON, tests)
FigureUnit figureUnit(FigureId id);
FigureId idleFigure(GapCause cause);
// Whether a fall of this figure is an improvement (times, idle, launches); busy % rises to improve.
bool lowerIsBetter(FigureId id);

struct FigureDelta {
    FigureId id = FigureId::IterTime;
    double a = 0, b = 0;      // per iteration: ns for times, % for busy, a count for counts
    bool aKnown = true, bKnown = true;  // false: the run has none (no range instances, no launches)
    double noise = 0;         // the larger of the two runs' p10-p90 spreads, same unit
    double delta() const { return b - a; }
    // +1 rose beyond noise, -1 fell beyond noise, 0 no change (or unknown on a side).
    int direction() const;
    bool changed() const { return direction() != 0; }
};

enum class RowChange : uint8_t { Same, Faster, Slower, New, Gone };
std::string_view rowChangeName(RowChange change);  // "same", "faster", "slower", "new", "gone"

struct OpDelta {
    std::string name;
    EventKind kind = EventKind::CpuOp;
    bool onGpu = false;
    double aCalls = 0, bCalls = 0;          // per iteration
    double aSelfCpuNs = 0, bSelfCpuNs = 0;  // per iteration
    double aSelfGpuNs = 0, bSelfGpuNs = 0;  // per iteration
    double noiseNs = 0;                     // spread of self CPU + self GPU per iteration
    RowChange change = RowChange::Same;
    double aTimeNs() const { return aSelfCpuNs + aSelfGpuNs; }
    double bTimeNs() const { return bSelfCpuNs + bSelfGpuNs; }
    double timeDeltaNs() const { return bTimeNs() - aTimeNs(); }
};

// One run as the comparison reads it.
struct ComparedRun {
    std::string path;
    std::string window;      // the bound window's name
    std::string rangeName;   // the range whose instances are the iterations, empty when none
    int iterations = 0;      // steady iterations (1 for a whole-trace window)
    bool wholeTrace = false; // no iterations: the whole trace is one
    int device = 0;
    TimeNs windowStartNs = 0, windowEndNs = 0;  // first iteration start -> GPU done
    TimeNs hostEndNs = 0;                       // end of the last iteration on the host
    BoundClass cls = BoundClass::Unknown;
    std::vector<TimeInterval> iterationSpans;   // host start/end of each iteration, by start
};

struct RunComparison {
    ComparedRun a, b;
    std::array<FigureDelta, kFigureCount> figures{};
    std::vector<OpDelta> ops;  // every row of either run, largest change in time per iteration first
    std::string summary;       // in words: the largest changes and what explains them, or "no change"

    const FigureDelta& figure(FigureId id) const { return figures[size_t(id)]; }
    double iterRatio() const;  // b's iteration time / a's (0 when a's is 0)
    // Something changed beyond noise: a figure, or an op row (faster, slower, new, gone).
    bool anyChange() const;
};

// Compares run b (after) with run a (before), each given as its trace and the report built from it.
RunComparison compareRuns(const Trace& traceA, const Report& reportA, const Trace& traceB, const Report& reportB);

}  // namespace gaplens
