// The ranks of a job in the app (tests/data/ddp-h100x2, two H100s): one lane group per rank, the
// Ranks dock's tables (a row per rank, the collectives, the arrival order of the one selected),
// and a collective selected in the dock or on the timeline shown on every rank.
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "ui/app/ArrivalOrderModel.h"
#include "ui/app/CollectivesModel.h"
#include "ui/app/ItemRoles.h"
#include "ui/app/MainWindow.h"
#include "ui/app/RanksDock.h"
#include "ui/app/RanksModel.h"
#include "ui/app/TraceLoader.h"
#include "ui/timeline/TimelineLanes.h"
#include "ui/timeline/TimelineWidget.h"
#include "AppTestSupport.h"

using namespace gaplens;

namespace {
const QStringList kRanks = {QStringLiteral(GAPLENS_TEST_DATA "/ddp-h100x2/ddp_rank0.json.gz"),
                            QStringLiteral(GAPLENS_TEST_DATA "/ddp-h100x2/ddp_rank1.json.gz")};

// Rows of an image where the collective highlight's colour runs across (an outline's top or bottom
// edge; the joining lines cross a row in a few pixels only), grouped into bands.
std::vector<std::pair<int, int>> highlightBands(const QImage& image) {
    std::vector<std::pair<int, int>> bands;
    for (int y = 0; y < image.height(); ++y) {
        int hits = 0;
        for (int x = 0; x < image.width(); ++x) hits += image.pixel(x, y) == qRgb(0xe6, 0x51, 0x00);
        if (hits < 50) continue;
        if (!bands.empty() && y - bands.back().second <= 3) bands.back().second = y;
        else bands.push_back({y, y});
    }
    return bands;
}
}  // namespace

TEST_CASE("two ranks load as one job: a lane group per rank, no sweep", "[app][ranks]") {
    QString error;
    const auto loaded = loadTraces(kRanks, LoadOptions{}, {}, nullptr, error);
    REQUIRE(loaded);
    REQUIRE(loaded->job);
    CHECK_FALSE(loaded->sweep);
    CHECK(loaded->perFile.size() == 2);  // each rank's own gaps and causes
    std::vector<std::string> headers;
    for (const Lane& l : buildLanes(*loaded->trace))
        if (l.kind == LaneKind::GroupHeader) headers.push_back(l.name);
    REQUIRE(headers.size() >= 2);
    CHECK(headers[0] == "rank 0 \xC2\xB7 GPU 0 \xC2\xB7 python (606)");
    CHECK(headers[1] == "rank 1 \xC2\xB7 GPU 1 \xC2\xB7 python (607)");

    RanksModel model;
    model.setJob(std::shared_ptr<const JobCollectives>(loaded->job, &loaded->job->job));
    REQUIRE(model.rowCount() == 2);
    CHECK(model.index(0, RanksModel::Rank).data().toInt() == 0);
    CHECK(model.index(0, RanksModel::LastToArrive).data().toLongLong() == 19);
    CHECK(model.index(1, RanksModel::LastToArrive).data().toLongLong() == 13);
    CHECK(model.index(1, RanksModel::Wait).data(SortRole).toLongLong() == loaded->job->job.figures[1].waitNs);
    CHECK(model.index(1, RanksModel::File).data().toString() == QStringLiteral("ddp_rank1.json.gz"));
    CHECK(model.index(0, RanksModel::Gpu).data().toString() == QStringLiteral("0"));
}

