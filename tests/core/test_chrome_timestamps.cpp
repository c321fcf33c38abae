// Chrome trace times (µs text) to exact ns: the digits Kineto writes, the forms other writers use,
// and values the model's int64 ns arithmetic could not hold.
#include <catch2/catch.hpp>

#include "core/io/ChromeTimestamps.h"

using namespace gaplens;
using namespace gaplens::importer;

namespace {
// The ns of `text`, or -1 when it is rejected (none of the accepted inputs below is -1 ns).
TimeNs ns(std::string_view text) {
    TimeNs out = 0;
    return parseMicrosToNs(text, out) ? out : -1;
}
}  // namespace

TEST_CASE("µs with three decimals are exact ns, however many digits", "[import][timestamps]") {
    // A Kineto ts: 16 significant digits, more than a double keeps exactly.
    CHECK(ns("4775499751275.105") == 4775499751275105);
    CHECK(ns("0.001") == 1);
    CHECK(ns("12") == 12000);
    CHECK(ns("12.5") == 12500);
    CHECK(ns("-3.25") == -3250);
    CHECK(ns("\"7.5\"") == 7500);  // quoted by some writers
}

TEST_CASE("a fourth decimal rounds to the nearest ns, exponents go through a double", "[import][timestamps]") {
    CHECK(ns("1.0004") == 1000);
    CHECK(ns("1.0005") == 1001);
    CHECK(ns("1.00049999") == 1000);  // only the fourth decimal decides
    CHECK(ns("1.00040009") == 1000);
    CHECK(ns("1.5e3") == 1500000);
    CHECK(ns("2E-3") == 2);
}

TEST_CASE("text that is not a number, or a time past the bounds, is rejected", "[import][timestamps]") {
    for (const char* bad : {"", "abc", "1.2.3", "1x", "-", ".", "\"5", "NaN", "Infinity", "1e300"}) {
        INFO(bad);
        TimeNs out = 42;
        CHECK_FALSE(parseMicrosToNs(bad, out));
    }
    // 4e15 µs = kMaxAbsTimeNs is the last time kept; 9223372036854775 µs would overflow in ns.
    CHECK(ns("4000000000000000") == kMaxAbsTimeNs);
    CHECK(ns("4000000000000000.001") == -1);
    CHECK(ns("9223372036854775") == -1);
}
