#pragma once
// Export of a Trace as Chrome trace JSON in the Kineto dialect (what torch.profiler writes): opens
// as is in Perfetto UI, chrome://tracing, HTA and gaplens. Processes and threads are named (M
// events), GPU activities sit on per-stream tracks, launch -> GPU links become flow arrows (ac2g).
// Findings can be added as annotation tracks, so a teammate sees gaps and dead windows in Perfetto.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/Trace.h"

namespace gaplens {

// One extra track of named intervals (e.g. "GPU 0 idle gaps" with one slice per gap).
struct AnnotationTrack {
    std::string name;
    struct Item {
        TimeNs start = 0;
        TimeNs dur = 0;
        std::string name;
        nlohmann::json args = nlohmann::json::object();
    };
    std::vector<Item> items;
};

struct ExportOptions {
    std::vector<AnnotationTrack> annotations;  // shown under a process named "gaplens findings"
    // Keep only events overlapping [windowStart, windowEnd) (trace time); links with one end
    // outside are dropped.
    std::optional<std::pair<TimeNs, TimeNs>> window;
};

// Writes to `path` (.gz compresses) through a temp file. Returns an empty string or a one-line error.
std::string exportPerfettoJson(const Trace& trace, const std::string& path, const ExportOptions& options = {});

// Same document into a string (tests, the share page).
std::string perfettoJsonString(const Trace& trace, const ExportOptions& options = {});

}  // namespace gaplens
