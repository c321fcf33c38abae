// The whole-model digest: the same model gives the same digest, and a change to any part of the
// model (a string, a track's name, one column value, a link, a flow) changes it and the part's own.
#include <catch2/catch.hpp>

#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceBuilder.h"
#include "core/model/TraceDigest.h"
#include "TestSupport.h"

using namespace gaplens;
using namespace gaplens::test;

namespace {

// A thread that launches two kernels on one stream (hand-made, times in ns).
Trace twoLaunches() {
    TraceBuilder b;
    const auto proc = b.process(100, "python");
    const auto gpu = b.process(0, "GPU 0");
    const auto th = b.cpuThread(proc, 100);
    const auto stream = b.gpuStream(gpu, 0, 7);
    b.op(th, "aten::mm", 1000, 20000);
    b.launch(th, stream, "gemm", 2000, 5000, 9000, 4000, 1);
    b.launch(th, stream, "add", 12000, 5000, 19000, 2000, 2);
    return b.build();
}

}  // namespace

TEST_CASE("the same model gives the same digest, each kind of change shows in its part", "[digest]") {
    const TraceDigest base = digestOf(twoLaunches());
    CHECK(digestOf(twoLaunches()) == base);

    Trace t = twoLaunches();
    t.tracks[1].start[0] += 1;  // one column value of the stream
    const TraceDigest moved = digestOf(t);
    CHECK(moved.columns != base.columns);
    CHECK(moved.strings == base.strings);
    CHECK(moved.structure == base.structure);
    CHECK(moved.whole != base.whole);

    t = twoLaunches();
    t.tracks[0].link[1] = EventRef{};  // a launch link
    CHECK(digestOf(t).columns != base.columns);

    t = twoLaunches();
    t.tracks[0].name = "main";
    CHECK(digestOf(t).structure != base.structure);
    CHECK(digestOf(t).columns == base.columns);

    t = twoLaunches();
    t.strings.intern("unused");
    CHECK(digestOf(t).strings != base.strings);

    t = twoLaunches();
    t.flows.push_back({EventRef{0, 0}, EventRef{1, 0}, 5, 0, 0});
    CHECK(digestOf(t).extras != base.extras);
    CHECK(digestOf(t).whole != base.whole);
}

TEST_CASE("an import gives one digest whatever the threads and read windows", "[digest][import]") {
    // The 441-event cold 64x64 trace, read whole on one thread and in 4 KiB windows on three.
    Trace one, many;
    ImportOptions a, b;
    a.threads = 1;
    b.threads = 3;
    b.windowBytes = 4096;
    REQUIRE(importTraces({dataPath("torch_mm64_cold.json")}, one, a).ok);
    REQUIRE(importTraces({dataPath("torch_mm64_cold.json")}, many, b).ok);
    CHECK(digestOf(one) == digestOf(many));
    CHECK(digestOf(one).text().rfind("whole ", 0) == 0);
}
