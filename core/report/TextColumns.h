#pragma once
// Helpers for the plain-text and Markdown renderings of reports: columns padded to a width in
// characters (UTF-8 aware: "µs" is one character), long names cut, Markdown escaping, one number
// through a printf format.
#include <cstddef>
#include <string>
#include <string_view>

namespace gaplens {

size_t displayWidth(std::string_view s);       // characters, not bytes
std::string padRight(std::string s, size_t w);  // left-aligned in w characters
std::string padLeft(std::string s, size_t w);   // right-aligned in w characters
std::string cut(std::string_view s, size_t w);  // at most w bytes, "..." when cut
std::string mdEscape(std::string_view s);       // | * _ < > ` escaped for a Markdown table
std::string fmt(const char* format, double x);  // e.g. fmt("%.1f%%", 12.34) -> "12.3%"

}  // namespace gaplens
