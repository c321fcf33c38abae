#pragma once
// The share page: one self-contained HTML file a teammate opens in any browser, no server and no
// install. It shows the findings (bound verdict, gaps by cause, dead windows, ops table, GPU busy
// over time as inline SVG) and embeds the trace gzip-compressed + base64; its "Open in Perfetto UI"
// button inflates the trace in the browser (DecompressionStream) and hands it to ui.perfetto.dev
// through Perfetto's postMessage protocol (open the window, PING until PONG, post the buffer).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/share/BusySeries.h"
#include "core/share/SharePageParts.h"

namespace gaplens {

struct SharePageInput {
    std::string title;               // shown as the page heading, e.g. the trace file name
    nlohmann::json report;           // reportToJson() output: the DESIGN.md schema
    std::vector<BusySeries> busy;    // one per device, over the trace span
    std::string traceGzip;           // the trace to embed, gzip-compressed (may be empty: no button)
    std::string traceFileName;       // the name Perfetto UI shows for it
    int maxRows = 25;                // rows per table (ops, gaps, dead windows)
};

std::string renderSharePage(const SharePageInput& input);

}  // namespace gaplens
