#pragma once
// The timeline: one lane group per process (CPU threads with slices stacked by depth; per GPU
// device its streams, a busy % lane and a gaps lane), a time ruler, gap shading by cause, dead
// window bands and launch -> kernel flow arrows. Navigation follows Perfetto (W/S/A/D, Ctrl+wheel,
// drag to select a range, Shift/middle drag to pan, F/M/N/P, Ctrl+F, '.'/',', '?', Esc; see
// keyHelpText()).
//
// Drawing is bounded per pixel column at any zoom: per-track summaries (TimelineModel) are culled
// by binary search and runs of sub-pixel slices are merged; the resulting geometry is cached per
// (visible range, width) and replayed for hover and selection.
#include <memory>
#include <vector>

#include <QImage>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "core/model/Trace.h"
#include "ui/timeline/RangeStats.h"
#include "ui/timeline/SliceDetails.h"

namespace gaplens {

struct JobCollectives;
struct Report;
class TimelineState;

class TimelineWidget : public QWidget {
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget* parent = nullptr);
    ~TimelineWidget() override;

    // ---- data ----
    // Shows a trace (finalized). Resets the view to the whole trace and clears any selection and analysis.
    void setTrace(std::shared_ptr<const Trace> trace);
    std::shared_ptr<const Trace> trace() const;
    // Core's analysis of the same trace (gpu busy, gaps with causes, dead windows): drawn as the busy
    // lanes, gap shading and dead-window bands. Null clears it.
    void setAnalysis(std::shared_ptr<const Report> report);
    std::shared_ptr<const Report> analysis() const;
    // Gaps shorter than this are not shaded or visited by N/P (the report's --min-gap).
    void setMinGapNs(TimeNs ns);
    // The collectives of the ranks shown (core's analysis of the same trace; null clears): when a
    // collective kernel is selected, the same collective is outlined on every rank, its wait shaded,
    // and a line joins the arrivals to the last one.
    void setCollectives(std::shared_ptr<const JobCollectives> job);
    // The job instance of the selected slice, or -1.
    int selectedCollective() const;

    // ---- view ----
    TimeNs visibleStartNs() const;
    TimeNs visibleEndNs() const;
    void setVisibleRange(TimeNs start, TimeNs end);  // exactly this window (clamped to the trace)
    void jumpTo(TimeNs start, TimeNs end);           // show [start, end) with a margin on both sides
    void fitAll();                                   // the whole trace (key 0)
    // The analysis' steady window (Report::bound, what the verdict is about) with 2% of margin on each
    // side, where a trace opens; the whole trace when there is no analysis or no such window. Returns
    // whether it showed a steady window.
    bool fitSteadyWindow();
    int trackAreaLeft() const;   // x of the track area (right of the pinned lane names)
    int trackAreaWidth() const;
    int trackAreaTop() const;    // y below the time ruler
    // Lane groups (one per process) collapse and expand; index into Trace::processes.
    void setGroupCollapsed(int process, bool collapsed);
    bool isGroupCollapsed(int process) const;
    // GPU lanes first (TimelineLanes.h): GPU processes and, inside a group, the devices above the
    // threads. Off by default here; the app turns it on (View > GPU Lanes First).
    void setGpuLanesFirst(bool on);
    bool gpuLanesFirst() const;
    // The pinned names of the lanes, top to bottom (group headers included).
    QStringList laneNames() const;

    // ---- selection ----
    EventRef selectedSlice() const;
    bool hasSelectedRange() const;
    TimeNs selectedRangeStart() const;
    TimeNs selectedRangeEnd() const;
    RangeStats selectedRangeStats() const;
    void selectSlice(EventRef event);  // emits sliceSelected + sliceDetailsChanged
    void selectRange(TimeNs start, TimeNs end);  // emits rangeSelected + rangeStatsChanged
    void clearSelection();
    // Marks (M): persistent highlighted windows.
    const std::vector<std::pair<TimeNs, TimeNs>>& marks() const;
    // Outlines every slice of one ops-table row (opsRowName), on GPU streams or host threads; an
    // empty name clears it. Returns how many slices it found.
    size_t setHighlightedName(const std::string& rowName, bool onGpu);
    QString highlightedName() const;
    size_t highlightedCount() const;
    EventRef firstHighlightedAtOrAfter(TimeNs t) const;  // invalid when none

    // ---- navigation helpers (also bound to keys) ----
    bool nextGap(bool longestFirst = false);      // N / Shift+N: selects the gap and jumps to it
    bool previousGap(bool longestFirst = false);  // P / Shift+P
    int currentGapIndex() const;                  // index into the report's gap list, -1 if none
    bool findNext(const QString& text, bool backwards = false);  // search slices by name
    bool nextSliceOnLane(bool backwards = false);  // '.' / ','
    static QString keyHelpText();

    // ---- rendering ----
    // Draws the whole widget (ruler, names, lanes, overlays) into an image of `size`, as if the widget
    // had that size. Used for screenshots, "export PNG" and the render tests.
    QImage renderToImage(QSize size);
    // Heap bytes of the view's per-track summaries (rows by depth, busy prefix sums, gap order).
    size_t summaryMemoryBytes() const;
    // Draw primitives (rects, labels, points) cached for the current window: bounded by the width.
    size_t cachedPrimitiveCount() const;

signals:
    void sliceSelected(gaplens::EventRef event);
    void sliceDetailsChanged(const gaplens::SliceDetails& details);
    void rangeSelected(gaplens::TimeNs start, gaplens::TimeNs end);
    void rangeStatsChanged(const gaplens::RangeStats& stats);
    void selectionCleared();
    void visibleRangeChanged(gaplens::TimeNs start, gaplens::TimeNs end);
    void statusMessage(const QString& text);  // search results, "no more gaps", ...

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips

private:
    // The gap visiting order (time or longest first), or null with a status message when there are none.
    const std::vector<uint32_t>* gapOrder(bool longestFirst);
    // Selects gap order[pos] and shows it with as much again on each side.
    void showGap(const std::vector<uint32_t>& order, int pos);
    void fitWithMargin(TimeNs begin, TimeNs end);

    friend class TimelineState;
    std::unique_ptr<TimelineState> d_;
};

}  // namespace gaplens
