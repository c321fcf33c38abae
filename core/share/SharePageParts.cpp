#include "core/share/SharePageParts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/share/Base64.h"

namespace gaplens {

namespace {

constexpr const char* kStyle = R"CSS(
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
.perfetto-status{color:#555;margin-left:10px}
.worse{color:#c62828;font-weight:600} .better{color:#2e7d32;font-weight:600}
#summary{background:#fafafa;border-left:3px solid #1a73e8;padding:8px 12px}
)CSS";

// Decodes the embedded traces in the browser. On load it counts each one's events (shown in the
// element its data-count names, which is also how the tests check the embedding round-trips);
// each button opens ui.perfetto.dev first (synchronously, inside the click, so no popup blocker
// stops it), then PINGs until the UI answers PONG, then posts {perfetto: {buffer, title, fileName}}.
constexpr const char* kScript = R"JS(
const PERFETTO_ORIGIN = 'https://ui.perfetto.dev';
const AUTO_DECODE_LIMIT = 16 * 1024 * 1024;  // larger traces are decoded only when asked
function embeddedBytes(el) {
  const b64 = el.textContent.replace(/\s+/g, '');
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; ++i) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
async function decodeTrace(el) {
  const stream = new Blob([embeddedBytes(el)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return await new Response(stream).arrayBuffer();
}
function countEvents(buffer) {
  const doc = JSON.parse(new TextDecoder().decode(buffer));
  const events = Array.isArray(doc) ? doc : (doc.traceEvents || []);
  return events.length;
}
async function showEventCount(el) {
  const out = document.getElementById(el.dataset.count);
  if (!out) return;
  try {
    if (el.textContent.length * 3 / 4 > AUTO_DECODE_LIMIT) { out.textContent = 'not decoded yet (large trace)'; return; }
    const buffer = await decodeTrace(el);
    out.textContent = String(countEvents(buffer));
    out.dataset.bytes = String(buffer.byteLength);
  } catch (e) {
    out.textContent = 'error: ' + e;
  }
}
async function openInPerfetto(el, status) {
  const win = window.open(PERFETTO_ORIGIN);
  if (!win) { status.textContent = 'The browser blocked the new window: allow pop-ups for this page.'; return; }
  status.textContent = 'Decoding the trace…';
  let buffer;
  try { buffer = await decodeTrace(el); } catch (e) { status.textContent = 'Cannot decode the trace: ' + e; return; }
  status.textContent = 'Waiting for Perfetto UI…';
  const timer = setInterval(() => win.postMessage('PING', PERFETTO_ORIGIN), 50);
  const onMessage = (e) => {
    if (e.source !== win || e.data !== 'PONG') return;
    clearInterval(timer);
    window.removeEventListener('message', onMessage);
    win.postMessage({perfetto: {buffer: buffer, title: el.dataset.title, fileName: el.dataset.fileName}}, PERFETTO_ORIGIN);
    status.textContent = 'Sent to Perfetto UI.';
  };
  window.addEventListener('message', onMessage);
}
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[data-trace]')) {
    const el = document.getElementById(button.dataset.trace);
    const status = document.getElementById(button.dataset.status);
    if (el && status) button.addEventListener('click', () => openInPerfetto(el, status));
  }
  for (const el of document.querySelectorAll('script.gaplens-trace')) showEventCount(el);
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

double jsonNumber(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return 0;
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string jsonText(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_boolean()) return it->get<bool>() ? "yes" : "no";
    if (it->is_number()) return it->dump();
    return {};
}

const nlohmann::json& jsonArray(const nlohmann::json& j, const char* key) {
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

std::string td(const std::string& text, bool numeric) {
    return std::string(numeric ? "<td class=\"n\">" : "<td>") + htmlEscape(text) + "</td>";
}

// GPU busy over time per device, with the listed gaps drawn under it in their cause colours.
void appendBusySvg(std::string& out, const std::vector<BusySeries>& series, const nlohmann::json& gaps) {
    const int width = 960, plotH = 90, stripH = 14, axisH = 18, left = 44;
    for (const BusySeries& s : series) {
        if (s.busy.empty()) continue;
        const int plotW = width - left - 8;
        const int height = plotH + stripH + axisH + 8;
        const double t0Us = double(s.startNs) / 1e3;
        const double t1Us = double(s.startNs + s.binNs * TimeNs(s.busy.size())) / 1e3;
        const double wUs = std::max(1e-9, t1Us - t0Us);
        char buf[256];
        // The caption holds the window's name, of any length: appended, not printed into buf.
        out += "<figure><figcaption>GPU " + std::to_string(s.device) + " busy over time, " +
               htmlEscape(s.label.empty() ? "whole trace" : s.label) + " (" + std::to_string(s.busy.size()) +
               " bins of " + fmtUs(double(s.binNs) / 1e3) + ")</figcaption>";
        std::snprintf(buf, sizeof buf,
                      "<svg class=\"busy\" data-device=\"%d\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                      "xmlns=\"http://www.w3.org/2000/svg\">\n",
                      s.device, width, height, width, height);
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
            if (int(jsonNumber(g, "device")) != s.device) continue;
            if (jsonNumber(g, "start_us") + jsonNumber(g, "dur_us") < t0Us || jsonNumber(g, "start_us") > t1Us) continue;
            const double gs = std::max(jsonNumber(g, "start_us"), t0Us);
            const double ge = std::min(jsonNumber(g, "start_us") + jsonNumber(g, "dur_us"), t1Us);
            const double x = left + plotW * (gs - t0Us) / wUs;
            const double w = std::max(0.75, plotW * (ge - gs) / wUs);
            std::snprintf(buf, sizeof buf,
                          "<rect class=\"gap\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                          "<title>",
                          x, stripY, w, stripH, causeColor(jsonText(g, "cause")));
            out += buf;
            out += htmlEscape(jsonText(g, "cause") + " " + fmtUs(jsonNumber(g, "dur_us")) + " at " + fmtUs(jsonNumber(g, "start_us")));
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
}

void appendPageHead(std::string& out, const std::string& title) {
    out += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>gaplens: ";
    out += htmlEscape(title);
    out += "</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head><body>\n";
}

void appendPageEnd(std::string& out) {
    out += "<script>";
    out += kScript;
    out += "</script>\n</body></html>\n";
}

void appendPerfettoButton(std::string& out, const EmbeddedTraceIds& ids, const std::string& label, size_t gzipBytes) {
    out += "<button id=\"" + ids.button + "\" data-trace=\"" + ids.trace + "\" data-status=\"" + ids.status + "\">" +
           htmlEscape(label) + "</button><span class=\"perfetto-status\" id=\"" + ids.status + "\"></span></p>\n"
           "<p class=\"muted\">The trace is inside this page (" + htmlEscape(fmtFixed(double(gzipBytes) / 1024.0, 0)) +
           " KiB gzip). Events decoded in this browser: <b id=\"" + ids.count + "\">…</b>. "
           "The button hands it to ui.perfetto.dev, which opens it in your browser; nothing is uploaded.";
}

void appendEmbeddedTrace(std::string& out, const EmbeddedTraceIds& ids, const std::string& title,
                         const std::string& fileName, const std::string& gzip) {
    // Base64 has no character that could end a <script> element, so the data sits safely in one
    // whose type the browser never executes.
    out += "<script id=\"" + ids.trace + "\" class=\"gaplens-trace\" type=\"application/gzip;base64\" data-count=\"" +
           ids.count + "\" data-title=\"";
    out += htmlEscape(title);
    out += "\" data-file-name=\"";
    out += htmlEscape(fileName);
    out += "\">\n";
    out += base64Encode(gzip);
    out += "\n</script>\n";
}

}  // namespace gaplens
