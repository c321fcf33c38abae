#include "core/share/ShareReport.h"

#include <filesystem>

#include "core/io/OutputFile.h"
#include "core/io/PerfettoJsonExporter.h"
#include "core/report/ComparisonReport.h"
#include "core/share/ComparePage.h"
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

namespace {

// The trace as a Perfetto JSON export with the findings as annotation tracks, gzip-compressed.
bool annotatedTraceGzip(const Trace& trace, const Report& report, std::string& gz, std::string& error) {
    ExportOptions options;
    options.annotations = findingsAnnotations(report);
    return gzipCompress(perfettoJsonString(trace, options), gz, error);
}

std::string exportFileName(const std::string& title) {
    return std::filesystem::path(title).stem().string() + ".gaplens.json";
}

}  // namespace

std::string writeSharePage(const Trace& trace, const Report& report, const std::string& title,
                           const std::string& outPath) {
    std::string gz, error;
    if (!annotatedTraceGzip(trace, report, gz, error)) return error;
    return writeFileAtomically(outPath,
                               renderSharePage(sharePageInputOf(report, title, std::move(gz), exportFileName(title))));
}

std::string writeComparePage(const Trace& traceA, const Report& reportA, const Trace& traceB, const Report& reportB,
                             const RunComparison& comparison, const std::string& outPath) {
    ComparePageInput in;
    const std::string nameA = std::filesystem::path(comparison.a.path).filename().string();
    const std::string nameB = std::filesystem::path(comparison.b.path).filename().string();
    in.title = nameA + " → " + nameB;
    in.comparison = comparisonToJson(comparison, 0);
    auto fill = [](ComparePageRun& run, const Trace& trace, const Report& report, const ComparedRun& compared,
                   const std::string& name, std::string& error) {
        run.label = name;
        for (const DeviceBusy& device : report.gpu.devices) {
            if (device.device != compared.device) continue;
            run.busy.push_back(busySeriesOf(device, compared.windowStartNs, compared.windowEndNs, kShareBusyBins));
            run.busy.back().label = "steady window: " + compared.window;
        }
        run.gaps = reportToJson(report)["gaps"];
        run.traceFileName = exportFileName(name);
        return annotatedTraceGzip(trace, report, run.traceGzip, error);
    };
    std::string error;
    if (!fill(in.before, traceA, reportA, comparison.a, nameA, error)) return error;
    if (!fill(in.after, traceB, reportB, comparison.b, nameB, error)) return error;
    return writeFileAtomically(outPath, renderComparePage(in));
}

}  // namespace gaplens
