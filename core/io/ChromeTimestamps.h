#pragma once
// Times of Chrome trace events. `ts` and `dur` are µs with a fraction ("4775499751275.105"): they
// are parsed from their text so that nanoseconds stay exact (a double holds ~16 digits, which
// these need all of), the sub-ns digit rounded. Values that would overflow the model's int64 ns
// arithmetic are rejected, not wrapped.
#include <string_view>

#include "core/model/Trace.h"

namespace gaplens::importer {

// Bounds on times read from a file: a time, the file's base time and a duration then add up within
// int64 ns (4e18 ns since the epoch is the year 2096; 1e18 ns is 31 years). Larger values are
// wrong, and would overflow the arithmetic of finalize.
constexpr TimeNs kMaxAbsTimeNs = 4'000'000'000'000'000'000;
constexpr TimeNs kMaxDurationNs = 1'000'000'000'000'000'000;

// µs text (optionally quoted, signed, with a fraction or an exponent) to ns; false when the text
// is not a number or lies outside +-kMaxAbsTimeNs.
bool parseMicrosToNs(std::string_view text, TimeNs& out);

}  // namespace gaplens::importer
