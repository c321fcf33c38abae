#pragma once
// Glue between a report and the share page, used by `gaplens share` and the app's File > Share:
// the report as DESIGN.md JSON, GPU busy over the trace span per device, the trace to embed.
#include <string>

#include "core/analysis/RunComparison.h"
#include "core/report/Report.h"
#include "core/share/SharePage.h"

namespace gaplens {

inline constexpr int kShareBusyBins = 240;

// `traceGzip` is the trace file's bytes, gzip-compressed (see readFileAsGzip).
SharePageInput sharePageInputOf(const Report& report, std::string title, std::string traceGzip,
                                std::string traceFileName);

// Writes the page for `report` embedding the file at `tracePath` as it is, to `outPath` (atomically).
// Returns an empty string or a one-line error.
std::string writeSharePage(const Report& report, const std::string& tracePath, const std::string& outPath);

// Writes the page embedding the trace as a Perfetto JSON export with the findings as annotation
// tracks (gaps by cause, dead windows): what a teammate opens from the page shows them too.
std::string writeSharePage(const Trace& trace, const Report& report, const std::string& title,
                           const std::string& outPath);

// The comparison page of two runs (ComparePage.h), each embedded as a Perfetto JSON export with its
// findings, each run's busy plot over its steady window. Returns an empty string or a one-line error.
std::string writeComparePage(const Trace& traceA, const Report& reportA, const Trace& traceB, const Report& reportB,
                             const RunComparison& comparison, const std::string& outPath);

}  // namespace gaplens
