// Flow endpoints bound to slices: enclosing or next slice, starts paired with ends by id, ac2g
// flows turned into launch links, other flows kept. Hand-made traces with exact times (ns).
#include <catch2/catch.hpp>

#include "core/io/FlowBinding.h"
#include "core/model/TraceBuilder.h"

using namespace gaplens;
using namespace gaplens::importer;

namespace {

// Thread 0: step [0, 100) holding op [10, 50) holding cudaLaunchKernel [20, 30); an op [60, 70).
// Stream 1: kernel [40, 45). No correlation ids: only flows can link them.
struct TwoTracks {
    Trace trace;
    uint32_t thread = 0, stream = 1;
    StringId ac2g = 0, fwdbwd = 0;
    TwoTracks() {
        TraceBuilder b;
        const auto p = b.process(1, "python");
        thread = b.cpuThread(p, 1);
        stream = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
        b.range(thread, "step", 0, 100).op(thread, "op", 10, 40).op(thread, "op2", 60, 10);
        b.event(thread, EventKind::RuntimeApi, "cudaLaunchKernel", 20, 10);
        b.event(stream, EventKind::Kernel, "k", 40, 5);
        trace = b.build();
        ac2g = trace.strings.intern("ac2g");
        fwdbwd = trace.strings.intern("fwdbwd");
    }
    std::string_view at(EventRef e) const { return e.valid() ? trace.name(e) : "(none)"; }
};

}  // namespace

TEST_CASE("an endpoint binds to the innermost enclosing slice, or else to the next one", "[import][flows]") {
    const TwoTracks t;
    CHECK(t.at(bindFlow(t.trace, t.thread, 25, true)) == "cudaLaunchKernel");
    CHECK(t.at(bindFlow(t.trace, t.thread, 40, true)) == "op");
    CHECK(t.at(bindFlow(t.trace, t.thread, 55, true)) == "step");
    CHECK(t.at(bindFlow(t.trace, t.thread, 55, false)) == "op2");  // not enclosing: the next slice
    CHECK(t.at(bindFlow(t.trace, t.thread, 101, true)) == "(none)");  // after everything
    CHECK(t.at(bindFlow(t.trace, t.stream, 38, true)) == "k");  // enclosing nothing: the next
}

TEST_CASE("an ac2g flow from a launch call to a kernel becomes their launch link", "[import][flows]") {
    TwoTracks t;
    const std::vector<ResolvedFlow> flows = {{t.stream, 40, 9, 'f', true, t.ac2g, t.ac2g},
                                             {t.thread, 25, 9, 's', true, t.ac2g, t.ac2g}};
    REQUIRE(bindFlows(t.trace, flows, 0));  // ends come after starts, whatever the file order
    const int64_t synthetic = int64_t(9 | (1ull << 62));
    CHECK(t.trace.tracks[t.stream].correlation[0] == synthetic);
    t.trace.resolveLinks();
    CHECK(t.at(t.trace.linked({t.stream, 0})) == "cudaLaunchKernel");
    CHECK(t.trace.flows.empty());  // ac2g flows are links, not flows
}

TEST_CASE("other flows are kept, ends without a start or a slice are dropped", "[import][flows]") {
    TwoTracks t;
    const std::vector<ResolvedFlow> flows = {
        {t.thread, 12, 1, 's', true, t.fwdbwd, t.fwdbwd},   // op
        {t.thread, 55, 1, 'f', false, t.fwdbwd, t.fwdbwd},  // op2 (the next slice)
        {t.thread, 12, 2, 'f', true, t.fwdbwd, t.fwdbwd},   // no start with id 2
        {t.thread, 500, 3, 's', true, t.fwdbwd, t.fwdbwd},  // binds to nothing
        {t.thread, 60, 3, 'f', true, t.fwdbwd, t.fwdbwd}};
    CHECK_FALSE(bindFlows(t.trace, flows, 0));
    REQUIRE(t.trace.flows.size() == 1);
    CHECK(t.at(t.trace.flows[0].from) == "op");
    CHECK(t.at(t.trace.flows[0].to) == "op2");
    CHECK(t.trace.flows[0].id == 1);
}

TEST_CASE("times of flows shift with the trace's rebase, a launch that has an id keeps it", "[import][flows]") {
    TwoTracks t;
    t.trace.tracks[t.thread].correlation[2] = 77;  // the launch call (third by start: step, op, launch)
    REQUIRE(t.trace.name({t.thread, 2}) == "cudaLaunchKernel");
    // Endpoints recorded 1000 ns later than the trace's times, as before finalize rebased them.
    const std::vector<ResolvedFlow> flows = {{t.thread, 1025, 4, 's', true, t.ac2g, t.ac2g},
                                             {t.stream, 1040, 4, 'f', true, t.ac2g, t.ac2g}};
    CHECK_FALSE(bindFlows(t.trace, flows, 1000));
    CHECK(t.trace.tracks[t.thread].correlation[2] == 77);
    CHECK(t.trace.tracks[t.stream].correlation[0] == 0);
}
