#pragma once
// Loads traces off the UI thread, as KDAB hotspot's parser does: a QObject living on a worker
// thread, typed signals for progress, the result and failure, and an atomic stop flag that the
// importer polls. The window stays responsive and a load can be cancelled.
#include <atomic>
#include <functional>
#include <memory>

#include <QObject>
#include <QString>
#include <QStringList>

#include "ui/app/LoadedTrace.h"

namespace gaplens {

// The work itself, synchronous and Qt-free in spirit: import all files onto one timeline, build the
// report (and per-file reports + sweep for several files). Returns null with `error` set when
// nothing could be read or the load was cancelled.
std::shared_ptr<LoadedTrace> loadTraces(const QStringList& paths, const LoadOptions& options,
                                        const std::function<void(int percent)>& progress,
                                        const std::atomic<bool>* cancel, QString& error);

// The job of the files in `trace` when they are ranks (null otherwise): the collectives analysis,
// with ranks of other hosts shifted onto the job's clock in `trace` itself. Warnings are appended.
std::shared_ptr<const JobReport> analyzeJob(Trace& trace, std::vector<std::string>& warnings);

class TraceLoader : public QObject {
    Q_OBJECT
public:
    explicit TraceLoader(QObject* parent = nullptr);
    // Thread-safe: asks a running load to stop; it then emits failed("cancelled").
    void requestStop() { stop_.store(true); }

public slots:
    void load(const QStringList& paths, qint64 minGapNs, bool alignFilesAtStart);

signals:
    void progress(int percent);
    void loaded(std::shared_ptr<const gaplens::LoadedTrace> result);
    void failed(const QString& error);

private:
    std::atomic<bool> stop_{false};
};

}  // namespace gaplens
