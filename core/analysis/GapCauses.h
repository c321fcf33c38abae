#pragma once
// Analysis 3: the cause of each idle gap, from what the host did (DESIGN.md "Gap cause").
// Precedence: queued-launch, setup, sync, host-overhead; host-idle when the host did nothing.
// A cause must explain most of its gap: setup needs one-time work over half of it; sync needs the
// host busy in recorded work for at least half of the time from the sync's return to the next
// launch (a 6 s Python start-up after a sync that returned 10 µs into the gap is host-idle, with
// the sync named in the detail); host-overhead needs the host busy for half of the gap before the
// launch.
// Host time inside a gap that no recorded event covers (e.g. ~119 ms in a cold torch aten::mm
// between its last cudaMalloc and its launch) is never dropped: it is counted per gap as
// `unrecordedNs`, explained as setup where CUPTI overhead events (module loading) or one-time
// calls overlap it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/analysis/GpuBusy.h"
#include "core/model/Trace.h"

namespace gaplens {

enum class GapCause : uint8_t { QueuedLaunch, Setup, Sync, HostOverhead, HostIdle };
inline constexpr int kGapCauseCount = 5;
std::string_view gapCauseName(GapCause cause);  // "queued-launch", "setup", ...

struct Gap {
    int device = 0;
    GapCause cause = GapCause::HostIdle;  // next to device: a trace can have millions of gaps
    TimeNs start = 0;
    TimeNs dur = 0;
    EventRef next;               // the GPU op that ends the gap (invalid for a gap at the trace end);
                                 // its launch call, when recorded, is the op's link in the trace
    TimeNs setupNs = 0;          // time inside the gap covered by one-time work (calls, module loading)
    TimeNs syncNs = 0;           // time inside the gap covered by blocking sync/copy calls
    TimeNs unrecordedNs = 0;     // host time before the launch, inside the gap, that no event covers
    TimeNs end() const { return start + dur; }
};
// A trace can have millions of gaps: the text naming what is responsible lives beside them
// (GapAnalysis::detailText), so that the gaps themselves stay under one cache line each.
static_assert(sizeof(Gap) <= 56);

struct CauseTotal {
    int64_t count = 0;
    TimeNs totalNs = 0;
};

struct GapAnalysis {
    std::vector<Gap> gaps;  // every gap (>= 1 ns), longest first; listing applies --min-gap
    std::array<CauseTotal, kGapCauseCount> totals{};  // over all gaps, whatever their length
    TimeNs idleNs = 0;        // sum of all gaps
    TimeNs unrecordedNs = 0;  // sum of Gap::unrecordedNs
    // The text naming the host ops / one-time calls responsible, for the first detailCount()
    // gaps (the longest, listed ones); the rest have none. One buffer for all of them: 100,000
    // small strings would each be an allocation, and fresh heap pages are costly.
    std::string detailText;
    std::vector<std::pair<uint32_t, uint32_t>> detailSpans;  // per detailed gap: offset, length in detailText
    const CauseTotal& total(GapCause c) const { return totals[static_cast<int>(c)]; }
    size_t detailCount() const { return detailSpans.size(); }
    // The detail of gaps[gapIndex]; empty for a gap without one.
    std::string_view detailOf(size_t gapIndex) const;
    // The detail of a gap held in `gaps` (by address); empty for any other.
    std::string_view detailOf(const Gap& gap) const;
};

struct HostActivity;
// Every gap gets a cause and its numbers. Details (the text naming host ops / one-time calls)
// are written for the `maxDetails` longest gaps of at least `detailMinNs` (the listed ones): the
// text is the costly part on a trace of millions of gaps, and readers look at the longest.
GapAnalysis analyzeGaps(const Trace& trace, const GpuBusy& busy, const HostActivity& host, TimeNs detailMinNs = 0,
                        size_t maxDetails = 100'000);

// A kernel name cut to `max` characters for a detail line.
std::string shortKernelName(std::string_view name, size_t max = 60);


}  // namespace gaplens
