// Window choice: torch.profiler's steps, then the outermost repeating range that encloses most of
// the GPU work, then detected iterations, then the whole trace.
#include <catch2/catch.hpp>

#include "core/analysis/HostActivity.h"
#include "core/analysis/WindowChoice.h"
#include "core/model/TraceBuilder.h"

using namespace gaplens;

namespace {

constexpr TimeNs us = 1000;

struct Steps {
    bool profilerSteps = false;   // ProfilerStep#5.. around each step
    bool trainStep = false;       // a `train_step` range around each step
    bool forward = false;         // a `forward` range around the forward launches
    bool optimizer = false;       // an `Optimizer.step#AdamW.step` range around the optimizer launch
    bool twiceNamed = false;      // a second `train_step` inside the first (NVTX and record_function)
    int steps = 4;
};

// Steps of 1 ms: forward (2 kernels of 100 us), backward (2 kernels of 100 us), optimizer (one
// kernel of 10 us), launched 50 us apart from 100 us into the step.
Trace stepsTrace(const Steps& o) {
    TraceBuilder b;
    const auto th = b.cpuThread(b.process(1, "python"), 1);
    const auto s = b.gpuStream(b.process(0, "GPU 0"), 0, 7);
    int64_t corr = 1;
    TimeNs gpuFree = 0;
    auto launch = [&](const char* name, TimeNs at, TimeNs dur) {
        const TimeNs start = std::max(gpuFree, at + 10 * us);
        b.launch(th, s, name, at, 5 * us, start, dur, corr++);
        gpuFree = start + dur;
    };
    for (int i = 0; i < o.steps; ++i) {
        const TimeNs t0 = i * 1000 * us;
        if (o.profilerSteps) b.range(th, "ProfilerStep#" + std::to_string(5 + i), t0, 990 * us);
        if (o.trainStep) b.range(th, "train_step", t0 + 50 * us, 900 * us);
        if (o.twiceNamed) b.range(th, "train_step", t0 + 51 * us, 898 * us);
        if (o.forward) b.range(th, "forward", t0 + 90 * us, 100 * us);
        launch("fwd_gemm", t0 + 100 * us, 100 * us);
        launch("fwd_gelu", t0 + 150 * us, 100 * us);
        launch("bwd_gemm", t0 + 200 * us, 100 * us);
        launch("bwd_gelu", t0 + 250 * us, 100 * us);
        if (o.optimizer) b.range(th, "Optimizer.step#AdamW.step", t0 + 290 * us, 30 * us);
        launch("adam", t0 + 300 * us, 10 * us);
    }
    return b.build();
}

WindowChoice choiceOf(const Trace& t) {
    const GpuBusy busy = computeGpuBusy(t);
    return chooseWindow(t, busy, computeDeadWindows(t, busy, buildHostActivity(t)));
}

}  // namespace

TEST_CASE("ProfilerStep#N ranges make the window, before any other range", "[window]") {
    CHECK(isProfilerStepName("ProfilerStep#12"));
    CHECK_FALSE(isProfilerStepName("ProfilerStep#"));
    CHECK_FALSE(isProfilerStepName("Optimizer.step#AdamW.step"));
    CHECK(rangeFamilyOf("ProfilerStep#3") == "ProfilerStep");
    // The step names are views into the dead windows' range names: keep those alive.
    const Trace t = stepsTrace({.profilerSteps = true, .trainStep = true});
    const GpuBusy busy = computeGpuBusy(t);
    const DeadWindows dead = computeDeadWindows(t, busy, buildHostActivity(t));
    const WindowChoice w = chooseWindow(t, busy, dead);
    CHECK(w.kind == WindowKind::ProfilerSteps);
    CHECK(w.rangeName == "ProfilerStep");
    REQUIRE(w.instances.size() == 4);
    CHECK(w.instances[1] == TimeInterval{1000 * us, 1990 * us});
    CHECK(w.stepNames.front() == "ProfilerStep#5");
}

TEST_CASE("the outermost repeating range that encloses most of the GPU work", "[window]") {
    // `forward` encloses 4 x 200 us of the 4 x 200 + 3 x 210 us launched from its first instance
    // to its last (56%): it qualifies, but train_step holds it.
    const WindowChoice w = choiceOf(stepsTrace({.trainStep = true, .forward = true, .optimizer = true}));
    CHECK(w.kind == WindowKind::Range);
    CHECK(w.rangeName == "train_step");
    CHECK(w.instances.size() == 4);
    SECTION("without train_step, forward is the outermost that qualifies") {
        const WindowChoice f = choiceOf(stepsTrace({.forward = true, .optimizer = true}));
        CHECK(f.kind == WindowKind::Range);
        CHECK(f.rangeName == "forward");
    }
}

TEST_CASE("a range around a small part of each step is not the window: iterations are detected", "[window]") {
    // Optimizer.step encloses 10 us of each step's 410 us of GPU work.
    const WindowChoice w = choiceOf(stepsTrace({.optimizer = true}));
    CHECK(w.kind == WindowKind::Detected);
    CHECK(w.rangeName.empty());
    CHECK(w.detectedPeriod == 5);
    CHECK(w.instances.size() == 4);
    // Each iteration begins at the launch after the longest host pause: the step's first one.
    CHECK(w.instances[1].start == 1100 * us);
}

TEST_CASE("a range needs 3 instances, with nothing that repeats the window is the whole trace", "[window]") {
    const WindowChoice two = choiceOf(stepsTrace({.trainStep = true, .steps = 2}));
    CHECK(two.kind == WindowKind::WholeTrace);
    CHECK(two.instances.empty());
    const WindowChoice three = choiceOf(stepsTrace({.trainStep = true, .steps = 3}));
    CHECK(three.kind == WindowKind::Range);
}

TEST_CASE("a step marked twice with one name (NVTX and record_function) is one iteration, not two", "[window]") {
    const WindowChoice w = choiceOf(stepsTrace({.trainStep = true, .twiceNamed = true}));
    CHECK(w.kind == WindowKind::Range);
    CHECK(w.rangeName == "train_step");
    REQUIRE(w.instances.size() == 4);
    CHECK(w.instances[1] == TimeInterval{1050 * us, 1950 * us});
}
