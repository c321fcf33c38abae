// What becomes of the tracks once a file is read: kinds and names, empty tracks and processes
// dropped (flows following), latency columns dropped where the source wrote none.
#include <catch2/catch.hpp>

#include "core/io/ImportedTracks.h"

using namespace gaplens;
using namespace gaplens::importer;

namespace {

struct OneFile {
    Trace trace;
    FileContext file;
    // A track as the merge makes it: a CpuThread with no name, on process `pid`.
    uint32_t track(int64_t pid, int64_t tid, std::vector<EventKind> kinds = {EventKind::CpuOp}) {
        uint32_t p = 0;
        while (p < trace.processes.size() && trace.processes[p].pid != pid) ++p;
        if (p == trace.processes.size()) trace.addProcess(pid, {});
        const uint32_t t = trace.addTrack(p, TrackKind::CpuThread, tid, {});
        for (EventKind k : kinds) trace.addEvent(t, 0, 1, 0, 0, k);
        file.trackByKey[{pid, tid}] = t;
        return t;
    }
};

}  // namespace

TEST_CASE("tracks with GPU work are streams, profiler overhead and labelled processes are set apart", "[import][tracks]") {
    OneFile f;
    const uint32_t stream = f.track(3, 7, {EventKind::Kernel});
    const uint32_t namedStream = f.track(3, 8, {EventKind::Kernel});
    f.trace.tracks[namedStream].name = "copies";
    f.trace.tracks[namedStream].device = 1;
    const uint32_t farStream = f.track(5000, 9, {EventKind::Memcpy});
    const uint32_t thread = f.track(100, 101);
    const uint32_t cupti = f.track(-1, 0, {EventKind::Overhead});
    const uint32_t overheadOnly = f.track(100, 102, {EventKind::Overhead, EventKind::Overhead});
    const uint32_t spans = f.track(200, 1);
    f.trace.processes[f.trace.tracks[spans].process].pidLabel = "Spans";
    f.trace.tracks[spans].tidLabel = "PyTorch Profiler";

    classifyTracks(f.trace, f.file, {stream, namedStream, farStream, stream});
    const auto& t = f.trace.tracks;
    CHECK(t[stream].trackKind == TrackKind::GpuStream);
    CHECK(t[stream].device == 3);  // no device in the args: the pid (Kineto's GPU pid is the device)
    CHECK(t[stream].name == "stream 7");
    CHECK(t[namedStream].device == 1);
    CHECK(t[namedStream].name == "copies");
    CHECK(t[farStream].device == 0);  // a pid that cannot be a device
    CHECK(t[thread].trackKind == TrackKind::CpuThread);
    CHECK(t[thread].name == "thread 101");
    CHECK(t[cupti].trackKind == TrackKind::Overhead);
    CHECK(t[cupti].name == "CUPTI overhead");
    CHECK(t[overheadOnly].trackKind == TrackKind::Overhead);
    CHECK(t[spans].trackKind == TrackKind::Other);
    CHECK(t[spans].name == "PyTorch Profiler");
}

TEST_CASE("empty tracks and processes go, flows and counters follow the new indices", "[import][tracks]") {
    OneFile f;
    f.track(0, 1, {});                    // an idle GPU's stream: no events
    const uint32_t a = f.track(1, 1);
    f.track(1, 2, {});
    const uint32_t b = f.track(2, 1);
    f.trace.addProcess(9, "counters only");
    f.trace.counters.push_back({3, "mem", {0}, {1}});
    std::vector<ResolvedFlow> flows = {{a, 0, 1, 's', true, 0, 0}, {0, 0, 1, 'f', true, 0, 0}, {b, 0, 2, 's', true, 0, 0}};
    dropEmptyTracks(f.trace, flows);
    REQUIRE(f.trace.tracks.size() == 2);
    REQUIRE(f.trace.processes.size() == 3);  // pid 0 had only the empty track
    CHECK(f.trace.processes[0].pid == 1);
    CHECK(f.trace.processes[0].tracks == std::vector<uint32_t>{0});
    CHECK(f.trace.processes[1].pid == 2);
    CHECK(f.trace.tracks[1].process == 1);
    CHECK(f.trace.counters[0].process == 2);
    REQUIRE(flows.size() == 2);  // the endpoint on the empty track is gone
    CHECK(flows[0].track == 0);
    CHECK(flows[1].track == 1);
}

TEST_CASE("latency columns stay only where some activity has a latency time", "[import][tracks]") {
    OneFile f;
    const uint32_t none = f.track(0, 7, {EventKind::Kernel, EventKind::Kernel});
    const uint32_t some = f.track(0, 8, {EventKind::Kernel, EventKind::Kernel});
    f.trace.tracks[none].queued = {0, 0};
    f.trace.tracks[none].submitted = {0, 0};
    f.trace.tracks[some].queued = {0, 0};
    f.trace.tracks[some].submitted = {0, 250};
    dropUnknownLatencyColumns(f.trace);
    CHECK(f.trace.tracks[none].queued.empty());
    CHECK(f.trace.tracks[none].submitted.empty());
    CHECK(f.trace.tracks[some].submitted == std::vector<TimeNs>{0, 250});
}
