#include "core/capture/CaptureReport.h"

#include <cstdio>
#include <filesystem>

#include "core/io/ChromeTraceImporter.h"
#include "core/report/JobLoading.h"
#include "core/report/Report.h"

namespace gaplens::capture {

bool printTraceVerdict(const std::string& path, const std::string& label) {
    Trace trace;
    const ImportResult imported = importChromeTrace(path, trace);
    if (!imported.ok) {
        std::fprintf(stderr, "gaplens capture: %s\n", imported.error.c_str());
        return false;
    }
    trace.finalize();
    const std::string prefix = label.empty() ? "" : label + ": ";
    std::printf("%s%s\n", prefix.c_str(), formatVerdictLine(buildReport(trace)).c_str());
    return true;
}

bool printJobVerdict(const std::vector<std::string>& paths) {
    bool any = false;
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
    return any;
}

}  // namespace gaplens::capture
