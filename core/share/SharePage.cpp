#include "core/share/SharePage.h"

#include <algorithm>
#include <map>

namespace gaplens {

std::string renderSharePage(const SharePageInput& in) {
    const nlohmann::json& r = in.report;
    const nlohmann::json trace = r.is_object() && r.contains("trace") ? r["trace"] : nlohmann::json::object();
    const nlohmann::json bound = r.is_object() && r.contains("bound") ? r["bound"] : nlohmann::json::object();
    const nlohmann::json& gaps = jsonArray(r, "gaps");
    const size_t maxRows = static_cast<size_t>(std::max(1, in.maxRows));

    std::string out;
    out.reserve(in.traceGzip.size() * 4 / 3 + 64 * 1024);
    appendPageHead(out, in.title);
    out += "<h1>gaplens: ";
    out += htmlEscape(in.title);
    out += "</h1>\n<div class=\"sub\">Where the GPU sits idle, and why. ";
    out += htmlEscape(fmtInt(jsonNumber(trace, "events")) + " events, " + fmtInt(jsonNumber(trace, "cpu_threads")) +
                      " CPU threads, " + fmtInt(jsonNumber(trace, "gpu_streams")) + " GPU streams, span " +
                      fmtUs(jsonNumber(trace, "span_us")));
    out += ".</div>\n";

    // Verdict.
    const std::string cls = jsonText(bound, "class");
    out += "<div class=\"verdict\" id=\"verdict\"><span class=\"badge\" id=\"bound-class\" style=\"background:";
    out += boundColor(cls);
    out += "\">" + htmlEscape(cls.empty() ? "unknown" : cls) + "</span>";
    out += "<div class=\"kv\"><b id=\"busy-pct\">" + fmtFixed(jsonNumber(bound, "busy_pct"), 1) +
           "%</b><span>GPU busy</span></div>";
    // Engines apart: a step whose copies keep the GPU "busy" while the SMs idle reads so here.
    out += "<div class=\"kv\"><b id=\"compute-busy-pct\">" + fmtFixed(jsonNumber(bound, "compute_busy_pct"), 1) +
           "%</b><span>kernels</span></div>";
    out += "<div class=\"kv\"><b id=\"copy-busy-pct\">" + fmtFixed(jsonNumber(bound, "copy_busy_pct"), 1) +
           "%</b><span>copies</span></div>";
    out += "<div class=\"kv\"><b id=\"gpu-over-cpu\">" + fmtFixed(jsonNumber(bound, "gpu_over_cpu"), 3) +
           "</b><span>GPU time / CPU time</span></div>";
    out += "<div class=\"kv\"><b id=\"cpu-time\">" + fmtUs(jsonNumber(bound, "cpu_us")) +
           "</b><span>CPU time (syncs left out)</span></div>";
    out += "<div class=\"kv\"><b>" + htmlEscape(jsonText(bound, "window")) + "</b><span>window</span></div>";
    out += "</div>\n";

    // Perfetto button.
    out += "<h2>Trace</h2>\n<p>";
    if (!in.traceGzip.empty()) {
        appendPerfettoButton(out, EmbeddedTraceIds{}, "Open in Perfetto UI", in.traceGzip.size());
    } else {
        out += "No trace is embedded in this page.";
    }
    out += "</p>\n";

    appendBusySvg(out, in.busy, gaps);

    // Gaps by cause (listed gaps).
    struct CauseSum { int count = 0; double us = 0; };
    std::map<std::string, CauseSum> byCause;
    for (const auto& g : gaps) {
        CauseSum& c = byCause[jsonText(g, "cause")];
        ++c.count;
        c.us += jsonNumber(g, "dur_us");
    }
    std::vector<std::pair<std::string, CauseSum>> causes(byCause.begin(), byCause.end());
    std::sort(causes.begin(), causes.end(), [](const auto& a, const auto& b) { return a.second.us > b.second.us; });
    out += "<h2>Idle gaps by cause</h2>\n";
    appendTableHead(out, {"cause", "gaps", "idle time"}, "gaps-by-cause");
    for (const auto& [cause, sum] : causes) {
        out += "<tr><td><span class=\"dot\" style=\"background:";
        out += causeColor(cause);
        out += "\"></span>" + htmlEscape(cause) + "</td>" + td(std::to_string(sum.count), true) + td(fmtUs(sum.us), true) +
               "</tr>\n";
    }
    out += "</tbody></table>\n";

    out += "<h2>Longest gaps</h2>\n";
    appendTableHead(out, {"GPU", "start", "duration", "cause", "what the host did"}, "gaps");
    for (size_t i = 0; i < gaps.size() && i < maxRows; ++i) {
        const auto& g = gaps[i];
        out += "<tr>" + td(fmtInt(jsonNumber(g, "device")), true) + td(fmtUs(jsonNumber(g, "start_us")), true) +
               td(fmtUs(jsonNumber(g, "dur_us")), true) + "<td><span class=\"dot\" style=\"background:" +
               causeColor(jsonText(g, "cause")) + "\"></span>" + htmlEscape(jsonText(g, "cause")) + "</td>" +
               td(jsonText(g, "detail")) + "</tr>\n";
    }
    out += "</tbody></table>\n";
    if (gaps.size() > maxRows)
        out += "<p class=\"muted\">" + std::to_string(gaps.size() - maxRows) + " shorter gaps not shown.</p>\n";

    // Dead windows.
    const nlohmann::json& dead = jsonArray(r, "dead_windows");
    out += "<h2>Dead windows</h2>\n<p class=\"muted\">GPU idle time from entering a range to the start of its "
           "first GPU work.</p>\n";
    appendTableHead(out, {"range", "start", "dead window", "host", "launch→start", "cold", "one-time calls"},
                    "dead-windows");
    for (size_t i = 0; i < dead.size() && i < maxRows; ++i) {
        const auto& d = dead[i];
        const bool cold = d.value("cold", false);
        std::string calls;
        for (const auto& c : jsonArray(d, "one_time_calls"))
            if (c.is_string()) calls += (calls.empty() ? "" : ", ") + c.get<std::string>();
        out += "<tr>" + td(jsonText(d, "range")) + td(fmtUs(jsonNumber(d, "start_us")), true) + td(fmtUs(jsonNumber(d, "dur_us")), true) +
               td(fmtUs(jsonNumber(d, "host_us")), true) + td(fmtUs(jsonNumber(d, "launch_us")), true) +
               (cold ? "<td class=\"cold\">cold</td>" : "<td></td>") + td(calls) + "</tr>\n";
    }
    out += "</tbody></table>\n";
    if (dead.size() > maxRows)
        out += "<p class=\"muted\">" + std::to_string(dead.size() - maxRows) + " more range instances not shown.</p>\n";

    // Advice.
    const nlohmann::json& advice = jsonArray(r, "advice");
    if (!advice.empty()) {
        out += "<h2>What to try</h2>\n<ul class=\"advice\" id=\"advice\">";
        for (const auto& a : advice)
            out += "<li><b>" + htmlEscape(jsonText(a, "rule")) + "</b> (up to " + htmlEscape(fmtUs(jsonNumber(a, "saving_us"))) +
                   "): " + htmlEscape(jsonText(a, "text")) + " <span class=\"muted\">" + htmlEscape(jsonText(a, "evidence")) +
                   "</span></li>\n";
        out += "</ul>\n";
    }

    // Launch latency.
    const nlohmann::json& latency = jsonArray(r, "launch_latency");
    if (!latency.empty()) {
        out += "<h2>Launch latency</h2>\n";
        appendTableHead(out, {"kernel", "count", "p50", "p90", "max", "queue p50", "dispatch p50"}, "launch-latency");
        for (size_t i = 0; i < latency.size() && i < maxRows; ++i) {
            const auto& k = latency[i];
            out += "<tr>" + td(jsonText(k, "kernel")) + td(fmtInt(jsonNumber(k, "count")), true) + td(fmtUs(jsonNumber(k, "p50_us")), true) +
                   td(fmtUs(jsonNumber(k, "p90_us")), true) + td(fmtUs(jsonNumber(k, "max_us")), true) +
                   td(fmtUs(jsonNumber(k, "queue_p50_us")), true) + td(fmtUs(jsonNumber(k, "dispatch_p50_us")), true) + "</tr>\n";
        }
        out += "</tbody></table>\n";
    }

    // Ops table.
    const nlohmann::json& ops = jsonArray(r, "ops");
    out += "<h2>Ops</h2>\n";
    appendTableHead(out, {"name", "calls", "self CPU", "CPU total", "self GPU", "GPU total"}, "ops");
    for (size_t i = 0; i < ops.size() && i < maxRows; ++i) {
        const auto& o = ops[i];
        out += "<tr>" + td(jsonText(o, "name")) + td(fmtInt(jsonNumber(o, "calls")), true) + td(fmtUs(jsonNumber(o, "self_cpu_us")), true) +
               td(fmtUs(jsonNumber(o, "cpu_total_us")), true) + td(fmtUs(jsonNumber(o, "self_gpu_us")), true) +
               td(fmtUs(jsonNumber(o, "gpu_total_us")), true) + "</tr>\n";
    }
    out += "</tbody></table>\n";
    if (ops.size() > maxRows)
        out += "<p class=\"muted\">" + std::to_string(ops.size() - maxRows) + " more ops not shown.</p>\n";

    out += "<p class=\"muted\">Made with gaplens. Open the trace itself with <code>gaplens-ui</code> or Perfetto UI.</p>\n";

    if (!in.traceGzip.empty()) appendEmbeddedTrace(out, EmbeddedTraceIds{}, in.title, in.traceFileName, in.traceGzip);
    appendPageEnd(out);
    return out;
}

}  // namespace gaplens
