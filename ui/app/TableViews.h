#pragma once
// The table views of the docks, all alike: rows selected whole, one at a time, alternating colours,
// no row numbers, the last column stretched, rows as tall as the font needs.
#include <QTableView>

class QAbstractItemModel;

namespace gaplens {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent);

}  // namespace gaplens
