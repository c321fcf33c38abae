// Export to Perfetto/Kineto JSON and the round trip import(export(t)) == t.
#include <catch2/catch.hpp>

#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/io/ChromeTraceImporter.h"
#include "core/io/PerfettoJsonExporter.h"
#include "TestSupport.h"

using namespace gaplens;
using namespace gaplens::test;

namespace {

// Everything that must survive a round trip, per track, keyed by the track's identity.
using EventKey = std::tuple<TimeNs, TimeNs, std::string, uint16_t, EventKind, int64_t>;
std::map<std::string, std::vector<EventKey>> eventsByTrack(const Trace& t) {
    std::map<std::string, std::vector<EventKey>> out;
    for (const Track& tr : t.tracks) {
        auto& v = out[t.processLabel(tr.process) + "/" + tr.name];
        for (size_t i = 0; i < tr.size(); ++i)
            v.emplace_back(tr.start[i], tr.dur[i], std::string(t.strings.str(tr.nameId[i])), tr.depth[i], tr.kind[i],
                           tr.correlation[i]);
    }
    return out;
}
std::vector<std::pair<std::string, TimeNs>> links(const Trace& t) {
    std::vector<std::pair<std::string, TimeNs>> out;
    for (const Track& tr : t.tracks)
        for (size_t i = 0; i < tr.size(); ++i)
            if (tr.link[i].valid())
                out.emplace_back(std::string(t.strings.str(tr.nameId[i])) + "->" + std::string(t.name(tr.link[i])),
                                 tr.start[i]);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("round trip keeps events, nesting, times and links", "[export]") {
    for (const char* fixture : {"torch_mm64_cold.json", "torch_mm8192_warm.json.gz", "torch_train_step.json.gz"}) {
        INFO(fixture);
        Trace original;
        REQUIRE(importChromeTrace(dataPath(fixture), original).ok);
        TempDir dir;
        for (const char* out : {"rt.json", "rt.json.gz"}) {
            REQUIRE(exportPerfettoJson(original, dir.file(out)).empty());
            Trace back;
            const ImportResult r = importChromeTrace(dir.file(out), back);
            REQUIRE(r.ok);
            CHECK(r.warnings.empty());
            CHECK(back.eventCount() == original.eventCount());
            CHECK(back.originAbsNs == original.originAbsNs);
            CHECK(eventsByTrack(back) == eventsByTrack(original));
            CHECK(links(back) == links(original));
            CHECK(back.processes.size() == original.processes.size());
        }
    }
}

TEST_CASE("export names processes and threads and draws launch flows", "[export]") {
    Trace t;
    REQUIRE(importChromeTrace(dataPath("torch_mm64_cold.json"), t).ok);
    const nlohmann::json doc = nlohmann::json::parse(perfettoJsonString(t));
    size_t flowsStart = 0, flowsEnd = 0, threadNames = 0, kernels = 0;
    for (const auto& e : doc["traceEvents"]) {
        const std::string ph = e["ph"];
        flowsStart += ph == "s";
        flowsEnd += ph == "f";
        threadNames += ph == "M" && e["name"] == "thread_name";
        if (ph == "X" && e["cat"] == "kernel") {
            ++kernels;
            CHECK(e["args"]["stream"] == 7);
            CHECK(e["tid"] == 7);
        }
    }
    CHECK(kernels == 40);
    CHECK(flowsStart == 40);  // one arrow per kernel
    CHECK(flowsEnd == 40);
    CHECK(threadNames == t.tracks.size());
    CHECK(doc["deviceProperties"][0]["name"] == "NVIDIA H100 80GB HBM3");
}

TEST_CASE("annotation tracks and a time window", "[export]") {
    Trace t;
    REQUIRE(importChromeTrace(dataPath("torch_mm64_warm.json"), t).ok);
    ExportOptions options;
    options.annotations.push_back({"GPU 0 idle gaps", {{1000, 500, "host-overhead", {{"dur_us", 0.5}}}}});
    options.window = std::make_pair<TimeNs, TimeNs>(0, t.endNs() / 2);
    TempDir dir;
    REQUIRE(exportPerfettoJson(t, dir.file("w.json"), options).empty());
    Trace back;
    REQUIRE(importChromeTrace(dir.file("w.json"), back).ok);
    const EventRef gap = findEvent(back, "host-overhead");
    REQUIRE(gap.valid());
    CHECK(back.tracks[gap.track].name == "GPU 0 idle gaps");
    CHECK(back.processes[back.tracks[gap.track].process].name == "gaplens findings");
    CHECK(back.eventCount() < t.eventCount() + 1);
    CHECK(back.eventCount() > 1);
}

TEST_CASE("a failed export leaves no file and keeps an earlier one", "[export][bad]") {
    Trace t;
    REQUIRE(importChromeTrace(dataPath("torch_mm64_warm.json"), t).ok);
    TempDir dir;
    CHECK_FALSE(exportPerfettoJson(t, dir.file("no/such/dir/out.json")).empty());
    const std::string keep = dir.write("keep.json", "previous");
    // A directory in the way of the rename: the write fails, the old file stays, no temp remains.
    std::filesystem::create_directory(dir.file("adir.json"));
    CHECK_FALSE(exportPerfettoJson(t, dir.file("adir.json")).empty());
    CHECK(readFile(keep) == "previous");
    for (const auto& entry : std::filesystem::directory_iterator(dir.path))
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("gaplens export CLI writes .json.gz and honours --window", "[export][cli]") {
    TempDir dir;
    const CliResult r = runCli("export '" + dataPath("torch_mm64_cold.json") + "' -o '" + dir.file("o.json.gz") +
                               "' --window 0:50ms");
    REQUIRE(r.exitCode == 0);
    Trace back;
    REQUIRE(importChromeTrace(dir.file("o.json.gz"), back).ok);
    CHECK(back.eventCount() > 0);
    CHECK(back.eventCount() < 236);
    CHECK(runCli("export x.json -o y.json --window 5ms:1ms").exitCode == 1);
}

TEST_CASE("exporting to a device such as /dev/null writes through it and leaves it a device", "[export]") {
    Trace t;
    REQUIRE(importChromeTrace(dataPath("torch_mm64_warm.json"), t).ok);
    CHECK(exportPerfettoJson(t, "/dev/null").empty());
    CHECK(std::filesystem::is_character_file("/dev/null"));
}
