#include <catch2/catch.hpp>

#include "ui/timeline/TimeMapping.h"

using gaplens::TimeMapping;

TEST_CASE("TimeMapping maps time to pixels and back") {
    const TimeMapping m(1000, 3000, 200);  // 10 ns per pixel
    CHECK(m.nsPerPx() == 10.0);
    CHECK(m.x(1000) == 0.0);
    CHECK(m.x(2500) == 150.0);
    CHECK(m.time(50) == 1500.0);
    CHECK(m.x(m.time(123.5)) == Approx(123.5));
}

TEST_CASE("TimeMapping zooms around an anchor pixel and pans by pixels") {
    const TimeMapping m(0, 1000, 100);
    const TimeMapping in = m.zoomedAt(2.0, 25);  // the time under x=25 (250 ns) stays at x=25
    CHECK(in.spanNs() == 500.0);
    CHECK(in.time(25) == Approx(250.0));
    CHECK(in.startNs() == Approx(125.0));
    const TimeMapping out = in.zoomedAt(0.5, 25);
    CHECK(out.startNs() == Approx(0.0));
    CHECK(out.endNs() == Approx(1000.0));
    const TimeMapping panned = m.pannedPx(10);  // 10 px = 100 ns later
    CHECK(panned.startNs() == 100.0);
    CHECK(panned.endNs() == 1100.0);
}

TEST_CASE("TimeMapping clamps the span to the data and a minimum") {
    const TimeMapping huge(-1e9, 1e9, 100);
    const TimeMapping c = huge.clampedTo(0, 1000, 10);
    CHECK(c.spanNs() == Approx(1100.0));  // at most the data span plus 10%
    CHECK((c.startNs() + c.endNs()) / 2 == Approx(0.0).margin(1e-6));  // the centre is kept when it is inside
    const TimeMapping tiny(500, 500.5, 100);
    CHECK(tiny.clampedTo(0, 1000, 10).spanNs() == Approx(10.0));
    const TimeMapping far(1e6, 1e6 + 100, 100);  // far right of the data: pulled back next to it
    const TimeMapping back = far.clampedTo(0, 1000, 10);
    CHECK(back.spanNs() == Approx(100.0));
    CHECK((back.startNs() + back.endNs()) / 2 == Approx(1050.0));  // 5% margin past the end at most
}
