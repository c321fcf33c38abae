#include "core/share/SharePage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/share/Base64.h"

namespace gaplens {

namespace {

// Colours of the gap causes, the same as the timeline's (ui/timeline/TimelineColors.cpp), so that a
// teammate reads them alike on the page and in the app.
const char* causeColor(const std::string& cause) {
    if (cause == "queued-launch") return "#3d85c6";
    if (cause == "setup") return "#e69138";
    if (cause == "sync") return "#cc0000";
    if (cause == "host-overhead") return "#933ec6";
    return "#999999";  // host-idle, unknown
}

const char* boundColor(const std::string& cls) {
    if (cls == "overhead-bound") return "#d04848";
    if (cls == "compute-bound") return "#2e9e5b";
    if (cls == "mixed") return "#e09a2c";
    if (cls == "copy-bound") return "#3d85c6";
    return "#777";
}

double num(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return 0;
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string str(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_boolean()) return it->get<bool>() ? "yes" : "no";
    if (it->is_number()) return it->dump();
    return {};
}

const nlohmann::json& arr(const nlohmann::json& j, const char* key) {
    static const nlohmann::json empty = nlohmann::json::array();
    if (!j.is_object()) return empty;
    auto it = j.find(key);
    return it != j.end() && it->is_array() ? *it : empty;
}

// A duration given in µs, in the unit a reader expects for its size.
std::string fmtUs(double us) {
    char buf[64];
    const double a = std::fabs(us);
    if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.3g s", us / 1e6);
    else if (a >= 1e3) std::snprintf(buf, sizeof buf, "%.3g ms", us / 1e3);
    else std::snprintf(buf, sizeof buf, "%.3g µs", us);
    return buf;
}

std::string fmtFixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string fmtInt(double v) { return fmtFixed(v, 0); }

void appendTableHead(std::string& out, std::initializer_list<const char*> heads, const char* id) {
    out += "<table id=\"";
    out += id;
    out += "\"><thead><tr>";
    for (const char* h : heads) {
        out += "<th>";
        out += h;
        out += "</th>";
    }
    out += "</tr></thead><tbody>\n";
}

std::string td(const std::string& text, bool numeric = false) {
    return std::string(numeric ? "<td class=\"n\">" : "<td>") + htmlEscape(text) + "</td>";
}

// GPU busy over time per device, with the listed gaps drawn under it in their cause colours.
void appendBusySvg(std::string& out, const std::vector<BusySeries>& series, const nlohmann::json& gaps,
                   double spanUs) {
    const int width = 960, plotH = 90, stripH = 14, axisH = 18, left = 44;
    for (const BusySeries& s : series) {
        if (s.busy.empty()) continue;
        const int plotW = width - left - 8;
        const int height = plotH + stripH + axisH + 8;
        const double t0Us = double(s.startNs) / 1e3;
        const double t1Us = double(s.startNs + s.binNs * TimeNs(s.busy.size())) / 1e3;
        const double wUs = std::max(1e-9, t1Us - t0Us);
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "<figure><figcaption>GPU %d busy over time, %s (%zu bins of %s)</figcaption>"
                      "<svg class=\"busy\" data-device=\"%d\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                      "xmlns=\"http://www.w3.org/2000/svg\">\n",
                      s.device, htmlEscape(s.label.empty() ? "whole trace" : s.label).c_str(), s.busy.size(),
                      fmtUs(double(s.binNs) / 1e3).c_str(), s.device, width, height,
                      width, height);
        out += buf;
        // Axes: 0% and 100% lines.
        std::snprintf(buf, sizeof buf,
                      "<line x1=\"%d\" y1=\"4\" x2=\"%d\" y2=\"4\" stroke=\"#ddd\"/>"
                      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                      "<text x=\"%d\" y=\"12\" class=\"ax\" text-anchor=\"end\">100%%</text>"
                      "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">0%%</text>\n",
                      left, left + plotW, left, plotH + 4, left + plotW, plotH + 4, left - 4, left - 4, plotH + 4);
        out += buf;
        // Busy area: a step path over the bins.
        out += "<path fill=\"#2e9e5b\" fill-opacity=\"0.75\" stroke=\"none\" d=\"M";
        const double binW = double(plotW) / double(s.busy.size());
        std::snprintf(buf, sizeof buf, "%d %d", left, plotH + 4);
        out += buf;
        for (size_t i = 0; i < s.busy.size(); ++i) {
            const double y = 4 + plotH * (1.0 - s.busy[i]);
            std::snprintf(buf, sizeof buf, " L%.1f %.1f L%.1f %.1f", left + binW * double(i), y,
                          left + binW * double(i + 1), y);
            out += buf;
        }
        std::snprintf(buf, sizeof buf, " L%d %d Z\"/>\n", left + plotW, plotH + 4);
        out += buf;
        // Gap strip.
        const int stripY = plotH + 8;
        std::snprintf(buf, sizeof buf, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f3f3f3\"/>\n",
                      left, stripY, plotW, stripH);
        out += buf;
        for (const auto& g : gaps) {
            if (int(num(g, "device")) != s.device) continue;
            if (num(g, "start_us") + num(g, "dur_us") < t0Us || num(g, "start_us") > t1Us) continue;
            const double gs = std::max(num(g, "start_us"), t0Us);
            const double ge = std::min(num(g, "start_us") + num(g, "dur_us"), t1Us);
            const double x = left + plotW * (gs - t0Us) / wUs;
            const double w = std::max(0.75, plotW * (ge - gs) / wUs);
            std::snprintf(buf, sizeof buf,
                          "<rect class=\"gap\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                          "<title>",
                          x, stripY, w, stripH, causeColor(str(g, "cause")));
            out += buf;
            out += htmlEscape(str(g, "cause") + " " + fmtUs(num(g, "dur_us")) + " at " + fmtUs(num(g, "start_us")));
            out += "</title></rect>\n";
        }
        // Time axis: five ticks.
        for (int k = 0; k <= 4; ++k) {
            const double x = left + plotW * k / 4.0;
            std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%d\" class=\"ax\" text-anchor=\"%s\">", x,
                          stripY + stripH + 13, k == 0 ? "start" : (k == 4 ? "end" : "middle"));
            out += buf;
            // Ticks after the first are offsets from it: a short window late in a trace stays readable.
            out += htmlEscape(k == 0 ? fmtUs(t0Us) : std::string("+") + fmtUs(wUs * k / 4.0));
            out += "</text>";
        }
        out += "\n</svg></figure>\n";
    }
    (void)spanUs;
}

