#include "ui/app/TraceLoader.h"

#include <QFileInfo>

#include "core/analysis/JobRanks.h"
#include "core/io/ChromeTraceImporter.h"

namespace gaplens {

std::shared_ptr<const JobReport> analyzeJob(Trace& trace, std::vector<std::string>& warnings) {
    const JobRanks ranks = findJobRanks(trace);
    if (!ranks.job) return nullptr;
    warnings.insert(warnings.end(), ranks.warnings.begin(), ranks.warnings.end());
    std::vector<RankCollectives> per;
    for (const RankFile& r : ranks.ranks) per.push_back(computeRankCollectives(trace, r));
    JobCollectives job = analyzeCollectives(std::move(per));
    warnings.insert(warnings.end(), job.warnings.begin(), job.warnings.end());
    // What the straggler ran while the others waited: on its own clock, before any shift.
    if (job.straggler)
        job.straggler->activity = activityIn(trace, job.ranks[job.straggler->rank].file, job.straggler->waited);
    if (job.clockAligned) {
        std::vector<std::pair<uint32_t, TimeNs>> shifts;
        for (size_t r = 0; r < job.ranks.size(); ++r) shifts.push_back({job.ranks[r].file, job.figures[r].offsetNs});
        shiftFileTimes(trace, shifts);
    }
    return std::make_shared<const JobReport>(makeJobReport(std::move(job)));
}

std::shared_ptr<LoadedTrace> loadTraces(const QStringList& paths, const LoadOptions& options,
                                        const std::function<void(int percent)>& progress,
                                        const std::atomic<bool>* cancel, QString& error) {
    if (paths.isEmpty()) {
        error = QStringLiteral("no file to open");
        return nullptr;
    }
    std::vector<std::string> files;
    for (const QString& p : paths) files.push_back(p.toStdString());

    // Import takes most of the time: 0..80 %, spread over the files; the report the rest.
    ImportOptions importOptions;
    importOptions.cancel = cancel;
    size_t fileIndex = 0;
    uint64_t lastDone = 0;
    importOptions.progress = [&](uint64_t done, uint64_t total) {
        if (!progress) return;
        if (done < lastDone) ++fileIndex;  // a new file started
        lastDone = done;
        const double inFile = total > 0 ? double(done) / double(total) : 0.5;
        const double all = (double(std::min(fileIndex, files.size() - 1)) + inFile) / double(files.size());
        progress(static_cast<int>(80 * all));
    };

    importOptions.alignFilesAtStart = options.alignFilesAtStart;
    auto trace = std::make_shared<Trace>();
    const ImportResult imported = importTraces(files, *trace, importOptions);
    if (cancel && cancel->load()) {
        error = QStringLiteral("cancelled");
        return nullptr;
    }
    if (!imported.ok) {
        error = QString::fromStdString(imported.error);
        return nullptr;
    }
    if (trace->eventCount() == 0) {
        error = QStringLiteral("%1: no events").arg(paths.join(QStringLiteral(", ")));
        return nullptr;
    }

    auto result = std::make_shared<LoadedTrace>();
    result->paths = paths;
    result->warnings = imported.warnings;
    if (!imported.error.empty()) result->warnings.insert(result->warnings.begin(), imported.error);
    if (!options.alignFilesAtStart) result->job = analyzeJob(*trace, result->warnings);
    ReportOptions reportOptions;
    reportOptions.minGapNs = options.minGapNs;
    if (progress) progress(85);
    auto report = std::make_shared<Report>(buildReport(*trace, reportOptions));
    report->trace.warnings = result->warnings;

    // A sweep needs each run on its own: several files are several runs (sizes) as well as
    // several processes on one timeline.
    if (files.size() > 1) {
        for (size_t i = 0; i < files.size(); ++i) {
            if (cancel && cancel->load()) {
                error = QStringLiteral("cancelled");
                return nullptr;
            }
            Trace single;
            ImportOptions singleOptions;
            singleOptions.cancel = cancel;
            if (!importTraces({files[i]}, single, singleOptions).ok) continue;
            ReportOptions one = reportOptions;
            one.path = files[i];
            result->perFile.push_back(buildReport(single, one));
            if (progress) progress(85 + int(15.0 * double(i + 1) / double(files.size())));
        }
        if (result->perFile.size() > 1 && !result->job) result->sweep = sweepOf(result->perFile);
    }
    if (progress) progress(100);
    result->trace = std::move(trace);
    result->report = std::move(report);
    return result;
}

TraceLoader::TraceLoader(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const gaplens::LoadedTrace>>();
}

void TraceLoader::load(const QStringList& paths, qint64 minGapNs, bool alignFilesAtStart) {
    stop_.store(false);
    QString error;
    LoadOptions options;
    options.minGapNs = minGapNs;
    options.alignFilesAtStart = alignFilesAtStart;
    int lastPercent = -1;
    auto result = loadTraces(
        paths, options,
        [&](int percent) {
            if (percent != lastPercent) emit progress(lastPercent = percent);
        },
        &stop_, error);
    if (result) emit loaded(std::move(result));
    else emit failed(error);
}

}  // namespace gaplens
