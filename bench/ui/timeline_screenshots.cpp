// Screenshots of the timeline on a real capture at three zoom levels: the whole trace, the first
// range instance (its dead window), and one steady iteration with a kernel selected (flow arrow
// from its launch). Under Xvfb (QT_QPA_PLATFORM=xcb) the widget is shown and grabbed from the
// screen; offscreen it is drawn with renderToImage.
//   timeline_screenshots <trace.json[.gz]> <output prefix, e.g. docs/screenshots/timeline>
#include <cstdio>
#include <memory>

#include <QApplication>
#include <QImage>
#include <QPixmap>
#include <QTest>

#include "core/io/ChromeTraceImporter.h"
#include "core/report/Report.h"
#include "ui/timeline/TimelineWidget.h"

using namespace gaplens;

namespace {

void save(TimelineWidget& w, const QString& path) {
    QImage img;
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        img = w.renderToImage(w.size());
    } else {
        w.repaint();
        QTest::qWait(200);
        img = w.grab().toImage();
    }
    std::printf("%s: %s\n", qPrintable(path), img.save(path) ? "written" : "FAILED");
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: timeline_screenshots <trace> <output prefix>\n");
        return 1;
    }
    auto trace = std::make_shared<Trace>();
    const ImportResult r = importTraces({argv[1]}, *trace);
    if (!r.ok) {
        std::fprintf(stderr, "%s\n", r.error.c_str());
        return 2;
    }
    auto report = std::make_shared<Report>(buildReport(*trace));
    const QString prefix = QString::fromLocal8Bit(argv[2]);

    TimelineWidget w;
    w.resize(1600, 900);
    w.setTrace(trace);
    w.setAnalysis(report);
    w.show();
    QTest::qWait(300);

    save(w, prefix + "-1-whole.png");

    const auto& dws = report->deadWindows.windows;
    if (!dws.empty()) {
        const DeadWindow& first = dws.front();
        w.jumpTo(first.rangeStartNs, first.rangeStartNs + first.rangeDurNs);
        w.selectRange(first.rangeStartNs, first.firstGpuStartNs);
        save(w, prefix + "-2-range.png");

        // A steady iteration (the last instance), with its first kernel selected.
        const DeadWindow& last = dws.back();
        w.jumpTo(last.rangeStartNs, last.rangeStartNs + last.rangeDurNs);
        for (uint32_t t = 0; t < trace->tracks.size(); ++t) {
            const Track& tr = trace->tracks[t];
            if (!tr.isGpu()) continue;
            for (uint32_t i = 0; i < tr.size(); ++i)
                if (tr.start[i] == last.firstGpuStartNs && tr.link[i].valid()) {
                    w.selectSlice(EventRef{t, i});
                    break;
                }
        }
        save(w, prefix + "-3-iteration.png");
    }
    return 0;
}
