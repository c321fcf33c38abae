#pragma once
// What the app holds for the files it has open: the trace (one timeline for all files), core's
// report of it, and, when several files were opened, one report per file and their sweep, or the
// job they form when they are ranks.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QMetaType>
#include <QStringList>

#include "core/model/Trace.h"
#include "core/report/JobReport.h"
#include "core/report/Report.h"

namespace gaplens {

struct LoadedTrace {
    QStringList paths;
    std::shared_ptr<const Trace> trace;
    std::shared_ptr<const Report> report;
    std::vector<std::string> warnings;  // import warnings (truncated file, skipped events), one line each
    std::vector<Report> perFile;        // one report per file, only when several files were opened
    std::optional<Sweep> sweep;         // their sweep (sizes, µs/iter, busy %, crossover); not for a job's ranks
    // The files are the ranks of one job (distributedInfo): their collectives, on the trace's clock
    // (ranks of other hosts already shifted in `trace`), and the straggler advice.
    std::shared_ptr<const JobReport> job;
};

struct LoadOptions {
    TimeNs minGapNs = 1000;
    // Several files recorded one after another (a sweep): each starts at t=0 instead of at its
    // absolute time (ImportOptions::alignFilesAtStart).
    bool alignFilesAtStart = false;
};

}  // namespace gaplens

Q_DECLARE_METATYPE(std::shared_ptr<const gaplens::LoadedTrace>)
