// Exports re-imported: the Perfetto JSON (.json and .json.gz) holds every event of the trace plus
// one per finding in the annotation tracks; the CSV has one line per row; the share page is written.
#include <catch2/catch.hpp>

#include <QFile>
#include <QTemporaryDir>

#include "core/io/ChromeTraceImporter.h"
#include "core/share/FindingsAnnotations.h"
#include "ui/app/GapsModel.h"
#include "ui/app/TraceExports.h"
#include "ui/app/TraceLoader.h"

using namespace gaplens;

namespace {
std::shared_ptr<LoadedTrace> loadFixture(const QString& name) {
    QString error;
    auto loaded = loadTraces({QStringLiteral(GAPLENS_TEST_DATA "/") + name}, LoadOptions{}, {}, nullptr, error);
    INFO(error.toStdString());
    REQUIRE(loaded);
    return loaded;
}
}  // namespace

TEST_CASE("Perfetto export with findings re-imports with every event plus one per finding", "[app][export]") {
    auto loaded = loadFixture(QStringLiteral("torch_mm64_cold.json"));
    const auto annotations = findingsAnnotations(*loaded->report);
    size_t findings = 0;
    for (const auto& t : annotations) findings += t.items.size();
    // Listed gaps (each on its cause's track) and the dead windows of ranges with GPU work.
    size_t deadWithWork = 0;
    for (const auto& w : loaded->report->deadWindows.windows) deadWithWork += w.hasGpuWork && w.durNs > 0;
    CHECK(findings == listedGaps(*loaded->report).size() + deadWithWork);
    REQUIRE(findings > 0);

    QTemporaryDir dir;
    for (const QString& name : {QStringLiteral("out.json"), QStringLiteral("out.json.gz")}) {
        const QString path = dir.filePath(name);
        REQUIRE(exportPerfetto(*loaded, path) == QString());
        Trace back;
        const ImportResult r = importTraces({path.toStdString()}, back);
        INFO(r.error);
        REQUIRE(r.ok);
        CHECK(back.eventCount() == loaded->trace->eventCount() + findings);
    }
    CHECK(exportPerfetto(*loaded, QStringLiteral("/nonexistent/dir/out.json")).startsWith(QStringLiteral("/nonexistent/dir/out.json")));
}

TEST_CASE("table CSV has a header and one line per row, report Markdown and share page are written", "[app][export]") {
    auto loaded = loadFixture(QStringLiteral("torch_mm64_warm.json"));
    GapsModel gaps;
    gaps.setReport(loaded->report);
    const QString csv = modelToCsv(gaps);
    CHECK(csv.count(QLatin1Char('\n')) == gaps.rowCount() + 1);
    CHECK(csv.startsWith(QStringLiteral("GPU,Start,Duration,Cause,What the host did\n")));

    QTemporaryDir dir;
    REQUIRE(exportModelCsv(gaps, dir.filePath(QStringLiteral("gaps.csv"))) == QString());
    REQUIRE(exportMarkdownReport(*loaded, dir.filePath(QStringLiteral("report.md"))) == QString());
    QFile md(dir.filePath(QStringLiteral("report.md")));
    REQUIRE(md.open(QIODevice::ReadOnly));
    CHECK(md.readAll() == QByteArray::fromStdString(reportToMarkdown(*loaded->report)));

    REQUIRE(exportSharePage(*loaded, dir.filePath(QStringLiteral("share.html"))) == QString());
    QFile html(dir.filePath(QStringLiteral("share.html")));
    REQUIRE(html.open(QIODevice::ReadOnly));
    const QByteArray page = html.readAll();
    CHECK(page.contains("<title>gaplens: torch_mm64_warm.json</title>"));
    CHECK(page.contains(">overhead-bound</span>"));
    CHECK(page.contains("id=\"gaplens-trace\""));
}
