#include "core/model/TimeText.h"

#include <charconv>
#include <cmath>

namespace gaplens {

std::optional<TimeNs> parseDuration(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    size_t unitPos = 0;
    while (unitPos < text.size() && (std::isdigit(static_cast<unsigned char>(text[unitPos])) || text[unitPos] == '.' ||
                                     text[unitPos] == '-' || text[unitPos] == '+' || text[unitPos] == 'e'))
        ++unitPos;
    if (unitPos == 0) return std::nullopt;
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + unitPos, value);
    if (ec != std::errc() || p != text.data() + unitPos || !std::isfinite(value)) return std::nullopt;
    const std::string_view unit = text.substr(unitPos);
    double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit.empty() || unit == "us" || unit == "µs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else return std::nullopt;
    const double ns = value * scale;
    if (std::fabs(ns) > 9.0e18) return std::nullopt;
    return static_cast<TimeNs>(std::llround(ns));
}

std::optional<std::pair<TimeNs, TimeNs>> parseWindow(std::string_view text) {
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto a = parseDuration(text.substr(0, colon));
    auto b = parseDuration(text.substr(colon + 1));
    if (!a || !b || *b < *a) return std::nullopt;
    return std::make_pair(*a, *b);
}

std::string formatDuration(TimeNs ns) {
    const double v = static_cast<double>(ns);
    const double a = std::fabs(v);
    const char* unit = "ns";
    double scaled = v;
    if (a >= 1e9) { scaled = v / 1e9; unit = "s"; }
    else if (a >= 1e6) { scaled = v / 1e6; unit = "ms"; }
    else if (a >= 1e3) { scaled = v / 1e3; unit = "µs"; }
    // std::to_chars gives the same digits as printf's %.Nf (both round the exact binary value)
    // at a fraction of the cost: reports format millions of durations.
    const double s = std::fabs(scaled);
    const int decimals = s >= 100 || unit[0] == 'n' ? 0 : (s >= 10 ? 1 : 2);
    char buf[48];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf - 4, scaled, std::chars_format::fixed, decimals);
    if (ec != std::errc()) return std::to_string(ns) + " ns";  // out of range: cannot happen for int64 ns
    std::string out(buf, end);
    out += ' ';
    out += unit;
    return out;
}

}  // namespace gaplens