const char* kStyle = R"CSS(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #eee;padding-bottom:4px}
.sub{color:#666;margin-bottom:16px}
.verdict{display:flex;gap:18px;align-items:center;flex-wrap:wrap;background:#fafafa;border:1px solid #e6e6e6;border-radius:8px;padding:12px 16px}
.badge{color:#fff;border-radius:14px;padding:3px 12px;font-weight:600}
.kv b{font-size:18px;display:block}.kv span{color:#666;font-size:12px}
button{font:inherit;background:#1a73e8;color:#fff;border:0;border-radius:6px;padding:8px 16px;cursor:pointer}
button:disabled{background:#9ab}
table{border-collapse:collapse;width:100%;font-size:13px} th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{background:#f5f5f5} td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.ax{font-size:10px;fill:#666} figure{margin:8px 0} figcaption{color:#555;font-size:12px}
.cold{color:#d04848;font-weight:600} .muted{color:#888} .advice li{margin-bottom:6px}
#perfetto-status{color:#555;margin-left:10px}
)CSS";

// Decodes the embedded trace in the browser. On load it counts the events (shown in
// #decoded-events, which is also how the tests check the embedding round-trips); the button opens
// ui.perfetto.dev first (synchronously, inside the click, so no popup blocker stops it), then
// PINGs until the UI answers PONG, then posts {perfetto: {buffer, title, fileName}}.
const char* kScript = R"JS(
const PERFETTO_ORIGIN = 'https://ui.perfetto.dev';
const AUTO_DECODE_LIMIT = 16 * 1024 * 1024;  // larger traces are decoded only when asked
function embeddedBytes() {
  const el = document.getElementById('gaplens-trace');
  if (!el) return null;
  const b64 = el.textContent.replace(/\s+/g, '');
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; ++i) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
async function decodeTrace() {
  const bytes = embeddedBytes();
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return await new Response(stream).arrayBuffer();
}
function countEvents(buffer) {
  const doc = JSON.parse(new TextDecoder().decode(buffer));
  const events = Array.isArray(doc) ? doc : (doc.traceEvents || []);
  return events.length;
}
async function showEventCount() {
  const out = document.getElementById('decoded-events');
  try {
    const el = document.getElementById('gaplens-trace');
    if (!el) { out.textContent = 'none embedded'; return; }
    if (el.textContent.length * 3 / 4 > AUTO_DECODE_LIMIT) { out.textContent = 'not decoded yet (large trace)'; return; }
    const buffer = await decodeTrace();
    out.textContent = String(countEvents(buffer));
    out.dataset.bytes = String(buffer.byteLength);
  } catch (e) {
    out.textContent = 'error: ' + e;
  }
}
async function openInPerfetto() {
  const status = document.getElementById('perfetto-status');
  const win = window.open(PERFETTO_ORIGIN);
  if (!win) { status.textContent = 'The browser blocked the new window: allow pop-ups for this page.'; return; }
  status.textContent = 'Decoding the trace…';
  let buffer;
  try { buffer = await decodeTrace(); } catch (e) { status.textContent = 'Cannot decode the trace: ' + e; return; }
  status.textContent = 'Waiting for Perfetto UI…';
  const timer = setInterval(() => win.postMessage('PING', PERFETTO_ORIGIN), 50);
  const onMessage = (e) => {
    if (e.source !== win || e.data !== 'PONG') return;
    clearInterval(timer);
    window.removeEventListener('message', onMessage);
    const meta = document.getElementById('gaplens-trace').dataset;
    win.postMessage({perfetto: {buffer: buffer, title: meta.title, fileName: meta.fileName}}, PERFETTO_ORIGIN);
    status.textContent = 'Sent to Perfetto UI.';
  };
  window.addEventListener('message', onMessage);
}
document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('open-perfetto');
  if (button) button.addEventListener('click', openInPerfetto);
  showEventCount();
});
)JS";

}  // namespace

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string renderSharePage(const SharePageInput& in) {
    const nlohmann::json& r = in.report;
    const nlohmann::json trace = r.is_object() && r.contains("trace") ? r["trace"] : nlohmann::json::object();
    const nlohmann::json bound = r.is_object() && r.contains("bound") ? r["bound"] : nlohmann::json::object();
    const nlohmann::json& gaps = arr(r, "gaps");
    const size_t maxRows = static_cast<size_t>(std::max(1, in.maxRows));

    std::string out;
    out.reserve(in.traceGzip.size() * 4 / 3 + 64 * 1024);
    out += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>gaplens: ";
    out += htmlEscape(in.title);
    out += "</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head><body>\n<h1>gaplens: ";
    out += htmlEscape(in.title);
    out += "</h1>\n<div class=\"sub\">Where the GPU sits idle, and why. ";
    out += htmlEscape(fmtInt(num(trace, "events")) + " events, " + fmtInt(num(trace, "cpu_threads")) +
                      " CPU threads, " + fmtInt(num(trace, "gpu_streams")) + " GPU streams, span " +
                      fmtUs(num(trace, "span_us")));
    out += ".</div>\n";

    // Verdict.
    const std::string cls = str(bound, "class");
    out += "<div class=\"verdict\" id=\"verdict\"><span class=\"badge\" id=\"bound-class\" style=\"background:";
    out += boundColor(cls);
    out += "\">" + htmlEscape(cls.empty() ? "unknown" : cls) + "</span>";
    out += "<div class=\"kv\"><b id=\"busy-pct\">" + fmtFixed(num(bound, "busy_pct"), 1) +
           "%</b><span>GPU busy</span></div>";
    // Engines apart: a step whose copies keep the GPU "busy" while the SMs idle reads so here.
    out += "<div class=\"kv\"><b id=\"compute-busy-pct\">" + fmtFixed(num(bound, "compute_busy_pct"), 1) +
           "%</b><span>kernels</span></div>";
    out += "<div class=\"kv\"><b id=\"copy-busy-pct\">" + fmtFixed(num(bound, "copy_busy_pct"), 1) +
           "%</b><span>copies</span></div>";
    out += "<div class=\"kv\"><b id=\"gpu-over-cpu\">" + fmtFixed(num(bound, "gpu_over_cpu"), 3) +
           "</b><span>GPU time / CPU time</span></div>";
    out += "<div class=\"kv\"><b id=\"cpu-time\">" + fmtUs(num(bound, "cpu_us")) +
           "</b><span>CPU time (syncs left out)</span></div>";
    out += "<div class=\"kv\"><b>" + htmlEscape(str(bound, "window")) + "</b><span>window</span></div>";
    out += "</div>\n";

    // Perfetto button.
    out += "<h2>Trace</h2>\n<p>";
    if (!in.traceGzip.empty()) {
        out += "<button id=\"open-perfetto\">Open in Perfetto UI</button><span id=\"perfetto-status\"></span></p>\n"
               "<p class=\"muted\">The trace is inside this page (" +
               htmlEscape(fmtFixed(double(in.traceGzip.size()) / 1024.0, 0)) +
               " KiB gzip). Events decoded in this browser: <b id=\"decoded-events\">…</b>. "
               "The button hands it to ui.perfetto.dev, which opens it in your browser; nothing is uploaded.";
    } else {
        out += "No trace is embedded in this page.";
    }
    out += "</p>\n";

    appendBusySvg(out, in.busy, gaps, num(trace, "span_us"));

    // Gaps by cause (listed gaps).
    struct CauseSum { int count = 0; double us = 0; };
    std::map<std::string, CauseSum> byCause;
    for (const auto& g : gaps) {
        CauseSum& c = byCause[str(g, "cause")];
        ++c.count;
        c.us += num(g, "dur_us");
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
        out += "<tr>" + td(fmtInt(num(g, "device")), true) + td(fmtUs(num(g, "start_us")), true) +
               td(fmtUs(num(g, "dur_us")), true) + "<td><span class=\"dot\" style=\"background:" +
               causeColor(str(g, "cause")) + "\"></span>" + htmlEscape(str(g, "cause")) + "</td>" +
               td(str(g, "detail")) + "</tr>\n";
    }
    out += "</tbody></table>\n";
    if (gaps.size() > maxRows)
        out += "<p class=\"muted\">" + std::to_string(gaps.size() - maxRows) + " shorter gaps not shown.</p>\n";

    // Dead windows.
    const nlohmann::json& dead = arr(r, "dead_windows");
    out += "<h2>Dead windows</h2>\n<p class=\"muted\">GPU idle time from entering a range to the start of its "
           "first GPU work.</p>\n";
    appendTableHead(out, {"range", "start", "dead window", "host", "launch→start", "cold", "one-time calls"},
                    "dead-windows");
    for (size_t i = 0; i < dead.size() && i < maxRows; ++i) {
        const auto& d = dead[i];
        const bool cold = d.value("cold", false);
        std::string calls;
        for (const auto& c : arr(d, "one_time_calls"))
            if (c.is_string()) calls += (calls.empty() ? "" : ", ") + c.get<std::string>();
        out += "<tr>" + td(str(d, "range")) + td(fmtUs(num(d, "start_us")), true) + td(fmtUs(num(d, "dur_us")), true) +
               td(fmtUs(num(d, "host_us")), true) + td(fmtUs(num(d, "launch_us")), true) +
               (cold ? "<td class=\"cold\">cold</td>" : "<td></td>") + td(calls) + "</tr>\n";
    }
    out += "</tbody></table>\n";
    if (dead.size() > maxRows)
        out += "<p class=\"muted\">" + std::to_string(dead.size() - maxRows) + " more range instances not shown.</p>\n";

    // Advice.
    const nlohmann::json& advice = arr(r, "advice");
    if (!advice.empty()) {
        out += "<h2>What to try</h2>\n<ul class=\"advice\" id=\"advice\">";
        for (const auto& a : advice)
            out += "<li><b>" + htmlEscape(str(a, "rule")) + "</b> (up to " + htmlEscape(fmtUs(num(a, "saving_us"))) +
                   "): " + htmlEscape(str(a, "text")) + " <span class=\"muted\">" + htmlEscape(str(a, "evidence")) +
                   "</span></li>\n";
        out += "</ul>\n";
    }

    // Launch latency.
    const nlohmann::json& latency = arr(r, "launch_latency");
    if (!latency.empty()) {
        out += "<h2>Launch latency</h2>\n";
        appendTableHead(out, {"kernel", "count", "p50", "p90", "max", "queue p50", "dispatch p50"}, "launch-latency");
        for (size_t i = 0; i < latency.size() && i < maxRows; ++i) {
            const auto& k = latency[i];
            out += "<tr>" + td(str(k, "kernel")) + td(fmtInt(num(k, "count")), true) + td(fmtUs(num(k, "p50_us")), true) +
                   td(fmtUs(num(k, "p90_us")), true) + td(fmtUs(num(k, "max_us")), true) +
                   td(fmtUs(num(k, "queue_p50_us")), true) + td(fmtUs(num(k, "dispatch_p50_us")), true) + "</tr>\n";
        }
        out += "</tbody></table>\n";
    }

    // Ops table.
    const nlohmann::json& ops = arr(r, "ops");
    out += "<h2>Ops</h2>\n";
    appendTableHead(out, {"name", "calls", "self CPU", "CPU total", "self GPU", "GPU total"}, "ops");
    for (size_t i = 0; i < ops.size() && i < maxRows; ++i) {
        const auto& o = ops[i];
        out += "<tr>" + td(str(o, "name")) + td(fmtInt(num(o, "calls")), true) + td(fmtUs(num(o, "self_cpu_us")), true) +
               td(fmtUs(num(o, "cpu_total_us")), true) + td(fmtUs(num(o, "self_gpu_us")), true) +
               td(fmtUs(num(o, "gpu_total_us")), true) + "</tr>\n";
    }
    out += "</tbody></table>\n";
    if (ops.size() > maxRows)
        out += "<p class=\"muted\">" + std::to_string(ops.size() - maxRows) + " more ops not shown.</p>\n";

    out += "<p class=\"muted\">Made with gaplens. Open the trace itself with <code>gaplens-ui</code> or Perfetto UI.</p>\n";

    if (!in.traceGzip.empty()) {
        // Base64 has no character that could end a <script> element, so the data sits safely in one
        // whose type the browser never executes.
        out += "<script id=\"gaplens-trace\" type=\"application/gzip;base64\" data-title=\"";
        out += htmlEscape(in.title);
        out += "\" data-file-name=\"";
        out += htmlEscape(in.traceFileName);
        out += "\">\n";
        out += base64Encode(in.traceGzip);
        out += "\n</script>\n";
    }
    out += "<script>";
    out += kScript;
    out += "</script>\n</body></html>\n";
    return out;
}

}  // namespace gaplens
