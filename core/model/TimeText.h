#pragma once
// Durations as people write them on a command line ("10us", "1.5ms", "200ns", "2s") and as
// gaplens prints them (readable unit, 3 significant digits).
#include <optional>
#include <string>
#include <string_view>

#include "core/model/Trace.h"

namespace gaplens {

// A bare number is taken as µs (the unit of trace files). Returns nullopt on bad text.
std::optional<TimeNs> parseDuration(std::string_view text);
// "1.2ms:3.4ms" -> {start, end}; nullopt on bad text or end < start.
std::optional<std::pair<TimeNs, TimeNs>> parseWindow(std::string_view text);
// 1234 -> "1.23 µs", 143000000 -> "143 ms".
std::string formatDuration(TimeNs ns);

}  // namespace gaplens
