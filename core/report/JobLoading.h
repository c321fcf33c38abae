#pragma once
// Reports of several files, and the job they form when they are ranks (DESIGN.md, analysis 10):
// what `gaplens report a.json b.json ...` and the end of `gaplens capture -- torchrun ...` show.
// Each file is imported and analysed on its own (the rank's gaps with causes as for one file);
// the job's figures come from the ranks' own figures (as `gaplens merge` does), and the
// straggler's trace is read once more to say what it ran while the others waited.
#include <optional>
#include <string>
#include <vector>

#include "core/report/JobReport.h"
#include "core/report/Report.h"

namespace gaplens {

struct LoadedJob {
    std::vector<Report> reports;     // one per file read, in the order given
    std::optional<JobReport> job;    // when at least two files are ranks and one carries distributedInfo
    std::vector<std::string> warnings;  // import warnings and files left out, one line each
    std::string error;               // the first file that could not be read (reports stop there)
    std::string failedPath;
};

LoadedJob loadJob(const std::vector<std::string>& paths, const ReportOptions& options = {},
                  const JobOptions& jobOptions = {});

// The job of ranks that are already analysed (per-file reports), with the straggler's activity read
// from its trace when `readStragglerTrace`. Empty when fewer than two are ranks or none has a known rank.
std::optional<JobReport> jobOfReports(const std::vector<Report>& reports, const JobOptions& jobOptions,
                                      bool readStragglerTrace, std::vector<std::string>& warnings);

// `gaplens merge`: the job of per-rank reports (`gaplens report --format json` of each rank's
// trace) from those files alone. Files that cannot be read are named in `errors` and left out;
// empty when no rank could be read.
std::optional<JobReport> mergeRankReports(const std::vector<std::string>& paths, const JobOptions& jobOptions,
                                          std::vector<std::string>& errors, std::vector<std::string>& warnings,
                                          unsigned threads = 0);

}  // namespace gaplens