TEST_CASE("Ranks dock: a row per rank, clicking a collective shows its arrival order and selects it on the timeline",
          "[app][ranks]") {
    test::isolateSettings();
    MainWindow window;
    window.resize(1500, 900);
    window.show();
    QSignalSpy done(&window, &MainWindow::loadFinished);
    window.openFiles(kRanks);
    REQUIRE(done.wait(30000));
    RanksDock* dock = window.ranksDock();
    REQUIRE(dock);
    CHECK(dock->summaryText().contains(QStringLiteral("2 ranks, 32 collectives")));
    CHECK(dock->summaryText().contains(QStringLiteral("[straggler]")));
    CHECK(dock->ranksModel()->rowCount() == 2);
    REQUIRE(dock->collectivesModel()->rowCount() == 32);
    CHECK(dock->arrivalModel()->rowCount() == 0);

    // The collectives are sorted by skew, largest first: pg 0 #29 (rank 1 first, rank 0 1.28 ms later).
    QTableView* view = dock->collectivesView();
    const QModelIndex top = view->model()->index(0, CollectivesModel::Collective);
    CHECK(top.data().toString() == QStringLiteral("pg 0 #29"));
    view->scrollTo(top);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->visualRect(top).center());
    REQUIRE(dock->arrivalModel()->rowCount() == 2);
    CHECK(dock->arrivalTitle().startsWith(QStringLiteral("Arrival order of pg 0 #29")));
    CHECK(dock->arrivalModel()->index(0, ArrivalOrderModel::Rank).data().toInt() == 1);
    CHECK(dock->arrivalModel()->index(1, ArrivalOrderModel::Rank).data().toInt() == 0);
    CHECK(dock->arrivalModel()->index(0, ArrivalOrderModel::Wait).data().toString() ==
          QString::fromStdString(formatDuration(dock->collectivesModel()->job()->instances[size_t(dock->shownInstance())].waitNs)));
    // The timeline shows it, selected on the rank that arrived last (rank 0).
    const int instance = window.timeline()->selectedCollective();
    CHECK(instance == dock->shownInstance());
    const JobCollectives& job = window.loaded()->job->job;
    const EventRef selected = window.timeline()->selectedSlice();
    REQUIRE(selected.valid());
    CHECK(window.loaded()->trace->processes[window.loaded()->trace->tracks[selected.track].process].file == 0);
    CHECK(window.timeline()->visibleStartNs() <= job.instances[size_t(instance)].firstArrivalNs - window.loaded()->trace->originAbsNs);

    // Both ranks' kernels of that collective are outlined (each outline's top and bottom edges are a
    // band of highlight rows): in the two ranks' lane groups, far apart.
    const QImage image = window.timeline()->renderToImage(QSize(1400, 1600));
    if (qEnvironmentVariableIsSet("GAPLENS_TEST_IMAGES")) image.save(QStringLiteral("/tmp/ranks_highlight.png"));
    const auto bands = highlightBands(image);
    INFO("highlight bands: " << bands.size());
    REQUIRE(bands.size() >= 4);
    CHECK(bands.back().first - bands.front().second > 200);

    // Selecting another collective kernel on the timeline (here rank 1's 6th) shows its order in the dock.
    const EventRef other = job.ranks[1].kernels[5].event;
    window.timeline()->selectSlice(other);
    CHECK(dock->shownInstance() == int(job.instanceOf(1, 5)));
    CHECK(dock->arrivalTitle().startsWith(QStringLiteral("Arrival order of pg 0 #5")));
    CHECK(dock->arrivalModel()->index(0, ArrivalOrderModel::Rank).data().toInt() == 1);

    // Clicking a rank in the arrival order selects its kernel.
    const QModelIndex second = dock->arrivalView()->model()->index(1, 0);
    QTest::mouseClick(dock->arrivalView()->viewport(), Qt::LeftButton, Qt::NoModifier,
                      dock->arrivalView()->visualRect(second).center());
    CHECK(window.timeline()->selectedSlice() == job.ranks[0].kernels[5].event);
}

TEST_CASE("Ranks dock without a job says how to get one", "[app][ranks]") {
    RanksDock dock;
    CHECK(dock.summaryText().contains(QStringLiteral("distributedInfo")));
    CHECK(dock.ranksModel()->rowCount() == 0);
    dock.showInstance(3);
    CHECK(dock.shownInstance() == -1);
}
