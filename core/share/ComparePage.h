#pragma once
// The comparison page: one self-contained HTML file for a teammate showing what changed between
// two runs (`gaplens share before.json after.json -o cmp.html`): the headline, the summary in
// words, the per-iteration figures and the ops/kernels table of the comparison (analysis 9), each
// run's GPU busy over its steady window, and one button per run that opens that run in Perfetto
// UI, as the one-run page does (SharePage.h).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/share/BusySeries.h"

namespace gaplens {

struct ComparePageRun {
    std::string label;             // "before.json"
    std::vector<BusySeries> busy;  // GPU busy over the run's steady window
    nlohmann::json gaps;           // the run's listed gaps (report JSON "gaps"), drawn under the busy plot
    std::string traceGzip;         // the trace to embed, gzip-compressed (may be empty: no button)
    std::string traceFileName;     // the name Perfetto UI shows for it
};

struct ComparePageInput {
    std::string title;         // "before.json → after.json"
    nlohmann::json comparison; // comparisonToJson() output
    ComparePageRun before, after;
    int maxRows = 25;          // op rows shown
};

std::string renderComparePage(const ComparePageInput& input);

}  // namespace gaplens
