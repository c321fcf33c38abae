#pragma once
// The report: every analysis of one trace, aggregated, plus the renderers the CLI, the UI and the
// capture engine share (text, Markdown, JSON in the DESIGN.md schema, CSV of the gaps).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/analysis/Advice.h"
#include "core/analysis/BoundClass.h"
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
};

Report buildReport(const Trace& trace, const ReportOptions& options = {});

// The gaps that are listed (dur >= options.minGapNs), longest first.
std::vector<const Gap*> listedGaps(const Report& report);

// One line: busy %, dead window cold/steady, bound class.
std::string formatVerdictLine(const Report& report);

std::string reportToText(const Report& report);
std::string reportToMarkdown(const Report& report);
nlohmann::json reportToJson(const Report& report);  // the DESIGN.md schema exactly
std::string gapsToCsv(const Report& report);

// Several runs: the sweep of their rows, and its renderings.
Sweep sweepOf(const std::vector<Report>& reports);
std::string sweepToText(const Sweep& sweep);
std::string sweepToMarkdown(const Sweep& sweep);
nlohmann::json sweepToJson(const Sweep& sweep);

}  // namespace gaplens
