#include "core/share/ComparePage.h"

#include <algorithm>

#include "core/share/SharePageParts.h"

namespace gaplens {

namespace {

// A figure's value from comparison JSON: times in µs (keys ending in _us or idle_us:...), busy in %,
// the rest counts; null is "-".
std::string figureText(const std::string& key, const nlohmann::json& v) {
    if (!v.is_number()) return "-";
    const double x = v.get<double>();
    if (key == "busy_pct") return fmtFixed(x, 1) + "%";
    if (key.find("_us") != std::string::npos) return fmtUs(x);
    return x == double(int64_t(x)) ? fmtInt(x) : fmtFixed(x, 2);
}

std::string signedUs(double us) { return (us > 0 ? "+" : "") + fmtUs(us); }

std::string callsText(double calls) { return calls == double(int64_t(calls)) ? fmtInt(calls) : fmtFixed(calls, 2); }

const char* changeClass(const std::string& change) {
    if (change == "slower" || change == "new") return "worse";
    if (change == "faster" || change == "gone") return "better";
    return "muted";
}

void appendRun(std::string& out, const ComparePageRun& run, const EmbeddedTraceIds& ids, const char* heading) {
    out += "<h2>" + std::string(heading) + ": " + htmlEscape(run.label) + "</h2>\n<p>";
    if (!run.traceGzip.empty())
        appendPerfettoButton(out, ids, std::string("Open ") + heading + " in Perfetto UI", run.traceGzip.size());
    else
        out += "No trace is embedded for this run.";
    out += "</p>\n";
    appendBusySvg(out, run.busy, run.gaps.is_array() ? run.gaps : nlohmann::json::array());
}

}  // namespace

std::string renderComparePage(const ComparePageInput& in) {
    const nlohmann::json& c = in.comparison;
    const nlohmann::json a = c.is_object() && c.contains("a") ? c["a"] : nlohmann::json::object();
    const nlohmann::json b = c.is_object() && c.contains("b") ? c["b"] : nlohmann::json::object();
    const size_t maxRows = static_cast<size_t>(std::max(1, in.maxRows));

    std::string out;
    out.reserve((in.before.traceGzip.size() + in.after.traceGzip.size()) * 4 / 3 + 64 * 1024);
    appendPageHead(out, in.title);
    out += "<h1>gaplens: " + htmlEscape(in.title) + "</h1>\n<div class=\"sub\">What changed, per steady iteration of "
           "each run (" + htmlEscape(fmtInt(jsonNumber(a, "iterations"))) + " before, " +
           htmlEscape(fmtInt(jsonNumber(b, "iterations"))) + " after).</div>\n";

    // Headline: iteration time, GPU busy, bound class, before -> after.
    const std::string clsA = jsonText(a, "class"), clsB = jsonText(b, "class");
    out += "<div class=\"verdict\" id=\"headline\">";
    out += "<div class=\"kv\"><b id=\"iter-time\">" + fmtUs(jsonNumber(a, "iter_us")) + " → " +
           fmtUs(jsonNumber(b, "iter_us")) + "</b><span>iteration time (×" +
           fmtFixed(jsonNumber(c, "iter_us_ratio"), 2) + ")</span></div>";
    out += "<div class=\"kv\"><b id=\"busy-change\">" + fmtFixed(jsonNumber(a, "busy_pct"), 1) + "% → " +
           fmtFixed(jsonNumber(b, "busy_pct"), 1) + "%</b><span>GPU busy</span></div>";
    out += "<span class=\"badge\" style=\"background:" + std::string(boundColor(clsA)) + "\">" +
           htmlEscape(clsA.empty() ? "unknown" : clsA) + "</span> → <span class=\"badge\" id=\"class-after\" "
           "style=\"background:" + std::string(boundColor(clsB)) + "\">" + htmlEscape(clsB.empty() ? "unknown" : clsB) +
           "</span></div>\n";
    out += "<p id=\"summary\">" + htmlEscape(jsonText(c, "summary")) + "</p>\n";

    out += "<h2>Per iteration</h2>\n<p class=\"muted\">A delta within the larger of the two runs' p10–p90 spread over "
           "their iterations is “same”.</p>\n";
    appendTableHead(out, {"figure", "before", "after", "delta", "noise", "change"}, "figures");
    for (const auto& f : jsonArray(c, "figures")) {
        const std::string key = jsonText(f, "key"), change = jsonText(f, "change");
        std::string delta = "-";
        if (f.value("a", nlohmann::json()).is_number() && f.value("b", nlohmann::json()).is_number()) {
            const double d = jsonNumber(f, "b") - jsonNumber(f, "a");
            delta = (d > 0 ? "+" : "") + figureText(key, d);
        }
        out += "<tr>" + td(jsonText(f, "label")) + td(figureText(key, f.value("a", nlohmann::json())), true) +
               td(figureText(key, f.value("b", nlohmann::json())), true) + td(delta, true) +
               td(figureText(key, f.value("noise", nlohmann::json())), true) + td(change) + "</tr>\n";
    }
    out += "</tbody></table>\n";

    const nlohmann::json& ops = jsonArray(c, "ops");
    out += "<h2>Ops and kernels per iteration</h2>\n<p class=\"muted\">Matched by name, largest change in time "
           "(self CPU + self GPU) first.</p>\n";
    appendTableHead(out, {"name", "calls before", "calls after", "self CPU before", "self CPU after", "self GPU before",
                          "self GPU after", "Δ time", "change"},
                    "ops");
    for (size_t i = 0; i < ops.size() && i < maxRows; ++i) {
        const auto& o = ops[i];
        const std::string change = jsonText(o, "change");
        out += "<tr>" + td(jsonText(o, "name") + (o.value("on_gpu", false) ? " (GPU)" : "")) +
               td(callsText(jsonNumber(o, "a_calls_per_iter")), true) +
               td(callsText(jsonNumber(o, "b_calls_per_iter")), true) +
               td(fmtUs(jsonNumber(o, "a_self_cpu_us_per_iter")), true) +
               td(fmtUs(jsonNumber(o, "b_self_cpu_us_per_iter")), true) +
               td(fmtUs(jsonNumber(o, "a_self_gpu_us_per_iter")), true) +
               td(fmtUs(jsonNumber(o, "b_self_gpu_us_per_iter")), true) +
               td(signedUs(jsonNumber(o, "delta_us_per_iter")), true) + "<td class=\"" + changeClass(change) + "\">" +
               htmlEscape(change) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    if (ops.size() > maxRows)
        out += "<p class=\"muted\">" + std::to_string(ops.size() - maxRows) + " more rows not shown.</p>\n";

    const EmbeddedTraceIds beforeIds{"gaplens-trace-before", "open-perfetto-before", "perfetto-status-before",
                                     "decoded-events-before"};
    const EmbeddedTraceIds afterIds{"gaplens-trace-after", "open-perfetto-after", "perfetto-status-after",
                                    "decoded-events-after"};
    appendRun(out, in.before, beforeIds, "before");
    appendRun(out, in.after, afterIds, "after");
    out += "<p class=\"muted\">Made with gaplens (<code>gaplens diff</code>). Open the traces with "
           "<code>gaplens-ui --compare</code> or Perfetto UI.</p>\n";
    if (!in.before.traceGzip.empty())
        appendEmbeddedTrace(out, beforeIds, in.before.label, in.before.traceFileName, in.before.traceGzip);
    if (!in.after.traceGzip.empty())
        appendEmbeddedTrace(out, afterIds, in.after.label, in.after.traceFileName, in.after.traceGzip);
    appendPageEnd(out);
    return out;
}

}  // namespace gaplens
