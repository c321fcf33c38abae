// The sweep table: ordering by size and the crossover from overhead- to compute-bound.
#include <catch2/catch.hpp>

#include "core/analysis/Sweep.h"

using namespace gaplens;

namespace {
SweepRow row(int64_t size, BoundClass cls) {
    SweepRow r;
    r.label = "run" + std::to_string(size);
    r.size = size;
    r.cls = cls;
    return r;
}
}  // namespace

TEST_CASE("sweep sorts by size and finds the crossover", "[sweep]") {
    const Sweep s = computeSweep({row(8192, BoundClass::ComputeBound), row(64, BoundClass::OverheadBound),
                                  row(1024, BoundClass::OverheadBound), row(4096, BoundClass::Mixed),
                                  row(16384, BoundClass::ComputeBound)});
    REQUIRE(s.rows.size() == 5);
    CHECK(s.rows[0].size == 64);
    CHECK(s.rows[4].size == 16384);
    REQUIRE(s.crossoverSize);
    CHECK(*s.crossoverSize == 8192);
    CHECK(s.crossoverText == "crossover between 4096 (mixed) and 8192 (compute-bound)");
}

TEST_CASE("no crossover when every size is on one side", "[sweep]") {
    const Sweep s = computeSweep({row(64, BoundClass::OverheadBound), row(128, BoundClass::OverheadBound)});
    CHECK_FALSE(s.crossoverSize);
    CHECK(s.crossoverText == "no crossover: no size is compute-bound");
    const Sweep c = computeSweep({row(8192, BoundClass::ComputeBound)});
    CHECK_FALSE(c.crossoverSize);
    CHECK(c.crossoverText == "no crossover: every size is compute-bound");
}

TEST_CASE("TFLOP/s of an NxN matmul", "[sweep]") {
    // 2 * 8192^3 flops in 1461 us (DESIGN.md's H100 figure) is ~752 TFLOP/s.
    CHECK(matmulTflops(8192, 1461.0) == Approx(752.6).margin(0.1));
    CHECK(matmulTflops(0, 10.0) == 0.0);
}
