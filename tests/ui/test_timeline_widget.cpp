#include <catch2/catch.hpp>

#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include "TimelineFixture.h"
#include "core/io/ChromeTraceImporter.h"
#include "ui/timeline/TimelineColors.h"
#include "ui/timeline/TimelineWidget.h"

using namespace gaplens;

namespace {

// A 1200 px wide widget: the track area is 1000 px, so [0, 10 us) is 10 ns per pixel.
struct Shown {
    test::TimelineFixture f = test::makeTimelineFixture();
    TimelineWidget w;
    Shown() {
        w.resize(1200, 600);
        w.setTrace(f.trace);
        w.setAnalysis(f.report);
        w.setVisibleRange(0, 10000);
    }
    int xAt(TimeNs t) const { return w.trackAreaLeft() + int(t / 10); }
};

// Lane tops, from the layout: ruler 28, "python" header 22, thread (3 rows) 58, "GPU 0" header 22,
// stream 22, busy 30, gaps 36.
constexpr int kThreadRow0Y = 28 + 22 + 2 + 9;
constexpr int kStreamY = 28 + 22 + 58 + 22 + 2 + 9;
constexpr int kGapRowY = 28 + 22 + 58 + 22 + 22 + 30 + 2 + 8;
constexpr int kDeadRowY = kGapRowY + 16;

// Moves the mouse over the widget (QTest::mouseMove needs a visible window).
void hover(QWidget& w, QPoint pos) {
    QMouseEvent e(QEvent::MouseMove, QPointF(pos), QPointF(w.mapToGlobal(pos)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &e);
}

void wheel(QWidget& w, QPoint pos, int delta, Qt::KeyboardModifiers mods) {
    QWheelEvent e(QPointF(pos), QPointF(w.mapToGlobal(pos)), QPoint(), QPoint(0, delta), Qt::NoButton, mods,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(&w, &e);
}

}  // namespace

TEST_CASE("W/S zoom at the centre and A/D pan by a tenth of the span (Shift: faster)") {
    Shown s;
    QTest::keyClick(&s.w, Qt::Key_W);  // span / 1.25 around the centre (5 us)
    CHECK(s.w.visibleStartNs() == 1000);
    CHECK(s.w.visibleEndNs() == 9000);
    QTest::keyClick(&s.w, Qt::Key_D);  // + 10% of 8 us
    CHECK(s.w.visibleStartNs() == 1800);
    CHECK(s.w.visibleEndNs() == 9800);
    QTest::keyClick(&s.w, Qt::Key_A, Qt::ShiftModifier);  // - 30% of 8 us
    CHECK(s.w.visibleStartNs() == -600);
    CHECK(s.w.visibleEndNs() == 7400);
    QTest::keyClick(&s.w, Qt::Key_S);  // span x 1.25 around the centre (3.4 us)
    CHECK(s.w.visibleStartNs() == -1600);
    CHECK(s.w.visibleEndNs() == 8400);
    QTest::keyClick(&s.w, Qt::Key_W, Qt::ShiftModifier);  // span / 2
    CHECK(s.w.visibleStartNs() == 900);
    CHECK(s.w.visibleEndNs() == 5900);
}

TEST_CASE("W zooms at the mouse when it is over the track area") {
    Shown s;
    hover(s.w, QPoint(s.xAt(2000), kThreadRow0Y));
    QTest::keyClick(&s.w, Qt::Key_W);  // 2 us stays under the mouse
    CHECK(s.w.visibleStartNs() == 400);
    CHECK(s.w.visibleEndNs() == 8400);
}

TEST_CASE("Ctrl+wheel zooms at the mouse, the plain wheel does not change the time window") {
    Shown s;
    wheel(s.w, QPoint(s.xAt(2500), kThreadRow0Y), 120, Qt::ControlModifier);
    CHECK(s.w.visibleStartNs() == 500);
    CHECK(s.w.visibleEndNs() == 8500);
    wheel(s.w, QPoint(s.xAt(2500), kThreadRow0Y), -120, Qt::NoModifier);
    CHECK(s.w.visibleStartNs() == 500);
    CHECK(s.w.visibleEndNs() == 8500);
}

TEST_CASE("Dragging selects a time range with its stats, Shift+drag pans") {
    Shown s;
    QSignalSpy ranges(&s.w, &TimelineWidget::rangeSelected);
    QTest::mousePress(&s.w, Qt::LeftButton, Qt::NoModifier, QPoint(s.xAt(3000), kDeadRowY + 30));
    QTest::mouseMove(&s.w, QPoint(s.xAt(5000), kDeadRowY + 30));
    QTest::mouseMove(&s.w, QPoint(s.xAt(7500), kDeadRowY + 30));
    QTest::mouseRelease(&s.w, Qt::LeftButton, Qt::NoModifier, QPoint(s.xAt(7500), kDeadRowY + 30));
    REQUIRE(ranges.count() == 1);
    CHECK(ranges[0][0].value<TimeNs>() == 3000);
    CHECK(ranges[0][1].value<TimeNs>() == 7500);
    CHECK(s.w.visibleStartNs() == 0);  // selecting does not move the view

    QTest::mousePress(&s.w, Qt::LeftButton, Qt::ShiftModifier, QPoint(s.xAt(5000), kDeadRowY + 30));
    QTest::mouseMove(&s.w, QPoint(s.xAt(4000), kDeadRowY + 30));
    QTest::mouseRelease(&s.w, Qt::LeftButton, Qt::ShiftModifier, QPoint(s.xAt(4000), kDeadRowY + 30));
    CHECK(s.w.visibleStartNs() == 1000);  // dragged 100 px left: 1 us later
    CHECK(s.w.visibleEndNs() == 11000);
    CHECK(ranges.count() == 1);
}

TEST_CASE("Range stats: busy %, idle by cause and op counts inside the selection") {
    Shown s;
    s.w.selectRange(3000, 7500);
    const RangeStats st = s.w.selectedRangeStats();
    CHECK(st.durNs() == 4500);
    REQUIRE(st.devices.size() == 1);
    CHECK(st.devices[0].busyNs == 2500);  // [4000, 6000) + [7000, 7500)
    CHECK(st.devices[0].busyPct == Approx(100.0 * 2500 / 4500));
    CHECK(st.idleByCauseNs[size_t(GapCause::Setup)] == 1000);
    CHECK(st.idleByCauseNs[size_t(GapCause::HostOverhead)] == 1000);
    CHECK(st.idleByCauseNs[size_t(GapCause::HostIdle)] == 0);
    CHECK(st.gapNs == 2000);
    CHECK(st.kernels == 2);
    CHECK(st.apiCalls == 1);
    CHECK(st.cpuOps == 1);  // aten::add at 5.8 us
    CHECK(st.userRanges == 0);
}

TEST_CASE("N/P visit the gaps in time order, Shift+N longest first") {
    Shown s;
    QTest::keyClick(&s.w, Qt::Key_N);
    CHECK(s.w.currentGapIndex() == 0);
    CHECK(s.w.selectedRangeStart() == 0);
    CHECK(s.w.selectedRangeEnd() == 4000);
    QTest::keyClick(&s.w, Qt::Key_N);
    CHECK(s.w.currentGapIndex() == 2);
    CHECK(s.w.selectedRangeStart() == 6000);
    CHECK(s.w.selectedRangeEnd() == 7000);
    CHECK(s.w.visibleStartNs() == 5000);  // the gap and as much again on each side
    CHECK(s.w.visibleEndNs() == 8000);
    QTest::keyClick(&s.w, Qt::Key_N);
    CHECK(s.w.currentGapIndex() == 1);
    CHECK(s.w.selectedRangeStart() == 8000);
    CHECK_FALSE(s.w.nextGap());  // no more
    QTest::keyClick(&s.w, Qt::Key_P);
    CHECK(s.w.currentGapIndex() == 2);

    QTest::keyClick(&s.w, Qt::Key_Escape);
    CHECK_FALSE(s.w.hasSelectedRange());
    QTest::keyClick(&s.w, Qt::Key_N, Qt::ShiftModifier);
    CHECK(s.w.currentGapIndex() == 0);  // 4 us
    QTest::keyClick(&s.w, Qt::Key_N, Qt::ShiftModifier);
    CHECK(s.w.currentGapIndex() == 1);  // 2 us
    QTest::keyClick(&s.w, Qt::Key_N, Qt::ShiftModifier);
    CHECK(s.w.currentGapIndex() == 2);  // 1 us
}

TEST_CASE("N starts from the visible window and skips gaps below the minimum") {
    Shown s;
    s.w.setVisibleRange(5000, 10000);
    QTest::keyClick(&s.w, Qt::Key_N);
    CHECK(s.w.selectedRangeStart() == 6000);
    s.w.clearSelection();
    s.w.setMinGapNs(1500);  // the 1 us gap is no longer listed
    s.w.setVisibleRange(5000, 10000);
    QTest::keyClick(&s.w, Qt::Key_N);
    CHECK(s.w.selectedRangeStart() == 8000);
}

TEST_CASE("Click selects a slice with its linked launch, '.'/',' walk the lane, F fits, M marks") {
    Shown s;
    QSignalSpy slices(&s.w, &TimelineWidget::sliceSelected);
    QSignalSpy details(&s.w, &TimelineWidget::sliceDetailsChanged);
    QTest::mouseClick(&s.w, Qt::LeftButton, Qt::NoModifier, QPoint(s.xAt(5000), kStreamY));
    REQUIRE(slices.count() == 1);
    const EventRef kernel = s.w.selectedSlice();
    CHECK(kernel.track == s.f.stream);
    CHECK(s.f.trace->name(kernel) == "gemm_kernel");
    const auto d = details[0][0].value<SliceDetails>();
    CHECK(d.name == "gemm_kernel");
    CHECK(d.durNs == 2000);
    CHECK(d.linkedName == "cudaLaunchKernel");
    CHECK(d.launchLatencyNs == 3000);

    QTest::keyClick(&s.w, Qt::Key_Period);
    CHECK(s.f.trace->name(s.w.selectedSlice()) == "add_kernel");
    QTest::keyClick(&s.w, Qt::Key_Comma);
    CHECK(s.w.selectedSlice() == kernel);

    QTest::keyClick(&s.w, Qt::Key_F);  // 2 us with 10% on each side
    CHECK(s.w.visibleStartNs() == 3800);
    CHECK(s.w.visibleEndNs() == 6200);
    QTest::keyClick(&s.w, Qt::Key_M);
    REQUIRE(s.w.marks().size() == 1);
    CHECK(s.w.marks()[0] == std::pair<TimeNs, TimeNs>(4000, 6000));

    QTest::keyClick(&s.w, Qt::Key_Escape);
    CHECK_FALSE(s.w.selectedSlice().valid());
}

TEST_CASE("Clicking on empty space clears the selection, clicking a group header collapses it") {
    Shown s;
    s.w.selectSlice(EventRef{s.f.stream, 0});
    QTest::mouseClick(&s.w, Qt::LeftButton, Qt::NoModifier, QPoint(s.xAt(500), kStreamY));
    CHECK_FALSE(s.w.selectedSlice().valid());
    QTest::mouseClick(&s.w, Qt::LeftButton, Qt::NoModifier, QPoint(50, 28 + 10));  // "python" header
    CHECK(s.w.isGroupCollapsed(0));
    QTest::mouseClick(&s.w, Qt::LeftButton, Qt::NoModifier, QPoint(50, 28 + 10));
    CHECK_FALSE(s.w.isGroupCollapsed(0));
}

TEST_CASE("The profiler's bookkeeping groups (Kineto's Spans, Traces, global instants) start collapsed") {
    auto trace = std::make_shared<Trace>();
    REQUIRE(importTraces({std::string(GAPLENS_TEST_DATA) + "/torch_mm64_warm.json"}, *trace).ok);
    TimelineWidget w;
    w.resize(1200, 600);
    w.setTrace(trace);
    int bookkeeping = 0, expanded = 0;
    for (uint32_t p = 0; p < trace->processes.size(); ++p) {
        if (trace->processes[p].tracks.empty()) continue;
        const bool isBookkeeping = !trace->processes[p].pidLabel.empty();
        CHECK(w.isGroupCollapsed(int(p)) == isBookkeeping);
        (isBookkeeping ? bookkeeping : expanded) += 1;
    }
    CHECK(bookkeeping == 3);  // "Spans", "Traces", "(global)"
    CHECK(expanded == 2);     // python3's thread, GPU 0's stream
}

TEST_CASE("Search by name walks the matches forwards and backwards") {
    Shown s;
    REQUIRE(s.w.findNext("cudalaunch"));
    CHECK(s.f.trace->start(s.w.selectedSlice()) == 1000);
    REQUIRE(s.w.findNext("cudalaunch"));
    CHECK(s.f.trace->start(s.w.selectedSlice()) == 6000);
    CHECK_FALSE(s.w.findNext("cudalaunch"));
    REQUIRE(s.w.findNext("cudalaunch", /*backwards=*/true));
    CHECK(s.f.trace->start(s.w.selectedSlice()) == 1000);
    CHECK_FALSE(s.w.findNext("no such op"));
}

TEST_CASE("A rendered image shades each gap in its cause colour at the expected pixels") {
    Shown s;
    const QImage img = s.w.renderToImage(QSize(1200, 600));
    REQUIRE(img.size() == QSize(1200, 600));
    if (qEnvironmentVariableIsSet("GAPLENS_SAVE_RENDER")) img.save(qEnvironmentVariable("GAPLENS_SAVE_RENDER"));
    auto at = [&](TimeNs t, int y) { return QColor(img.pixel(s.xAt(t), y)); };
    const QColor setup = gapCauseColor(GapCause::Setup);
    const QColor overhead = gapCauseColor(GapCause::HostOverhead);
    const QColor idle = gapCauseColor(GapCause::HostIdle);
    CHECK(at(100, kGapRowY) == setup);
    CHECK(at(3980, kGapRowY) == setup);
    CHECK(at(4020, kGapRowY) != setup);  // busy: no gap from 4 us
    CHECK(at(6100, kGapRowY) == overhead);  // off the centred duration labels
    CHECK(at(8200, kGapRowY) == idle);
    CHECK(at(5000, kGapRowY) != setup);
    CHECK(at(5000, kGapRowY) != overhead);
    // The kernels on the stream lane, in their name's colour; the gap before them shaded.
    const QColor gemm = slicePaletteColor(slicePaletteIndex(s.f.trace->tracks[s.f.stream].nameId[0]));
    CHECK(at(5900, kStreamY) == gemm);  // right of its name label
    CHECK(at(2000, kStreamY) != at(5000, kDeadRowY + 30));  // shaded, not the plain background
    // The cold dead window: from the range start to the first GPU start.
    CHECK(at(300, kDeadRowY) == QColor(0xc6, 0x28, 0x28));
    CHECK(at(4100, kDeadRowY) != QColor(0xc6, 0x28, 0x28));
}
