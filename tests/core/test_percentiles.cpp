// Order statistics shared by the analyses: nearest-rank percentiles and the upper median.
#include <catch2/catch.hpp>

#include <vector>

#include "core/analysis/Percentiles.h"

using namespace gaplens;

TEST_CASE("nearest rank: the smallest value with at least p% at or below it", "[percentiles]") {
    // Ten values 1..10: p50 is the 5th, p90 the 9th, p91 rounds up to the 10th.
    std::vector<int> v{7, 3, 10, 1, 9, 2, 8, 5, 4, 6};
    CHECK(percentileOf(v.begin(), v.end(), 50.0) == 5);
    CHECK(percentileOf(v.begin(), v.end(), 90.0) == 9);
    CHECK(percentileOf(v.begin(), v.end(), 91.0) == 10);
    // p0 is clamped to the first rank, p100 to the last.
    CHECK(percentileOf(v.begin(), v.end(), 0.0) == 1);
    CHECK(percentileOf(v.begin(), v.end(), 100.0) == 10);
    CHECK(nearestRank(10, 10.0) == 1);
    CHECK(nearestRank(1, 99.0) == 1);
}

TEST_CASE("percentile of an empty range is value-initialized", "[percentiles]") {
    std::vector<double> empty;
    CHECK(percentileOf(empty.begin(), empty.end(), 50.0) == 0.0);
}

TEST_CASE("upper median: the middle value, or the higher of the two middle ones", "[percentiles]") {
    std::vector<long> odd{30, 10, 20};
    CHECK(upperMedianOf(odd) == 20);
    std::vector<long> even{40, 10, 30, 20};
    CHECK(upperMedianOf(even) == 30);
    std::vector<long> none;
    CHECK(upperMedianOf(none) == 0);
}
