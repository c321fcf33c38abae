#pragma once
// Roles shared by the app's item models: the raw value a column sorts by (numbers sort as numbers,
// not as their formatted text) and the time window a row stands for (a click jumps the timeline).
#include <Qt>

namespace gaplens {

enum ItemRole {
    SortRole = Qt::UserRole + 1,  // qint64 ns / qint64 count / double % / QString
    StartNsRole,                  // qint64: start of the row's time window, when it has one
    EndNsRole,                    // qint64: end of it
};

}  // namespace gaplens
