#include "core/capture/CaptureReport.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "core/capture/CaptureVerdict.h"

#if __has_include("core/report/Report.h") && defined(GAPLENS_CAPTURE_USE_REPORT)
#include "core/io/ChromeTraceImporter.h"
#include "core/report/JobLoading.h"
#include "core/report/Report.h"
#define GAPLENS_VERDICT_FROM_REPORT 1
#endif

namespace gaplens::capture {
namespace {

std::string readAll(const std::string& path, std::string* error) {
    gzFile f = gzopen(path.c_str(), "rb");  // reads plain files too
    if (!f) {
        *error = path + ": cannot open";
        return {};
    }
    std::string out;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
    if (n < 0) *error = path + ": read error";
    gzclose(f);
    return out;
}

uint64_t toNs(const nlohmann::json& v, uint64_t base) {
    // ts is µs relative to baseTimeNanoseconds, 3 decimals: round to the ns.
    return base + uint64_t(llround(v.get<double>() * 1000.0));
}

}  // namespace

std::string loadCaptureFile(const std::string& path, CaptureData& data) {
    std::string error;
    const std::string text = readAll(path, &error);
    if (!error.empty()) return error;
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("traceEvents"))
        return path + ": not a Chrome trace (no traceEvents object)";
    const uint64_t base = doc.value("baseTimeNanoseconds", uint64_t(0));
    for (const auto& e : doc["traceEvents"]) {
        if (!e.is_object() || e.value("ph", "") != "X" || !e.contains("ts")) continue;
        const std::string cat = e.value("cat", "");
        const uint64_t start = toNs(e["ts"], base);
        const uint64_t end = start + uint64_t(llround(e.value("dur", 0.0) * 1000.0));
        const StringId name = data.strings.intern(e.value("name", ""));
        const auto pid = e.contains("pid") && e["pid"].is_number() ? e["pid"].get<int64_t>() : 0;
        const auto tid = e.contains("tid") && e["tid"].is_number() ? e["tid"].get<int64_t>() : 0;
        const nlohmann::json args = e.value("args", nlohmann::json::object());
        const uint32_t corr = args.value("correlation", 0u);
        if (cat == "user_annotation") {
            data.ranges.push_back({start, end, uint32_t(pid), uint32_t(tid), name});
        } else if (cat == "cuda_runtime" || cat == "cuda_driver") {
            data.apis.push_back({start, end, uint32_t(pid), uint32_t(tid), corr, args.value("cbid", 0u), name,
                                 cat == "cuda_driver"});
        } else if (cat == "kernel" || cat == "gpu_memcpy" || cat == "gpu_memset") {
            GpuRecord g;
            g.kind = cat == "kernel" ? GpuRecordKind::Kernel : cat == "gpu_memcpy" ? GpuRecordKind::Memcpy : GpuRecordKind::Memset;
            g.start = start;
            g.end = end;
            g.device = uint32_t(pid);
            g.stream = uint32_t(tid);
            g.correlation = corr;
            g.name = name;
            g.queued = args.value("queued", uint64_t(0));
            g.submitted = args.value("submitted", uint64_t(0));
            data.gpu.push_back(g);
        }
    }
    return "";
}

bool printTraceVerdict(const std::string& path, const std::string& label) {
    const std::string prefix = label.empty() ? "" : label + ": ";
#ifdef GAPLENS_VERDICT_FROM_REPORT
    Trace trace;
    const ImportResult imported = importChromeTrace(path, trace);
    if (imported.ok) {
        trace.finalize();
        std::printf("%s%s\n", prefix.c_str(), formatVerdictLine(buildReport(trace)).c_str());
        return true;
    }
#endif
    CaptureData data;
    if (std::string err = loadCaptureFile(path, data); !err.empty()) {
        std::fprintf(stderr, "gaplens capture: %s\n", err.c_str());
        return false;
    }
    std::printf("%s%s\n", prefix.c_str(), formatVerdict(computeVerdict(data)).c_str());
    return true;
}

bool printJobVerdict(const std::vector<std::string>& paths) {
    bool any = false;
#ifdef GAPLENS_VERDICT_FROM_REPORT
    // Each file on its own (a rank that cannot be read does not hide the others), then the job.
    std::vector<Report> reports;
    for (const std::string& path : paths) {
        LoadedJob one = loadJob({path});
        const std::string name = std::filesystem::path(path).filename().string();
        if (one.reports.empty()) {
            std::fprintf(stderr, "gaplens capture: %s\n", one.error.c_str());
            continue;
        }
        std::printf("%s: %s\n", name.c_str(), formatVerdictLine(one.reports[0]).c_str());
        reports.push_back(std::move(one.reports[0]));
        any = true;
    }
    std::vector<std::string> warnings;
    if (const auto job = jobOfReports(reports, JobOptions{}, true, warnings)) {
        for (const std::string& w : warnings) std::fprintf(stderr, "gaplens capture: warning: %s\n", w.c_str());
        std::printf("job: %s\n", formatJobVerdictLine(*job).c_str());
        for (const Advice& a : job->advice) std::printf("  [%s] %s\n", a.rule.c_str(), a.text.c_str());
    }
#else
    for (const std::string& path : paths)
        any = printTraceVerdict(path, std::filesystem::path(path).filename().string()) || any;
#endif
    return any;
}

}  // namespace gaplens::capture
