// The time-stamp counter as the clock of recorded ranges (core/capture/TscClock.h): the mapping to
// CUPTI's clock through pairs, and ranges recorded with counter stamps landing in CUPTI's clock.
// Needs no GPU: CUPTI's timestamp is the host clock.
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "core/capture/CuptiCollector.h"
#include "core/capture/NvtxRecorder.h"
#include "core/capture/TscClock.h"
#include "tests/gpu/GpuTestSupport.h"

using namespace gaplens::capture;

TEST_CASE("counter to clock: on the line between the two pairs around a reading, each stretch its own rate",
          "[gpu][capture][tsc]") {
    TscToClock map;
    CHECK(map.toClock(123) == 0);  // no pair: nothing to map with
    map.add(1000, 5000);
    CHECK(map.toClock(1500) == 5500);  // one pair: its offset, one tick per nanosecond
    map.add(3000, 6000);               // 2 ticks per ns
    map.add(5000, 8000);               // 1 tick per ns
    CHECK(map.pairs() == 3);
    CHECK(map.toClock(1000) == 5000);
    CHECK(map.toClock(2000) == 5500);
    CHECK(map.toClock(3000) == 6000);
    CHECK(map.toClock(4000) == 7000);
    CHECK(map.toClock(5000) == 8000);
    // A pair that does not move both forward (a clock stepped back, a counter read late) is dropped.
    map.add(6000, 7999);
    map.add(5000, 9000);
    CHECK(map.pairs() == 3);
}

TEST_CASE("counter to clock: beyond the pairs, the rate of a stretch long enough to trust", "[gpu][capture][tsc]") {
    // 3 ticks per ns over 3 ms, with a stretch of 100 ticks at each end whose pairs were read 90 and
    // 27 ns apart (0.9 ns per tick: the noise of reading a pair, which carried far is far off).
    const uint64_t ms = 1'000'000;
    TscToClock map;
    map.add(3 * ms, 10 * ms);
    map.add(3 * ms + 100, 10 * ms + 90);
    map.add(12 * ms, 13 * ms);
    map.add(12 * ms + 30, 13 * ms + 27);
    // Before: the first stretch of 1 ms or more from the first pair; after: the last one up to the
    // last pair. Within 100 ns of the 3-ticks-per-ns line; the short stretches' rate is 340 us off.
    CHECK(map.toClock(3 * ms - 600'000) == Approx(double(10 * ms - 200'000)).margin(100));
    CHECK(map.toClock(12 * ms + 600'000) == Approx(double(13 * ms + 200'000)).margin(100));
    // Only short stretches: the line through the first and the last pair.
    TscToClock brief;
    brief.add(1000, 2000);
    brief.add(1100, 2090);
    brief.add(3000, 3000);
    CHECK(brief.toClock(5000) == 4000);
    // Once converted, all but the last pair are forgotten: the next stamps still have one before them.
    map.keepLastPair();
    CHECK(map.pairs() == 1);
    CHECK(map.toClock(12 * ms + 30) == 13 * ms + 27);
}

TEST_CASE("counter to clock: a day of a 3 GHz counter in nanoseconds since 1970 without overflow",
          "[gpu][capture][tsc]") {
    const uint64_t epochNs = 1'796'000'000'000'000'000ull;  // December 2026
    const uint64_t tsc0 = 259'200'000'000'000ull;            // a day of uptime at 3 GHz
    TscToClock map;
    map.add(tsc0, epochNs);
    map.add(tsc0 + 30'000'000'000ull, epochNs + 10'000'000'000ull);  // 10 s later
    CHECK(map.toClock(tsc0 + 15'000'000'000ull) == epochNs + 5'000'000'000ull);
    CHECK(map.toClock(tsc0 + 60'000'000'000ull) == epochNs + 20'000'000'000ull);
}

TEST_CASE("ranges stamped with the counter land in CUPTI's clock, nested and as long as they lasted",
          "[gpu][capture][tsc]") {
    if (!tscIsInvariant()) {
        std::printf("GAPLENS_SKIP: this CPU's time-stamp counter is not invariant\n");
        return;
    }
    NvtxRecorder& recorder = NvtxRecorder::instance();
    recorder.setTscStamps(true);
    recorder.setEnabled(true);
    const uint64_t before = CuptiCollector::now();
    recorder.push("outer");
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // past a drain, which reads a pair
    recorder.push("inner");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    recorder.pop();
    recorder.pop();
    const uint64_t after = CuptiCollector::now();
    gaplens::capture::CaptureData data;
    recorder.take(data, after);
    recorder.setEnabled(false);
    recorder.setTscStamps(false);

    REQUIRE(data.ranges.size() == 2);
    const RangeRecord* outer = gaplens::test::rangeNamed(data, "outer");
    const RangeRecord* inner = gaplens::test::rangeNamed(data, "inner");
    REQUIRE(outer);
    REQUIRE(inner);
    // Within what a pair's reading may span (a CUPTI timestamp, tens of ns; a pair spanning more than
    // kMaxPairTicks, a thread preempted while reading it, is dropped) of the clock read
    // around them. Raw counter readings would be off by decades.
    const uint64_t slack = 50'000;
    CHECK(outer->start + slack >= before);
    CHECK(outer->end <= after + slack);
    CHECK(outer->start <= inner->start);
    CHECK(inner->end <= outer->end);
    CHECK(inner->end - inner->start >= 5'000'000 - slack);
    CHECK(outer->end - outer->start >= 35'000'000 - slack);
    CHECK(outer->end - outer->start <= after - before + slack);
}
