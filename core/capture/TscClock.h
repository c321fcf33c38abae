#pragma once
// The CPU's time-stamp counter as the clock of recorded ranges (the default where the counter is
// invariant; "cupti-clock" in GAPLENS_CAPTURE_OPTIONS stamps them with CUPTI's timestamp instead).
//
// Why: a range takes two timestamps on the program's thread, and with framework context on there
// are about 2,000 ranges in a training step. CUPTI's timestamp (cuptiGetTimestamp, which is
// clock_gettime(CLOCK_REALTIME) behind two calls) costs 30 ns and touches CUPTI's, libc's and the
// vDSO's memory; reading the counter costs 11 ns and touches none. On a 2-core VM that took a
// recorded range from 144 to 95 ns between other memory traffic (bench/capture/itt_route_cost).
//
// The counter is not CUPTI's clock, so the drain thread reads pairs of (counter, CUPTI time) as
// the capture runs (every drain, and when recording starts and stops), and the recorder maps each
// range's readings to CUPTI's clock through them when it hands the ranges over: piecewise linear
// between pairs, so that the mapping follows CUPTI's clock as NTP slews it. Torch's own profiler
// stamps its CPU ops the same way (the counter, converted afterwards).
#include <cstdint>
#include <utility>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace gaplens::capture {

// Whether the counter can serve as a clock here: x86-64 with an invariant counter (constant_tsc
// and nonstop_tsc in /proc/cpuinfo: the same rate in every power state, on every core).
bool tscIsInvariant();

inline uint64_t readTsc() {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return 0;  // tscIsInvariant() is false: never used
#endif
}

// Maps counter readings to another clock through pairs read together.
class TscToClock {
public:
    // A pair of a counter reading and the clock's reading at the same moment. Pairs come in
    // increasing order of both; one that does not increase both is dropped (a clock stepped back).
    void add(uint64_t tsc, uint64_t clock);
    size_t pairs() const { return pairs_.size(); }
    // Forgets every pair but the last (once the stamps they map are converted): the next stamps
    // still have a pair before them.
    void keepLastPair() {
        if (pairs_.size() > 1) pairs_.erase(pairs_.begin(), pairs_.end() - 1);
    }

    // The clock's time at counter reading `tsc`: between two pairs, on the line through them;
    // before the first or after the last, on the line of the nearest stretch at least
    // kMinExtrapolationSpan long (a short stretch's rate is too uncertain to carry far), else on
    // the line through the first and last pair. 0 with no pair; with one pair, that pair's offset at
    // one tick per nanosecond (a capture too short to have read a second pair).
    uint64_t toClock(uint64_t tsc) const;

    // Clock nanoseconds a stretch between pairs spans, at least, for its rate to be used beyond it.
    static constexpr uint64_t kMinExtrapolationSpan = 1'000'000;

private:
    std::vector<std::pair<uint64_t, uint64_t>> pairs_;  // (tsc, clock)
    static uint64_t onLine(const std::pair<uint64_t, uint64_t>& a, const std::pair<uint64_t, uint64_t>& b,
                           uint64_t tsc);
};

// Counter ticks a pair's two counter readings may span: more is a thread preempted while reading
// it (about 30 us at 3 GHz), and such a pair is not read.
constexpr uint64_t kMaxPairTicks = 100'000;

// Reads a pair now: the counter on both sides of `clock(&t)`, the narrowest of three tries, at
// its midpoint. `clock` returns false when it cannot be read (then no pair: false).
template <typename ReadClock>
bool readTscPair(ReadClock clock, uint64_t* tsc, uint64_t* time) {
    uint64_t narrowest = ~uint64_t(0);
    for (int i = 0; i < 3; ++i) {
        const uint64_t before = readTsc();
        uint64_t t = 0;
        if (!clock(&t)) return false;
        const uint64_t after = readTsc();
        if (after >= before && after - before < narrowest) {
            narrowest = after - before;
            *tsc = before + (after - before) / 2;
            *time = t;
        }
    }
    return narrowest <= kMaxPairTicks;
}

}  // namespace gaplens::capture
