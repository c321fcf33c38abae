#pragma once
// The report of a job of several ranks (DESIGN.md, analyses 10 and 11): the collectives analysis,
// its advice, and the renderers. Also the per-rank section that every `gaplens report --format
// json` of a rank carries ("ranks": the rank's own figures and its collective arrivals), which is
// all `gaplens merge` needs to compute the job's figures where the traces are not.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/analysis/Advice.h"
#include "core/analysis/Collectives.h"

namespace gaplens {

struct JobReport {
    JobCollectives job;
    std::vector<Advice> advice;  // the straggler rule, when it applies
};

// The advice of an analysed job (call after filling job.straggler->activity where the trace is at hand).
JobReport makeJobReport(JobCollectives job);

// One rank as JSON: its own figures, and with `figures` the job's (wait, transfer, busy excluding
// wait, last to arrive, clock offset; null without). With `withCollectives` its collective kernels:
// [{"seq", "name", "stream", "group", "start_us_abs", "dur_us", "alone_us"}].
nlohmann::json rankToJson(const RankCollectives& rank, const RankFigures* figures, bool withCollectives);

// Text (ranks, largest skews, straggler, advice), Markdown, and JSON:
// {"ranks": [...], "collectives": [{"group", "seq", "name", "first_rank", "last_rank", "skew_us",
//  "wait_us", "first_arrival_us_abs"}], "clock": {"aligned", "note", "offsets_us"}, "straggler": {...}|null,
//  "advice": [...], "warnings": [...]}
std::string jobToText(const JobReport& report);
std::string jobToMarkdown(const JobReport& report);
nlohmann::json jobToJson(const JobReport& report);

// One line for the end of a capture: ranks, collective wait, straggler.
std::string formatJobVerdictLine(const JobReport& report);

}  // namespace gaplens
