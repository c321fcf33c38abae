// How the compare view pairs the two runs' iterations: plain numbers in, offsets out.
#include <catch2/catch.hpp>

#include "ui/app/IterationAlignment.h"

using namespace gaplens;

TEST_CASE("iteration alignment pairs the iteration under the view's centre with the same one of the other run",
          "[compare][align]") {
    // Before: iterations every 20 from 100; after: every 10 from 1000, one fewer.
    const IterationAlignment a({100, 120, 140, 160}, {1000, 1010, 1020});
    CHECK(a.iterationOfA(99) == 0);  // before the first: the first
    CHECK(a.iterationOfA(100) == 0);
    CHECK(a.iterationOfA(119.9) == 0);
    CHECK(a.iterationOfA(120) == 1);
    CHECK(a.iterationOfA(1e9) == 3);
    // b time = a time + offset: iteration k of a starts where iteration k of b does.
    CHECK(a.offsetAtA(110) == 900);
    CHECK(a.offsetAtA(125) == 1010 - 120);
    CHECK(a.offsetAtA(145) == 1020 - 140);
    // Past b's last iteration, b's last stays paired.
    CHECK(a.offsetAtA(165) == 1020 - 160);
    // From b's side (the after view moved): its iteration k under a's iteration k.
    CHECK(a.offsetAtB(1015) == 1010 - 120);
    CHECK(a.offsetAtB(5) == 1000 - 100);
    // Consistent both ways inside a pair.
    CHECK(a.offsetAtB(1012 + a.offsetAtA(122) - a.offsetAtA(122)) == a.offsetAtA(122));
}

TEST_CASE("iteration alignment of a run with more iterations keeps the shorter run's last one paired",
          "[compare][align]") {
    const IterationAlignment a({0, 50}, {0, 10, 20, 30});
    CHECK(a.offsetAtB(35) == 30 - 50);  // b's 4th under a's last
    CHECK(a.pairedInA(3) == 1);
    CHECK(a.pairedInB(1) == 1);
    const IterationAlignment none;
    CHECK(none.offsetAtA(123) == 0);
    CHECK(none.offsetAtB(123) == 0);
}
