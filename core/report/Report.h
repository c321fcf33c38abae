#pragma once
// The report: every analysis of one trace, aggregated, plus the renderers the CLI, the UI and the
// capture engine share (text, Markdown, JSON in the DESIGN.md schema, CSV of the gaps).
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/analysis/Advice.h"
#include "core/analysis/BoundClass.h"
#include "core/analysis/Collectives.h"
#include "core/analysis/DeadWindows.h"
#include "core/analysis/GapCauses.h"
#include "core/analysis/GpuBusy.h"
#include "core/analysis/LaunchLatency.h"
#include "core/analysis/OpsByRange.h"
#include "core/analysis/OpsTable.h"
#include "core/analysis/Sweep.h"
#include "core/model/Trace.h"

namespace gaplens {

struct ReportOptions {
    TimeNs minGapNs = 1000;              // gaps shorter than this are counted in totals, not listed
    std::string sortKey = "cpu_total";   // ops table sort key (see sortOpsTable)
    int top = 0;                         // ops table rows shown, 0 = all (per range group when grouped)
    bool groupOpsByRange = false;        // also build and render the ops table grouped by range
    std::string path;                    // shown as trace.path; defaults to the trace's source paths
    // The text naming what the host did in each listed gap (GapAnalysis::detailText). The costly
    // part of a report on millions of gaps; a comparison of runs does not read it.
    bool gapDetails = true;
};

struct TraceSummary {
    std::string path;
    uint64_t events = 0;
    int cpuThreads = 0;
    int gpuStreams = 0;
    std::vector<int> devices;
    TimeNs spanNs = 0;
    std::vector<std::string> warnings;  // import warnings, shown with the report
};

struct Report {
    ReportOptions options;
    TraceSummary trace;
    OpsTable ops;            // sorted by options.sortKey; all rows (top is applied when rendering)
    OpsByRange opsByRange;   // only with options.groupOpsByRange; rows sorted by options.sortKey
    GpuBusy gpu;
    GapAnalysis gaps;        // all gaps with totals; listed = dur >= options.minGapNs
    LaunchLatency launchLatency;
    DeadWindows deadWindows;
    BoundResult bound;
    std::vector<Advice> advice;
    SweepRow sweepRow;       // this run as one row of a sweep
    // A rank of a job (a trace of one file with distributedInfo or collective kernels): its own
    // figures and collective arrivals, JSON "ranks" (what `gaplens merge` reads).
    std::optional<RankCollectives> rank;
};

Report buildReport(const Trace& trace, const ReportOptions& options = {});

// The gaps that are listed (dur >= options.minGapNs), longest first.
std::vector<const Gap*> listedGaps(const Report& report);

// One line: busy %, dead window cold/steady, bound class.
std::string formatVerdictLine(const Report& report);

// The advice list as the report renders it (shared with the job report): text lines after a
// heading, Markdown list items under a "## Advice" heading, JSON [{"rule", "saving_us", "text", "evidence"}].
std::string adviceToText(const std::vector<Advice>& advice);
std::string adviceToMarkdown(const std::vector<Advice>& advice);
nlohmann::json adviceToJson(const std::vector<Advice>& advice);

std::string reportToText(const Report& report);
std::string reportToMarkdown(const Report& report);
nlohmann::json reportToJson(const Report& report);  // the DESIGN.md schema exactly
// The same text as reportToJson(report).dump(1), written to `out` as it is made: the listed gaps
// (nearly all of a big trace's report) are turned into JSON one at a time, never all at once
// (on a 600,000-event trace the whole document took 36 MB and its text 13 MB more).
void writeReportJson(const Report& report, std::ostream& out);
std::string gapsToCsv(const Report& report);

// Several runs: the sweep of their rows, and its renderings.
Sweep sweepOf(const std::vector<Report>& reports);
std::string sweepToText(const Sweep& sweep);
std::string sweepToMarkdown(const Sweep& sweep);
nlohmann::json sweepToJson(const Sweep& sweep);

}  // namespace gaplens
