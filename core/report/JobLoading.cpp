#include "core/report/JobLoading.h"

#include "core/io/ChromeTraceImporter.h"
#include "core/report/RankReportReader.h"
#include "core/report/ReportLoading.h"

namespace gaplens {

std::optional<JobReport> jobOfReports(const std::vector<Report>& reports, const JobOptions& jobOptions,
                                      bool readStragglerTrace, std::vector<std::string>& warnings) {
    std::vector<RankCollectives> ranks;
    bool anyKnown = false;
    for (const Report& r : reports)
        if (r.rank) {
            ranks.push_back(*r.rank);
            anyKnown = anyKnown || r.rank->rankKnown;
        }
    if (ranks.size() < 2 || !anyKnown) return std::nullopt;
    if (ranks.size() < reports.size())
        warnings.push_back(std::to_string(reports.size() - ranks.size()) +
                           " file(s) without distributedInfo or collective kernels left out of the job");
    numberRanksInOrder(ranks, warnings);
    JobCollectives job = analyzeCollectives(std::move(ranks), jobOptions);
    if (readStragglerTrace && job.straggler) {
        const RankCollectives& s = job.ranks[job.straggler->rank];
        Trace trace;
        if (importTraces({s.path}, trace).ok) job.straggler->activity = activityIn(trace, 0, job.straggler->waited);
    }
    return makeJobReport(std::move(job));
}

LoadedJob loadJob(const std::vector<std::string>& paths, const ReportOptions& options, const JobOptions& jobOptions) {
    LoadedJob out;
    for (const std::string& path : paths) {
        LoadedReport loaded = loadReport(path, options);
        for (std::string& w : loaded.warnings) out.warnings.push_back(std::move(w));
        if (!loaded.report) {
            out.error = loaded.error;
            out.failedPath = path;
            return out;
        }
        out.reports.push_back(std::move(*loaded.report));
    }
    if (paths.size() > 1) out.job = jobOfReports(out.reports, jobOptions, true, out.warnings);
    return out;
}

std::optional<JobReport> mergeRankReports(const std::vector<std::string>& paths, const JobOptions& jobOptions,
                                          std::vector<std::string>& errors, std::vector<std::string>& warnings,
                                          unsigned threads) {
    RankReports read = readRankReports(paths, threads);
    errors = std::move(read.errors);
    if (read.ranks.empty()) return std::nullopt;
    numberRanksInOrder(read.ranks, warnings);
    return makeJobReport(analyzeCollectives(std::move(read.ranks), jobOptions));
}

}  // namespace gaplens
