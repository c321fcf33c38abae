#pragma once
// Reads back the "ranks" section of per-rank reports (`gaplens report --format json`, one per
// rank, made where each trace lives) for `gaplens merge`. Only that section is decoded: the rest of
// a report (ops, gaps, ...) is skipped without building it, so thousands of reports merge in
// seconds. Files are mapped, not copied; .json.gz reports are read too. A report of several files
// ({"reports": [...]}) gives the ranks of each.
#include <string>
#include <vector>

#include "core/analysis/Collectives.h"

namespace gaplens {

struct RankReports {
    std::vector<RankCollectives> ranks;  // in the order of the files, then of their "ranks"
    std::vector<std::string> errors;     // one line per file that could not be read ("<path>: <what>")
};

// Reads every file; files are parsed on up to `threads` threads (0: as many as the machine has).
RankReports readRankReports(const std::vector<std::string>& paths, unsigned threads = 0);

// One document already in memory (tests); "" or the error. Appends its ranks to `out`.
std::string readRankReportText(const std::string& text, const std::string& path, std::vector<RankCollectives>& out);

}  // namespace gaplens
