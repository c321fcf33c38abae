#include "ui/app/SummaryModel.h"

#include <algorithm>

#include <QFont>

#include "ui/app/Formatting.h"

namespace gaplens {

namespace {
QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), int(s.size())); }
}  // namespace

SummaryModel::SummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void SummaryModel::setReport(std::shared_ptr<const Report> report) {
    beginResetModel();
    report_ = std::move(report);
    rows_.clear();
    if (report_) {
        const Report& r = *report_;
        auto add = [&](QString finding, QString value) { rows_.push_back({std::move(finding), std::move(value), false}); };
        auto heading = [&](QString text) { rows_.push_back({std::move(text), QString(), true}); };

        heading(tr("Verdict"));
        add(tr("Bound"), qstr(boundClassName(r.bound.cls)));
        add(tr("Window"), QString::fromStdString(r.bound.window));
        add(tr("GPU busy (window)"), percentText(r.bound.busyPct));
        add(tr("Kernels busy (window)"),
            QStringLiteral("%1 (%2)").arg(percentText(r.bound.computeBusyPct), durationText(r.bound.computeBusyNs)));
        add(tr("Copies busy (window)"),
            QStringLiteral("%1 (%2)").arg(percentText(r.bound.copyBusyPct), durationText(r.bound.copyBusyNs)));
        if (r.bound.computeIdleWhileCopyingNs > 0)
            add(tr("Compute idle while copying (window)"), durationText(r.bound.computeIdleWhileCopyingNs));
        add(tr("CPU time (window)"), durationText(r.bound.cpuNs));
        if (r.bound.blockedNs > 0) add(tr("Blocked in syncs (left out)"), durationText(r.bound.blockedNs));
        add(tr("GPU time / CPU time"), QString::number(r.bound.gpuOverCpu, 'f', 3));
        if (r.bound.kind != WindowKind::WholeTrace) add(tr("Iterations"), QString::number(r.bound.instances));
        if (r.bound.unknownNs > 0) add(tr("Left out: GPU on earlier work"), durationText(r.bound.unknownNs));
        if (r.bound.cpuPerIterNs > 0) {
            add(tr("CPU per iteration"), durationText(r.bound.cpuPerIterNs));
            add(tr("GPU per iteration"), durationText(r.bound.gpuPerIterNs));
        }
        add(tr("In one line"), QString::fromStdString(formatVerdictLine(r)));

        heading(tr("Trace"));
        add(tr("Events"), QString::number(r.trace.events));
        add(tr("CPU threads / GPU streams"), QStringLiteral("%1 / %2").arg(r.trace.cpuThreads).arg(r.trace.gpuStreams));
        add(tr("Span"), durationText(r.trace.spanNs));

        for (const DeviceBusy& d : r.gpu.devices) {
            heading(tr("GPU %1").arg(d.device));
            add(tr("Busy"), QStringLiteral("%1 (%2)").arg(percentText(d.busyPct()), durationText(d.busyNs)));
            add(tr("Idle"), durationText(d.idleNs));
            add(tr("Kernels"), QStringLiteral("%1 (%2)").arg(d.kernels).arg(durationText(d.kernelNs)));
            add(tr("Compute busy (kernels)"), durationText(d.computeBusyNs));
            add(tr("Copy busy (memcpy, memset)"), durationText(d.copyBusyNs));
            add(tr("Compute idle while copying"), durationText(d.computeIdleWhileCopyingNs));
            if (d.unknownNs > 0) add(tr("Unknown before first op"), durationText(d.unknownNs));
        }

        heading(tr("Launch latency"));
        add(tr("Launches"), QString::number(r.launchLatency.count));
        add(tr("Launch → start p50"), durationText(r.launchLatency.p50Ns));
        add(tr("Queue wait p50"), durationText(r.launchLatency.queueP50Ns));
        add(tr("Dispatch p50"), durationText(r.launchLatency.dispatchP50Ns));

        heading(tr("Idle time by cause"));
        add(tr("Total idle"), durationText(r.gaps.idleNs));
        for (int c = 0; c < kGapCauseCount; ++c) {
            const CauseTotal& t = r.gaps.totals[size_t(c)];
            if (t.count == 0) continue;
            add(qstr(gapCauseName(GapCause(c))), tr("%1 in %n gap(s)", nullptr, int(t.count)).arg(durationText(t.totalNs)));
        }

        TimeNs coldMax = 0;
        int coldCount = 0, withWork = 0;
        for (const auto& w : r.deadWindows.windows) {
            if (!w.hasGpuWork) continue;
            ++withWork;
            if (w.cold) {
                ++coldCount;
                coldMax = std::max(coldMax, w.durNs);
            }
        }
        if (withWork > 0) {
            heading(tr("Dead windows"));
            add(tr("Range instances"), QString::number(withWork));
            add(tr("Cold instances"), QString::number(coldCount));
            if (coldCount > 0) add(tr("Largest cold dead window"), durationText(coldMax));
        }

        if (!r.advice.empty()) {
            heading(tr("What to try"));
            for (const Advice& a : r.advice)
                add(QString::fromStdString(a.rule),
                    tr("%1 (up to %2)").arg(QString::fromStdString(a.text), durationText(a.savingNs)));
        }
        if (!r.trace.warnings.empty()) {
            heading(tr("Warnings"));
            for (const auto& w : r.trace.warnings) add(tr("Import"), QString::fromStdString(w));
        }
    }
    endResetModel();
}

QString SummaryModel::valueOf(const QString& finding) const {
    for (const Row& row : rows_)
        if (!row.heading && row.finding == finding) return row.value;
    return {};
}

int SummaryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int SummaryModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const Row& row = rows_[size_t(index.row())];
    if (role == Qt::FontRole && row.heading) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::ToolTipRole && index.column() == Value) return row.value;
    if (role != Qt::DisplayRole) return {};
    return index.column() == Finding ? row.finding : row.value;
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return section == Finding ? tr("Finding") : tr("Value");
}

}  // namespace gaplens
