#pragma once
// The summary dock: the report's headline findings as (finding, value) rows: the bound verdict,
// GPU busy % per device, launch latency, idle time by cause, dead windows and the advice.
#include <memory>
#include <vector>

#include <QAbstractTableModel>
#include <QString>

#include "core/report/Report.h"

namespace gaplens {

class SummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Finding, Value, ColumnCount };

    explicit SummaryModel(QObject* parent = nullptr);
    void setReport(std::shared_ptr<const Report> report);
    // The value of the first row named `finding`, empty if none (tests, clipboard).
    QString valueOf(const QString& finding) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString finding;
        QString value;
        bool heading = false;
    };
    std::shared_ptr<const Report> report_;
    std::vector<Row> rows_;
};

}  // namespace gaplens
