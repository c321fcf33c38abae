#pragma once
// What the app holds for the files it has open: the trace (one timeline for all files), core's
// report of it, and, when several files were opened, one report per file and their sweep.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QMetaType>
#include <QStringList>

#include "core/model/Trace.h"
#include "core/report/Report.h"

namespace gaplens {

struct LoadedTrace {
    QStringList paths;
    std::shared_ptr<const Trace> trace;
    std::shared_ptr<const Report> report;
    std::vector<std::string> warnings;  // import warnings (truncated file, skipped events), one line each
    std::vector<Report> perFile;        // one report per file, only when several files were opened
    std::optional<Sweep> sweep;         // their sweep (sizes, µs/iter, busy %, crossover)
};

struct LoadOptions {
    TimeNs minGapNs = 1000;
    // Several files recorded one after another (a sweep): each starts at t=0 instead of at its
    // absolute time (ImportOptions::alignFilesAtStart).
    bool alignFilesAtStart = false;
};

}  // namespace gaplens

Q_DECLARE_METATYPE(std::shared_ptr<const gaplens::LoadedTrace>)
