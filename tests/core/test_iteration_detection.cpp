// Detected iterations: the shortest period of the launched names that repeats at least 3 times,
// on plain sequences and on hand-made traces with no ranges.
#include <catch2/catch.hpp>

#include <vector>

#include "core/analysis/IterationDetection.h"
#include "core/model/TraceBuilder.h"

using namespace gaplens;

namespace {

constexpr TimeNs us = 1000;

PeriodicRun runOf(const std::vector<uint32_t>& items) {
    uint32_t keys = 0;
    for (const uint32_t k : items) keys = std::max(keys, k + 1);
    return findPeriodicRun(items, keys);
}

std::vector<uint32_t> repeat(const std::vector<uint32_t>& prefix, const std::vector<uint32_t>& body, int times) {
    std::vector<uint32_t> v = prefix;
    for (int i = 0; i < times; ++i) v.insert(v.end(), body.begin(), body.end());
    return v;
}

}  // namespace

TEST_CASE("a loop after one-time work: the period, where it starts and ends", "[iterations]") {
    // 3 one-time items (module load, compile), then 5 iterations of 4 launches.
    const PeriodicRun r = runOf(repeat({9, 8, 7}, {1, 2, 3, 4}, 5));
    REQUIRE(r.found());
    CHECK(r.period == 4);
    CHECK(r.blockStarts == std::vector<size_t>{3, 7, 11, 15, 19});
    CHECK(r.end == 23);
}

TEST_CASE("layers that repeat inside a step are not the iteration", "[iterations]") {
    // A step: embedding, 3 identical layers of 2 kernels, loss, optimizer; 4 steps.
    const PeriodicRun r = runOf(repeat({}, {10, 1, 2, 1, 2, 1, 2, 11, 12}, 4));
    REQUIRE(r.found());
    CHECK(r.period == 9);
    CHECK(r.blockStarts == std::vector<size_t>{0, 9, 18, 27});
    CHECK(r.end == 36);
}

TEST_CASE("a few differing names per period do not break the iterations", "[iterations]") {
    const std::vector<uint32_t> body{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    CHECK(allowedDifferences(16) == 2);
    SECTION("one name differs in one period") {
        std::vector<uint32_t> v = repeat({}, body, 5);
        v[16 * 2 + 5] = 30;
        const PeriodicRun r = runOf(v);
        REQUIRE(r.found());
        CHECK(r.period == 16);
        CHECK(r.blockStarts.size() == 5);
    }
    SECTION("one period has an extra launch") {
        std::vector<uint32_t> v = repeat({}, body, 5);
        v.insert(v.begin() + 16 * 3 + 7, 31);
        const PeriodicRun r = runOf(v);
        REQUIRE(r.found());
        CHECK(r.period == 16);
        CHECK(r.blockStarts == std::vector<size_t>{0, 16, 32, 48, 65});
        CHECK(r.end == 81);
    }
    SECTION("short periods must repeat exactly: 1 2 1 2 is period 2, not 1") {
        const PeriodicRun r = runOf(repeat({}, {1, 2}, 4));
        REQUIRE(r.found());
        CHECK(r.period == 2);
    }
}

TEST_CASE("nothing that repeats 3 times is no iteration", "[iterations]") {
    CHECK_FALSE(runOf({1, 2, 3, 4, 5, 6, 7}).found());
    CHECK_FALSE(runOf(repeat({5}, {1, 2, 3}, 2)).found());
    CHECK_FALSE(runOf({}).found());
}

TEST_CASE("a trace without ranges: one-time work, then steps, iterations begin after the host pause", "[iterations]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "python"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    int64_t corr = 1;
    // One-time: two kernels of a warm-up pass with other names.
    b.launch(th, s, "init_weights", 0, 10 * us, 20 * us, 50 * us, corr++);
    b.launch(th, s, "autotune", 100 * us, 10 * us, 120 * us, 50 * us, corr++);
    // 4 steps of 1 ms: after 400 us of host work (data loading), three launches 100 us apart.
    for (int step = 0; step < 4; ++step) {
        const TimeNs t0 = 1000 * us + step * 1000 * us;
        int k = 0;
        for (const char* name : {"gemm", "relu", "adam"}) {
            const TimeNs at = t0 + 400 * us + k++ * 100 * us;
            b.launch(th, s, name, at, 10 * us, at + 20 * us, 30 * us, corr++);
        }
    }
    const DetectedIterations d = detectIterations(b.build());
    REQUIRE(d.found());
    CHECK(d.items == 14);
    CHECK(d.period == 3);
    CHECK(d.oneTimeItems == 2);
    CHECK(d.device == 0);
    REQUIRE(d.iterations.size() == 4);
    // Each begins at its first launch, the item after the longest pause; the next one ends it.
    CHECK(d.iterations[0] == TimeInterval{1400 * us, 2400 * us});
    CHECK(d.iterations[2] == TimeInterval{3400 * us, 4400 * us});
    // The last ends with its last launch call.
    CHECK(d.iterations[3] == TimeInterval{4400 * us, 4610 * us});
}

TEST_CASE("a CUDA graph launch counts as one item", "[iterations]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "python"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    int64_t corr = 1;
    for (int step = 0; step < 5; ++step) {
        const TimeNs t0 = step * 100 * us;
        // The input copy, then the graph: one launch call, three kernels linked to it.
        b.launch(th, s, "copy_input", t0, 5 * us, t0 + 10 * us, 5 * us, corr++);
        b.event(th, EventKind::RuntimeApi, "cudaGraphLaunch", t0 + 20 * us, 10 * us, corr);
        for (int k = 0; k < 3; ++k) b.event(s, EventKind::Kernel, "triton_fused", t0 + 30 * us + k * 10 * us, 8 * us, corr);
        ++corr;
    }
    const DetectedIterations d = detectIterations(b.build());
    REQUIRE(d.found());
    CHECK(d.items == 10);
    CHECK(d.period == 2);
    CHECK(d.iterations.size() == 5);
}

TEST_CASE("iterations begin where the most whole steps fit, even when the longest pause is inside the step",
          "[iterations]") {
    // 4 steps of 600 us: fill, a, b, fill, c, d 10 us apart, then 435 us of host work before the
    // optimizer's two launches; the next step follows 95 us later. The first launch's name occurs
    // twice per step, so the period is anchored on `a`, one launch into the step.
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "python"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    int64_t corr = 1;
    for (int step = 0; step < 4; ++step) {
        const TimeNs t0 = step * 600 * us;
        int k = 0;
        for (const char* name : {"fill", "a", "b", "fill", "c", "d"}) {
            const TimeNs at = t0 + 10 * us + k++ * 10 * us;
            b.launch(th, s, name, at, 5 * us, at + 5 * us, 2 * us, corr++);
        }
        b.launch(th, s, "adam1", t0 + 500 * us, 5 * us, t0 + 505 * us, 2 * us, corr++);
        b.launch(th, s, "adam2", t0 + 510 * us, 5 * us, t0 + 515 * us, 2 * us, corr++);
    }
    const DetectedIterations d = detectIterations(b.build());
    REQUIRE(d.found());
    CHECK(d.period == 8);
    CHECK(d.oneTimeItems == 0);
    // Beginning after the longest pause (at adam1) would leave 3 whole steps; at `fill`, 4.
    REQUIRE(d.iterations.size() == 4);
    CHECK(d.iterations[0] == TimeInterval{10 * us, 610 * us});
    CHECK(d.iterations[3] == TimeInterval{1810 * us, 2315 * us});
}
