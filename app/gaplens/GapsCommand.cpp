// gaplens gaps run.json [--min-gap 10us] [--csv]: the idle gaps, longest first, with their causes.
#include <cstdio>
#include <iostream>

#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#include "core/model/TimeText.h"
#include "core/report/ReportLoading.h"

namespace gaplens::cli {

int gapsCommand(const std::vector<std::string>& args) {
    std::string input;
    bool csv = false;
    ReportOptions options;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string value;
        if (a == "--csv") {
            csv = true;
        } else if ((a == "--min-gap" && i + 1 < args.size()) || a.rfind("--min-gap=", 0) == 0) {
            value = a == "--min-gap" ? args[++i] : a.substr(10);
            const auto d = parseDuration(value);
            if (!d || *d < 0) return usageError("gaps", "bad --min-gap '" + value + "' (e.g. 10us, 1.5ms, 200ns)");
            options.minGapNs = *d;
        } else if (!a.empty() && a[0] == '-') {
            return unknownOption("gaps", a);
        } else if (input.empty()) {
            input = a;
        } else {
            return usageError("gaps", "one trace at a time");
        }
    }
    if (input.empty()) return missingArguments("gaps");
    LoadedReport loaded = loadReport(input, options);
    for (const std::string& w : loaded.warnings) std::fprintf(stderr, "gaplens: warning: %s\n", w.c_str());
    if (!loaded.report) {
        std::fprintf(stderr, "gaplens: %s\n", loaded.error.c_str());
        return kBadInput;
    }
    const Report& r = *loaded.report;
    if (csv) {
        std::cout << gapsToCsv(r);
        return kOk;
    }
    const auto listed = listedGaps(r);
    std::cout << listed.size() << " gaps >= " << formatDuration(options.minGapNs) << " of " << r.gaps.gaps.size()
              << ", idle " << formatDuration(r.gaps.idleNs) << "\n";
    for (const Gap* g : listed)
        std::cout << "  " << formatDuration(g->dur) << "\tat " << formatDuration(g->start) << "\tgpu" << g->device
                  << "\t" << gapCauseName(g->cause) << "\t" << r.gaps.detailOf(*g) << "\n";
    std::cout << "idle time per cause:\n";
    for (int c = 0; c < kGapCauseCount; ++c) {
        const CauseTotal& t = r.gaps.totals[size_t(c)];
        if (t.count) std::cout << "  " << gapCauseName(GapCause(c)) << "\t" << formatDuration(t.totalNs) << "\t" << t.count << " gaps\n";
    }
    return kOk;
}

}  // namespace gaplens::cli
