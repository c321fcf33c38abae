#include "core/share/ShareReport.h"

#include <filesystem>

#include "core/io/OutputFile.h"
#include "core/io/PerfettoJsonExporter.h"
#include "core/share/FindingsAnnotations.h"
#include "core/share/GzipBytes.h"

namespace gaplens {

SharePageInput sharePageInputOf(const Report& report, std::string title, std::string traceGzip,
                                std::string traceFileName) {
    SharePageInput in;
    in.title = std::move(title);
    in.report = reportToJson(report);
    in.traceGzip = std::move(traceGzip);
    in.traceFileName = std::move(traceFileName);
    // Times are relative to the trace origin, which is its first event: the span is [0, span).
    for (const DeviceBusy& device : report.gpu.devices) {
        in.busy.push_back(busySeriesOf(device, 0, report.trace.spanNs, kShareBusyBins));
        in.busy.back().label = "whole trace";
        // The steady window is often a sliver after a long cold start: draw it on its own too.
        const BoundResult& b = report.bound;
        if (b.device == device.device && b.endNs > b.startNs && b.endNs - b.startNs < report.trace.spanNs * 9 / 10) {
            in.busy.push_back(busySeriesOf(device, b.startNs, b.endNs, kShareBusyBins));
            in.busy.back().label = b.window;
        }
    }
    return in;
}

std::string writeSharePage(const Report& report, const std::string& tracePath, const std::string& outPath) {
    std::string gz, error;
    if (!readFileAsGzip(tracePath, gz, error)) return error;
    const std::string name = std::filesystem::path(tracePath).filename().string();
    return writeFileAtomically(outPath, renderSharePage(sharePageInputOf(report, name, std::move(gz), name)));
}

std::string writeSharePage(const Trace& trace, const Report& report, const std::string& title,
                           const std::string& outPath) {
    ExportOptions options;
    options.annotations = findingsAnnotations(report);
    std::string gz, error;
    if (!gzipCompress(perfettoJsonString(trace, options), gz, error)) return error;
    std::string fileName = std::filesystem::path(title).stem().string() + ".gaplens.json";
    return writeFileAtomically(outPath, renderSharePage(sharePageInputOf(report, title, std::move(gz), fileName)));
}

}  // namespace gaplens
