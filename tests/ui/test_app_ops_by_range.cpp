// The ops dock grouped by range: the "Group by range" checkbox turns the flat ops table into a tree
// of range rows with their ops as children; sorting and the name filter keep working, and the
// choice persists.
#include <catch2/catch.hpp>

#include <QCheckBox>
#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTreeView>

#include "ui/app/ItemRoles.h"
#include "ui/app/MainWindow.h"
#include "ui/app/OpsTableModel.h"
#include "ui/app/TraceExports.h"
#include "ui/app/TraceLoader.h"
#include "AppTestSupport.h"

using namespace gaplens;

namespace {
const QString kWarm = QStringLiteral(GAPLENS_TEST_DATA "/torch_mm64_warm.json");

QStringList namesAt(const QAbstractItemModel& model, const QModelIndex& parent = {}) {
    QStringList names;
    for (int r = 0; r < model.rowCount(parent); ++r) names << model.index(r, OpsTableModel::Name, parent).data().toString();
    return names;
}

QModelIndex rowNamed(const QAbstractItemModel& model, const QString& name, const QModelIndex& parent = {}) {
    for (int r = 0; r < model.rowCount(parent); ++r)
        if (model.index(r, OpsTableModel::Name, parent).data().toString() == name)
            return model.index(r, OpsTableModel::Name, parent);
    return {};
}
}  // namespace

// Numbers from the raw events (python3): 5 ProfilerStep#N (726.263 us), each holding one
// matmul_add (5 in all, 596.794 us) with aten::mm, aten::add, their two launch calls, the two
// kernels and matmul_add's span on the GPU (8 rows); cudaDeviceSynchronize is outside every range.
TEST_CASE("ops model groups by range into a tree that sorts and filters through the proxy", "[app][models][range]") {
    QString error;
    auto loaded = loadTraces({kWarm}, LoadOptions{}, {}, nullptr, error);
    REQUIRE(loaded);
    OpsTableModel model;
    model.setReport(loaded->report, loaded->trace);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SortRole);
    proxy.setFilterKeyColumn(OpsTableModel::Name);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setRecursiveFilteringEnabled(true);
    proxy.sort(OpsTableModel::CpuTotal, Qt::DescendingOrder);
    REQUIRE(proxy.rowCount() == 10);  // flat: torch's 10 rows
    CHECK(proxy.rowCount(proxy.index(0, 0)) == 0);

    model.setGroupByRange(true);
    REQUIRE(namesAt(proxy) == QStringList{"ProfilerStep*", "matmul_add", "(no range)"});
    const QModelIndex range = rowNamed(proxy, QStringLiteral("matmul_add"));
    CHECK(proxy.index(range.row(), OpsTableModel::Calls).data().toLongLong() == 5);  // instances
    CHECK(proxy.index(range.row(), OpsTableModel::CpuTotal).data(SortRole).toLongLong() == 596794);
    CHECK(proxy.rowCount(range) == 8);
    CHECK(namesAt(proxy, rowNamed(proxy, QStringLiteral("ProfilerStep*"))) == QStringList{"ProfilerStep*"});
    CHECK(namesAt(proxy, rowNamed(proxy, QStringLiteral("(no range)"))) == QStringList{"cudaDeviceSynchronize"});
    const QModelIndex mm = rowNamed(proxy, QStringLiteral("aten::mm"), range);
    REQUIRE(mm.isValid());
    CHECK(proxy.index(mm.row(), OpsTableModel::Calls, range).data().toLongLong() == 5);
    CHECK(proxy.index(mm.row(), OpsTableModel::SelfCpu, range).data(SortRole).toLongLong() == 241628);  // as torch's

    // Sorting sorts the ops inside each range: by self CPU, aten::mm (241.6 us) leads matmul_add's.
    proxy.sort(OpsTableModel::SelfCpu, Qt::DescendingOrder);
    const QModelIndex sortedRange = rowNamed(proxy, QStringLiteral("matmul_add"));
    CHECK(proxy.index(0, OpsTableModel::Name, sortedRange).data().toString() == QStringLiteral("aten::mm"));

    // The filter keeps the ranges that hold a match, with only the matching ops.
    proxy.setFilterFixedString(QStringLiteral("ATEN::"));
    REQUIRE(namesAt(proxy) == QStringList{"matmul_add"});
    CHECK(namesAt(proxy, proxy.index(0, 0)) == QStringList{"aten::mm", "aten::add"});
    proxy.setFilterFixedString(QString());

    model.setGroupByRange(false);
    CHECK(proxy.rowCount() == 10);
}

TEST_CASE("the ops dock's Group by range checkbox shows the range tree and persists", "[app][window][range]") {
    test::isolateSettings();
    {
        MainWindow window;
        QSignalSpy done(&window, &MainWindow::loadFinished);
        window.openFiles({kWarm});
        REQUIRE(done.wait(20000));
        auto* box = window.findChild<QCheckBox*>(QStringLiteral("opsGroupByRange"));
        auto* view = window.findChild<QTreeView*>(QStringLiteral("opsView"));
        REQUIRE(box);
        REQUIRE(view);
        CHECK_FALSE(box->isChecked());
        CHECK(view->model()->rowCount() == 10);

        box->setChecked(true);
        CHECK(window.opsModel()->groupByRange());
        const QAbstractItemModel& shown = *view->model();
        REQUIRE(namesAt(shown) == QStringList{"ProfilerStep*", "matmul_add", "(no range)"});
        const QModelIndex range = rowNamed(shown, QStringLiteral("matmul_add"));
        CHECK(view->isExpanded(range));  // the ops show without a click
        CHECK(shown.rowCount(range) == 8);
        CHECK(QSettings().value(QStringLiteral("ops/groupByRange")).toBool());
    }
    {
        MainWindow window;  // the next window opens grouped
        auto* box = window.findChild<QCheckBox*>(QStringLiteral("opsGroupByRange"));
        REQUIRE(box);
        CHECK(box->isChecked());
        box->setChecked(false);
        CHECK_FALSE(window.opsModel()->groupByRange());
    }
    QSettings().clear();
}

TEST_CASE("the grouped ops table exports to CSV with a group column, one line per range and per op", "[app][models][range]") {
    QString error;
    auto loaded = loadTraces({kWarm}, LoadOptions{}, {}, nullptr, error);
    REQUIRE(loaded);
    OpsTableModel model;
    model.setReport(loaded->report, loaded->trace);
    const QStringList flat = modelToCsv(model).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    CHECK(flat.size() == 1 + 10);  // header + torch's 10 rows, no group column
    CHECK_FALSE(flat[0].startsWith(QStringLiteral("Group,")));

    model.setGroupByRange(true);
    const QStringList lines = modelToCsv(model).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 1 + 3 + (1 + 8 + 1));  // header, 3 ranges, their 10 ops
    CHECK(lines[0].startsWith(QStringLiteral("Group,")));
    int inMatmulAdd = 0, rangeRows = 0;
    for (const QString& line : lines.mid(1)) {
        if (line.startsWith(QStringLiteral("matmul_add,"))) ++inMatmulAdd;
        if (line.startsWith(QLatin1Char(','))) ++rangeRows;
    }
    CHECK(inMatmulAdd == 8);
    CHECK(rangeRows == 3);
    bool mmInRange = false;
    for (const QString& line : lines) mmInRange |= line.startsWith(QStringLiteral("matmul_add,aten::mm,"));
    CHECK(mmInRange);
}
