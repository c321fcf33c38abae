// Each file's events on the shared timeline: the base time added, runs aligned at their start,
// and the GPUs of aligned runs kept apart. Hand-made traces (times in ns, before finalize).
#include <catch2/catch.hpp>

#include "core/io/FileAlignment.h"

using namespace gaplens;
using namespace gaplens::importer;

namespace {

// Two files, each a GPU process (pid 0) with one stream (tid 7) on `device` and one counter; the
// stream holds kernels at `starts`, queued 100 ns before each (0 for the last: unknown).
struct Files {
    Trace trace;
    FileContext file[2];
    std::vector<ResolvedFlow> flows;

    void add(uint32_t f, int32_t device, std::vector<TimeNs> starts, std::string processName = "GPU 0") {
        file[f].fileIndex = f;
        const uint32_t p = trace.addProcess(0, processName, f);
        const uint32_t t = trace.addTrack(p, TrackKind::GpuStream, 7, "stream 7", device);
        file[f].trackByKey[{0, 7}] = t;
        for (TimeNs s : starts) trace.addEvent(t, s, 10, 0, 0, EventKind::Kernel);
        for (size_t i = 0; i < starts.size(); ++i)
            trace.tracks[t].queued.push_back(i + 1 < starts.size() ? starts[i] - 100 : 0);
        trace.tracks[t].submitted.assign(starts.size(), 0);
        trace.counters.push_back({p, "busy", {starts.front()}, {1.0}});
        flows.push_back({t, starts.front(), f, 'f', true, 0, 0});
    }
    const Track& stream(uint32_t f) const { return trace.tracks.at(file[f].trackByKey.at({0, 7})); }
};

}  // namespace

TEST_CASE("the base time moves one file's events and counters, not the other file's", "[import][align]") {
    Files fs;
    fs.add(0, 0, {300, 500});
    fs.add(1, 0, {2000, 2500});
    fs.file[1].baseNs = 5000;
    applyBaseTime(fs.trace, fs.file[0]);  // no base time: nothing moves
    applyBaseTime(fs.trace, fs.file[1]);
    CHECK(fs.stream(0).start == std::vector<TimeNs>{300, 500});
    CHECK(fs.stream(1).start == std::vector<TimeNs>{7000, 7500});
    CHECK(fs.stream(1).queued == std::vector<TimeNs>{1900, 0});  // latency times are absolute already
    CHECK(fs.trace.counters[0].time == std::vector<TimeNs>{300});
    CHECK(fs.trace.counters[1].time == std::vector<TimeNs>{7000});
}

TEST_CASE("aligned at their start, a later file's events, latency times, counters and flows move", "[import][align]") {
    Files fs;
    fs.add(0, 0, {300, 500});
    fs.add(1, 0, {2000, 2500});
    std::optional<TimeNs> alignAt;
    alignFileStart(fs.trace, 0, fs.file[0].trackByKey, fs.flows, 0, alignAt);
    REQUIRE(alignAt == 300);  // the first file sets where every file starts
    CHECK(fs.stream(0).start == std::vector<TimeNs>{300, 500});
    alignFileStart(fs.trace, 1, fs.file[1].trackByKey, fs.flows, 1, alignAt);
    CHECK(fs.stream(1).start == std::vector<TimeNs>{300, 800});
    CHECK(fs.stream(1).queued == std::vector<TimeNs>{200, 0});  // unknown (0) stays unknown
    CHECK(fs.trace.counters[1].time == std::vector<TimeNs>{300});
    CHECK(fs.flows[0].ts == 300);
    CHECK(fs.flows[1].ts == 300);  // from fileFlowsBegin on: this file's flows
}

TEST_CASE("a file without events leaves the alignment to the next file", "[import][align]") {
    Trace trace;
    FileContext empty;
    trace.addTrack(trace.addProcess(1, "python", 0), TrackKind::CpuThread, 1, "main");
    empty.trackByKey[{1, 1}] = 0;
    std::vector<ResolvedFlow> flows;
    std::optional<TimeNs> alignAt;
    alignFileStart(trace, 0, empty.trackByKey, flows, 0, alignAt);
    CHECK_FALSE(alignAt.has_value());
}

TEST_CASE("aligned runs on one GPU get GPU numbers of their own, and say which GPU they were", "[import][align]") {
    Files fs;
    fs.add(0, 0, {300});
    fs.add(1, 0, {300});
    std::vector<int32_t> taken;
    std::vector<std::string> warnings;
    separateAlignedDevices(fs.trace, "/runs/a.json", fs.file[0].trackByKey, taken, warnings);
    CHECK(fs.stream(0).device == 0);
    CHECK(warnings.empty());
    separateAlignedDevices(fs.trace, "/runs/b.json", fs.file[1].trackByKey, taken, warnings);
    CHECK(fs.stream(1).device == 1);
    CHECK(fs.trace.processes[fs.stream(1).process].name == "GPU 1 (b.json: GPU 0)");
    CHECK(taken == std::vector<int32_t>{0, 1});
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] ==
          "/runs/b.json: GPU 0 is shown and analysed as GPU 1, apart from the other files' GPU 0 (files aligned at "
          "their start)");
}

TEST_CASE("a renumbered GPU whose process has a name of its own keeps it", "[import][align]") {
    Files fs;
    fs.add(0, 0, {300});
    fs.add(1, 0, {300}, "python3");
    std::vector<int32_t> taken;
    std::vector<std::string> warnings;
    separateAlignedDevices(fs.trace, "a.json", fs.file[0].trackByKey, taken, warnings);
    separateAlignedDevices(fs.trace, "b.json", fs.file[1].trackByKey, taken, warnings);
    CHECK(fs.trace.processes[fs.stream(1).process].name == "GPU 1 (b.json: GPU 0, python3)");
}

TEST_CASE("a renumbered GPU never takes the number of another GPU of the same file", "[import][align]") {
    // The first run used GPU 0; the second used GPUs 0 and 1. Its GPU 0 must not become GPU 1.
    Files fs;
    fs.add(0, 0, {300});
    fs.add(1, 0, {300});
    const uint32_t second = fs.trace.addTrack(fs.trace.addProcess(1, "GPU 1", 1), TrackKind::GpuStream, 7, "", 1);
    fs.trace.addEvent(second, 300, 10, 0, 0, EventKind::Kernel);
    fs.file[1].trackByKey[{1, 7}] = second;
    std::vector<int32_t> taken;
    std::vector<std::string> warnings;
    separateAlignedDevices(fs.trace, "a.json", fs.file[0].trackByKey, taken, warnings);
    separateAlignedDevices(fs.trace, "b.json", fs.file[1].trackByKey, taken, warnings);
    CHECK(fs.stream(1).device == 2);
    CHECK(fs.trace.tracks[second].device == 1);
    CHECK(fs.trace.processes[fs.stream(1).process].name == "GPU 2 (b.json: GPU 0)");
    CHECK(fs.trace.processes[fs.trace.tracks[second].process].name == "GPU 1");
}
