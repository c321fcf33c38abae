#include "ui/app/DeadWindowsModel.h"

#include <QColor>
#include <QStringList>

#include "ui/app/Formatting.h"
#include "ui/app/ItemRoles.h"

namespace gaplens {

DeadWindowsModel::DeadWindowsModel(QObject* parent) : QAbstractTableModel(parent) {}

void DeadWindowsModel::setReport(std::shared_ptr<const Report> report) {
    beginResetModel();
    report_ = std::move(report);
    rows_.clear();
    if (report_)
        for (const auto& w : report_->deadWindows.windows)
            if (w.hasGpuWork) rows_.push_back(&w);
    endResetModel();
}

int DeadWindowsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int DeadWindowsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DeadWindowsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const gaplens::DeadWindow& w = *rows_[size_t(index.row())];
    if (role == StartNsRole) return qint64(w.startNs);
    if (role == EndNsRole) return qint64(std::max(w.firstGpuStartNs, w.startNs + w.durNs));
    if (role == Qt::ForegroundRole && w.cold) return QColor(0xcc, 0x00, 0x00);
    if (role == Qt::TextAlignmentRole)
        return index.column() == Range || index.column() == OneTimeCalls || index.column() == Cold
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    QStringList calls;
    if (index.column() == OneTimeCalls)
        for (const auto& c : report_->deadWindows.oneTimeCallsOf(w)) calls << QString::fromStdString(c);
    if (role == Qt::ToolTipRole && index.column() == OneTimeCalls) return calls.join(QLatin1Char('\n'));
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    auto time = [&](TimeNs ns) -> QVariant { return sort ? QVariant(qint64(ns)) : QVariant(durationText(ns)); };
    switch (index.column()) {
    case Range: return QString::fromStdString(report_->deadWindows.rangeNameOf(w));
    case Instance: return w.instance;
    case Start: return time(w.startNs);
    case DeadWindow: return time(w.durNs);
    case Host: return time(w.hostNs);
    case LaunchToStart: return time(w.launchNs);
    case OneTime: return time(w.oneTimeNs);
    case Cold: return sort ? QVariant(w.cold) : QVariant(w.cold ? tr("cold") : (w.queued ? tr("queued") : QString()));
    case OneTimeCalls: return calls.join(QStringLiteral(", "));
    default: return {};
    }
}

QVariant DeadWindowsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Range: return tr("Range");
    case Instance: return tr("#");
    case Start: return tr("Start");
    case DeadWindow: return tr("Dead window");
    case Host: return tr("Host");
    case LaunchToStart: return tr("Launch→start");
    case OneTime: return tr("One-time");
    case Cold: return tr("Cold");
    case OneTimeCalls: return tr("One-time calls");
    default: return {};
    }
}

}  // namespace gaplens
