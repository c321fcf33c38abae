#pragma once
// The timeline widget's internals: summaries built once per trace/analysis, the lane layout, the
// view (time mapping, vertical scroll), selection, input state and the geometry cache. Kept out of
// TimelineWidget.h so that the widget's public API stays stable while this changes.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include <QElapsedTimer>
#include <QFontMetrics>
#include <QPoint>
#include <QTimer>

#include "core/model/Trace.h"
#include "ui/timeline/BusyProfile.h"
#include "ui/timeline/LaneGeometry.h"
#include "ui/timeline/NameHighlight.h"
#include "ui/timeline/RangeStats.h"
#include "ui/timeline/TimeMapping.h"
#include "ui/timeline/TimelineLanes.h"
#include "ui/timeline/TrackRows.h"

class QLineEdit;
class QPainter;

namespace gaplens {

struct JobCollectives;
struct Report;
class TimelineWidget;

class TimelineState {
public:
    // Layout, in pixels.
    static constexpr int kNameWidth = 200;
    static constexpr int kRulerHeight = 28;
    static constexpr int kRowHeight = 18;
    static constexpr int kLanePad = 2;
    static constexpr int kHeaderHeight = 22;
    static constexpr int kBusyHeight = 30;
    static constexpr int kGapRowHeight = 16;
    static constexpr double kMinSpanNs = 10;

    explicit TimelineState(TimelineWidget* widget);

    TimelineWidget* w;
    std::shared_ptr<const Trace> trace;
    std::shared_ptr<const Report> report;
    TimeNs minGapNs = 1000;
    // The ranks' collectives (several files of a job): selecting a collective kernel marks the
    // same collective on every rank.
    std::shared_ptr<const JobCollectives> job;
    std::unordered_map<uint64_t, uint32_t> instanceOfEvent;  // (track << 32 | index) -> job instance
    int instanceOf(EventRef e) const;  // -1 when e is no matched collective kernel

    // ---- summaries (per trace / per analysis) ----
    std::vector<TrackRows> rows;   // per track
    std::vector<Lane> lanes;
    std::vector<int> laneOfTrack;  // track -> lane index
    std::map<int, BusyProfile> busyByDevice;
    std::map<int, std::vector<uint32_t>> gapsByDevice;  // listed gaps of a device, by start
    std::vector<uint32_t> gapsChrono;                  // listed gaps, by start
    std::vector<uint32_t> gapsLongest;                 // listed gaps, longest first
    std::map<int, std::vector<uint32_t>> deadByDevice; // dead windows with a duration, by start
    // Per device, the running maximum of those windows' ends: windows of several threads overlap, and a
    // monotone end column lets the level-of-detail pass cull and merge them like one row (their union).
    std::map<int, std::vector<TimeNs>> deadEndMax;
    std::set<uint32_t> collapsed;                      // collapsed process groups
    bool gpuLanesFirst = false;                        // lane order (buildLanes)
    size_t summaryBytes() const;

    // ---- layout and view ----
    std::vector<int> laneTop;     // content y of each lane (-1: hidden in a collapsed group)
    std::vector<int> laneHeight;
    int contentHeight = 0;
    int scrollY = 0;
    TimeMapping map;              // window across the track area's width
    QSize renderSize;             // set while renderToImage draws at another size
    QSize viewSize() const;       // the size drawn at: the widget's, or renderToImage's

    // ---- selection and marks ----
    EventRef selected;
    bool hasRange = false;
    TimeNs rangeStart = 0, rangeEnd = 0;
    RangeStats rangeStats;  // of the selected range, computed once per selection
    std::vector<std::pair<TimeNs, TimeNs>> marks;
    NameHighlight highlight;  // slices of one op/kernel row, outlined (the compare view's selection)
    int currentGap = -1;  // index into report->gaps.gaps
    EventRef hovered;
    bool showHelp = false;
    QLineEdit* search = nullptr;
    QPoint lastMouse{-1, -1};

    // ---- held navigation keys (W/A/S/D) ----
    std::set<int> heldKeys;
    bool shiftHeld = false;
    QTimer animation;
    QElapsedTimer heldClock;   // since the first key went down
    qint64 lastTickMs = 0;

    // ---- dragging ----
    enum class Drag { None, Pending, Select, Pan };
    Drag drag = Drag::None;
    bool panDrag = false;
    QPoint pressPos;
    TimeMapping pressMap;
    int pressScroll = 0;

    // ---- label text per name id (converted and measured once) ----
    struct NameText {
        QString text;
        int width = 0;
    };
    std::unordered_map<StringId, NameText> nameTexts;
    const NameText& nameText(StringId id, const QFontMetrics& fm);

    // ---- geometry cache, valid for cacheKey ----
    std::vector<LaneGeometry> cache;
    TimeMapping cacheKey;

    // ---- operations ----
    void rebuildSummaries();
    void rebuildLanes();  // lanes and laneOfTrack, in the gpuLanesFirst order
    void rebuildAnalysis();
    void relayout();
    int trackWidth() const { return std::max(1, viewSize().width() - kNameWidth); }
    int trackHeight() const { return std::max(1, viewSize().height() - kRulerHeight); }
    TimeNs dataBegin() const;
    TimeNs dataEnd() const;
    void setMapping(const TimeMapping& m);  // clamps, emits visibleRangeChanged, repaints
    void clampScroll();
    const LaneGeometry& geometry(size_t lane);
    void buildSlices(size_t lane, LaneGeometry& g);
    void buildGaps(size_t lane, LaneGeometry& g);
    void buildBusy(size_t lane, LaneGeometry& g);

    // y of a lane's top in view coordinates (ruler included).
    int laneViewY(size_t lane) const { return kRulerHeight + laneTop[lane] - scrollY; }
    int laneAtY(int viewY) const;  // -1 when none
    EventRef sliceAt(QPoint viewPos) const;
    int gapAt(QPoint viewPos) const;   // report gap index or -1
    int deadWindowAt(QPoint viewPos) const;
    QRectF sliceRectView(EventRef e) const;  // view coordinates (unclipped)
    void ensureLaneVisible(int lane);
    void applyHeldKeys(double seconds);
    void tapKey(int key, bool shift);

    void paint(QPainter& p);
    void paintLane(QPainter& p, size_t lane, int y);
    void paintRuler(QPainter& p);
    void paintNames(QPainter& p);
    void paintOverlays(QPainter& p);
    void paintCollective(QPainter& p, uint32_t instance);
    void paintHighlight(QPainter& p);
    void paintHelp(QPainter& p);
};

}  // namespace gaplens
