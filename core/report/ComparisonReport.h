#pragma once
// Renderings of a comparison of two runs (`gaplens diff`, the share page, the app's exports):
// plain text, Markdown, and JSON in the DESIGN.md schema ("Compare two runs"), with keys added
// beside the schema's (host time, kernels, launch and dead-window p50, every figure with its
// noise, each op's kind and delta), none renamed.
#include <string>

#include <nlohmann/json.hpp>

#include "core/analysis/RunComparison.h"

namespace gaplens {

// `top`: op rows shown (largest change first), 0 = all.
std::string comparisonToText(const RunComparison& comparison, int top = 20);
std::string comparisonToMarkdown(const RunComparison& comparison, int top = 20);
nlohmann::json comparisonToJson(const RunComparison& comparison, int top = 20);

// One line: "iteration time 18.2 µs → 5.1 µs (×0.28), GPU busy 7.0% → 71.0%".
std::string formatComparisonHeadline(const RunComparison& comparison);

// "same", "up", "down" for a figure; "better"/"worse" beside it where a direction is an improvement.
std::string figureChangeText(const FigureDelta& figure);

}  // namespace gaplens
