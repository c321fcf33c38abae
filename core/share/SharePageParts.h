#pragma once
// The parts the share pages are made of (one run: SharePage.h; two runs compared: ComparePage.h):
// the style sheet, the script that decodes embedded traces and hands them to Perfetto UI, the
// GPU-busy-over-time plot, tables, and the formatting of numbers read from report JSON.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/share/BusySeries.h"

namespace gaplens {

// HTML text escaping (& < > " ').
std::string htmlEscape(std::string_view text);

// Colours of the gap causes (as the timeline's) and of the bound classes.
const char* causeColor(const std::string& cause);
const char* boundColor(const std::string& cls);

// Reading report JSON leniently: a missing or mistyped key is 0 / "" / an empty array.
double jsonNumber(const nlohmann::json& j, const char* key);
std::string jsonText(const nlohmann::json& j, const char* key);
const nlohmann::json& jsonArray(const nlohmann::json& j, const char* key);

// A duration given in µs, in the unit a reader expects for its size ("143 ms", "8.8 µs").
std::string fmtUs(double us);
std::string fmtFixed(double v, int decimals);
inline std::string fmtInt(double v) { return fmtFixed(v, 0); }

void appendTableHead(std::string& out, std::initializer_list<const char*> heads, const char* id);
std::string td(const std::string& text, bool numeric = false);

// GPU busy over time per series, with the gaps of `gaps` (report JSON) drawn under it in their
// cause colours.
void appendBusySvg(std::string& out, const std::vector<BusySeries>& series, const nlohmann::json& gaps);

// The page's <head> up to <body> (title, style), and its end (the script, </html>).
void appendPageHead(std::string& out, const std::string& title);
void appendPageEnd(std::string& out);

// An embedded trace (gzip, base64) and the button that opens it in Perfetto UI. `id` names the
// trace element; the button, its status line and the decoded-event count take ids given here so
// that a page can hold several.
struct EmbeddedTraceIds {
    std::string trace = "gaplens-trace";
    std::string button = "open-perfetto";
    std::string status = "perfetto-status";
    std::string count = "decoded-events";
};
void appendPerfettoButton(std::string& out, const EmbeddedTraceIds& ids, const std::string& label, size_t gzipBytes);
void appendEmbeddedTrace(std::string& out, const EmbeddedTraceIds& ids, const std::string& title,
                         const std::string& fileName, const std::string& gzip);

}  // namespace gaplens
