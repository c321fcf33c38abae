// CPU time: the launching threads' busy time, minus the time they were blocked in syncs.
#include <catch2/catch.hpp>

#include <vector>

#include "core/analysis/CpuTime.h"
#include "core/analysis/HostActivity.h"
#include "core/model/TraceBuilder.h"

using namespace gaplens;

namespace {
constexpr TimeNs us = 1000;
}  // namespace

TEST_CASE("time blocked in a synchronize call is not CPU time", "[cpu_time]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    b.op(th, "step", 0, 100 * us);
    b.event(th, EventKind::RuntimeApi, "cudaStreamSynchronize", 40 * us, 50 * us);
    const Trace t = b.build();
    const HostActivity host = buildHostActivity(t);
    const std::vector<uint32_t> threads{th};
    const CpuTime c = cpuTimeIn(host, threads, 0, 100 * us);
    CHECK(c.busyNs == 100 * us);
    CHECK(c.blockedNs == 50 * us);
    CHECK(c.cpuNs() == 50 * us);
    // Clipped to the window asked for.
    CHECK(cpuTimeIn(host, threads, 50 * us, 100 * us).cpuNs() == 10 * us);
}

TEST_CASE("over several threads: a wait on one while another works is CPU time", "[cpu_time]") {
    TraceBuilder b;
    const auto p = b.process(1, "app");
    const auto main = b.cpuThread(p, 1), autograd = b.cpuThread(p, 2), idle = b.cpuThread(p, 3);
    b.op(main, "step", 0, 100 * us);
    b.event(main, EventKind::RuntimeApi, "cudaDeviceSynchronize", 20 * us, 60 * us);  // 20..80
    b.op(autograd, "backward", 50 * us, 20 * us);                                     // 50..70
    b.op(idle, "other", 200 * us, 20 * us);
    const Trace t = b.build();
    const HostActivity host = buildHostActivity(t);
    const std::vector<uint32_t> threads{main, autograd};
    const CpuTime c = cpuTimeIn(host, threads, 0, 300 * us);
    CHECK(c.busyNs == 100 * us);
    CHECK(c.blockedNs == 40 * us);  // 20..50 and 70..80: only the main thread was there, waiting
    CHECK(c.cpuNs() == 60 * us);
}

TEST_CASE("a call that a cuda_sync record names blocks, whatever its name, a stream wait does not", "[cpu_time]") {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "app"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    b.op(th, "aten::item", 0, 100 * us);
    b.event(th, EventKind::RuntimeApi, "cudaMemcpyAsync", 10 * us, 50 * us, 5);
    b.event(s, EventKind::GpuSync, "Stream Sync", 11 * us, 48 * us, 5);
    b.event(th, EventKind::RuntimeApi, "cudaStreamWaitEvent", 70 * us, 10 * us, 6);
    b.event(s, EventKind::GpuSync, "Stream Wait Event", 70 * us, 10 * us, 6);
    const Trace t = b.build();
    const HostActivity host = buildHostActivity(t);
    REQUIRE(host.threads.size() == 1);
    REQUIRE(host.threads[0].blockingCalls.size() == 1);
    CHECK(t.name(host.threads[0].blockingCalls[0]) == "cudaMemcpyAsync");
    const std::vector<uint32_t> threads{th};
    CHECK(cpuTimeIn(host, threads, 0, 100 * us).cpuNs() == 50 * us);
}
