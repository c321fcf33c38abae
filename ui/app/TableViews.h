#pragma once
// The table look every dock shares: rows selected whole, one at a time, alternating colours, no row
// numbers, numeric sorting through a proxy on SortRole.
class QAbstractItemModel;
class QObject;
class QSortFilterProxyModel;
#include <QTableView>
class QWidget;

namespace gaplens {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent);
// A proxy that sorts by SortRole (numbers as numbers) and filters case-insensitively.
QSortFilterProxyModel* makeProxy(QAbstractItemModel* source, QObject* parent);

}  // namespace gaplens
