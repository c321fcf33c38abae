// The capture engine's pure parts (schedule, trace writer, output names): no GPU needed, so
// these run (and can fail) wherever the capture library builds.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "core/capture/ApiCallRecorder.h"
#include "core/capture/CaptureReport.h"
#include "core/capture/ChromeTraceWriter.h"
#include "core/capture/CuptiCollector.h"
#include "core/capture/ProgramCapture.h"
#include "core/capture/Schedule.h"
#include "core/analysis/Collectives.h"
#include "core/analysis/JobRanks.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/report/Report.h"

using namespace gaplens::capture;

TEST_CASE("schedule 1,2,5,1: step 0 waits, 1-2 warm up, 3-7 are recorded, then nothing", "[gpu][capture]") {
    std::string error;
    const auto s = Schedule::parse("1,2,5,1", &error);
    REQUIRE(s);
    CHECK(s->phase(0) == StepPhase::Idle);
    CHECK(s->phase(1) == StepPhase::Warmup);
    CHECK(s->phase(2) == StepPhase::Warmup);
    for (int step = 3; step <= 7; ++step) CHECK(s->phase(step) == StepPhase::Active);
    CHECK(s->endsCycle(7));
    CHECK_FALSE(s->endsCycle(6));
    CHECK(s->phase(8) == StepPhase::Idle);
    CHECK(s->phase(19) == StepPhase::Idle);
    CHECK(s->stepsNeeded() == 8);
    // repeat 0: cycles forever.
    const auto forever = Schedule::parse("0,0,2,0", &error);
    REQUIRE(forever);
    CHECK(forever->phase(101) == StepPhase::Active);
    CHECK(forever->endsCycle(101));
}

TEST_CASE("schedule text that is not four non-negative numbers is refused with a reason", "[gpu][capture]") {
    std::string error;
    CHECK_FALSE(Schedule::parse("1,2,5", &error));
    CHECK(error.find("four numbers") != std::string::npos);
    CHECK_FALSE(Schedule::parse("1,x,5,1", &error));
    CHECK(error.find("'x'") != std::string::npos);
    CHECK_FALSE(Schedule::parse("1,1,0,1", &error));
    CHECK(error.find("active") != std::string::npos);
}

TEST_CASE("the trace writer's Kineto dialect reads back with exact ns and complete launch flows", "[gpu][capture]") {
    CaptureData d;
    d.pid = 4242;
    d.processName = "demo";
    const uint64_t t = 1790000000123456789ull;
    d.ranges.push_back({t, t + 20000, 4242, 4243, d.strings.intern("matmul_add")});
    d.apis.push_back({t + 1000, t + 6000, 4242, 4243, 17, 307, d.strings.intern("cuLaunchKernelEx"), true});
    d.apis.push_back({t + 7000, t + 9500, 4242, 4243, 18, 211, d.strings.intern("cudaLaunchKernel"), false});
    GpuRecord gemm;
    gemm.start = t + 12001;
    gemm.end = t + 14500;
    gemm.queued = t + 5000;
    gemm.submitted = t + 11000;
    gemm.stream = 13;
    gemm.correlation = 17;
    gemm.name = d.strings.intern("nvjet_\"quoted\"");
    d.gpu.push_back(gemm);
    GpuRecord add = gemm;
    add.start = t + 15000;
    add.end = t + 16000;
    add.correlation = 18;
    add.name = d.strings.intern("gaplens_add_bf16");
    d.gpu.push_back(add);

    const std::string path = (std::filesystem::temp_directory_path() / ("gaplens_writer_" + std::to_string(getpid()) + ".json")).string();
    REQUIRE(writeChromeTrace(d, path).empty());
    std::ifstream in(path);
    const nlohmann::json doc = nlohmann::json::parse(in);
    CHECK(doc["baseTimeNanoseconds"].get<uint64_t>() == 1790000000000000000ull);
    int flowsStart = 0, flowsFinish = 0;
    for (const auto& e : doc["traceEvents"]) {
        if (e["ph"] == "s") ++flowsStart;
        if (e["ph"] == "f") ++flowsFinish;
        if (e["ph"] == "X" && e["name"] == "matmul_add") {
            CHECK(e["cat"] == "user_annotation");
            CHECK(e["ts"].get<double>() == Approx(123456.789).epsilon(1e-12));
            CHECK(e["dur"].get<double>() == Approx(20.0));
        }
        if (e["ph"] == "X" && e["cat"] == "kernel" && e["args"]["correlation"] == 17) {
            CHECK(e["name"] == "nvjet_\"quoted\"");
            CHECK(e["args"]["queued"].get<uint64_t>() == t + 5000);
            CHECK(e["args"]["submitted"].get<uint64_t>() == t + 11000);
            CHECK(e["pid"] == 0);
            CHECK(e["tid"] == 13);
        }
    }
    CHECK(flowsStart == 2);
    CHECK(flowsFinish == 2);

    // Read back by the importer every other command uses, to the ns, and measured by the report.
    gaplens::Trace back;
    REQUIRE(gaplens::importChromeTrace(path, back).ok);
    back.finalize();
    auto absoluteStartOf = [&](std::string_view name) -> uint64_t {
        for (const gaplens::Track& track : back.tracks)
            for (size_t i = 0; i < track.start.size(); ++i)
                if (back.strings.str(track.nameId[i]) == name) return back.originAbsNs + track.start[i];
        return 0;
    };
    CHECK(absoluteStartOf("matmul_add") == t);
    CHECK(absoluteStartOf("nvjet_\"quoted\"") == t + 12001);
    CHECK(back.eventCount() == 5);
    const gaplens::Report report = gaplens::buildReport(back);
    // Dead window of the one range: GPU idle from range start to the first kernel = 12.001 µs.
    REQUIRE(report.deadWindows.windows.size() == 1);
    CHECK(report.deadWindows.windows[0].durNs == 12001);
    REQUIRE(report.gpu.devices.size() == 1);
    CHECK(report.gpu.devices[0].busyNs == 3499);
    std::filesystem::remove(path);
}

TEST_CASE("a rank's capture says its rank as Kineto does, so that gaplens reads the files as a job", "[gpu][capture]") {
    CaptureData d;
    d.pid = 11;
    d.processName = "python3";
    const uint64_t t = 1790000000000000000ull;
    d.apis.push_back({t + 1000, t + 2000, 11, 12, 5, 211, d.strings.intern("cudaLaunchKernel"), false});
    GpuRecord k;
    k.start = t + 3000;
    k.end = t + 4000;
    k.stream = 7;
    k.correlation = 5;
    k.name = d.strings.intern("ncclDevKernel_AllReduce_Sum_f32_RING_LL");
    d.gpu.push_back(k);
    TraceWriteOptions options;
    options.topLevel = {{"distributedInfo", "{\"rank\": 1, \"world_size\": 2}"}};
    options.metadata = {{"host", jsonString("node-7")}};
    const std::string path =
        (std::filesystem::temp_directory_path() / ("gaplens_rank_" + std::to_string(getpid()) + ".json")).string();
    REQUIRE(writeChromeTrace(d, path, options).empty());
    gaplens::Trace trace;
    REQUIRE(gaplens::importTraces({path}, trace).ok);
    const gaplens::JobRanks ranks = gaplens::findJobRanks(trace);
    REQUIRE(ranks.ranks.size() == 1);
    CHECK(ranks.ranks[0].rank == 1);
    CHECK(ranks.ranks[0].fromMetadata);
    CHECK(ranks.ranks[0].worldSize == 2);
    CHECK(ranks.ranks[0].host == "node-7");
    const gaplens::RankCollectives rc = gaplens::computeRankCollectives(trace, ranks.ranks[0]);
    REQUIRE(rc.kernels.size() == 1);
    CHECK(rc.kernels[0].startAbsNs == int64_t(t + 3000));
    std::filesystem::remove(path);
}

TEST_CASE("processes a captured program starts get their own trace file", "[gpu][capture]") {
    CHECK(outputForProcess("/r/run.json", true, 77) == "/r/run.json");
    CHECK(outputForProcess("/r/run.json", false, 77) == "/r/run.pid77.json");
    CHECK(outputForProcess("/r/run.json.gz", false, 77) == "/r/run.pid77.json.gz");
    CHECK(outputForProcess("/r/run", false, 77) == "/r/run.pid77.json");
    // The ranks torchrun starts are named by their rank; the program itself keeps its name.
    CHECK(outputForProcess("/r/run.json.gz", false, 77, "3") == "/r/run.rank3.json.gz");
    CHECK(outputForProcess("/r/run.json.gz", true, 77, "3") == "/r/run.json.gz");
}

TEST_CASE("a process's rank: RANK, else LOCAL_RANK, none for a helper its rank started", "[gpu][capture]") {
    CHECK(rankOfProcess("2", "0", "", "") == "2");
    CHECK(rankOfProcess(nullptr, "1", "", "") == "1");
    CHECK(rankOfProcess(nullptr, nullptr, "", "").empty());
    CHECK(rankOfProcess("x", nullptr, "", "").empty());
    // A DataLoader or compile worker inherits its rank's environment: its parent has the same RANK.
    CHECK(rankOfProcess("2", "0", "2", "0").empty());
    CHECK(rankOfProcess(nullptr, "1", "", "1").empty());
    // torchrun itself has no RANK: its children are the ranks.
    CHECK(rankOfProcess("5", "1", "", "") == "5");
}

TEST_CASE("the traces a capture's other processes wrote: ranks by number, then pids", "[gpu][capture]") {
    const auto dir = std::filesystem::temp_directory_path() / ("gaplens_outputs_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (const char* name : {"run.rank10.json.gz", "run.rank2.json.gz", "run.pid77.json.gz", "run.json.gz",
                             "run.rankx.json.gz", "other.rank1.json.gz", "run.rank1.json"})
        std::ofstream(dir / name) << "{}";
    const auto found = processOutputs((dir / "run.json.gz").string());
    REQUIRE(found.size() == 3);
    CHECK(std::filesystem::path(found[0]).filename() == "run.rank2.json.gz");
    CHECK(std::filesystem::path(found[1]).filename() == "run.rank10.json.gz");
    CHECK(std::filesystem::path(found[2]).filename() == "run.pid77.json.gz");
    std::filesystem::remove_all(dir);
}

TEST_CASE("selectWindows keeps host events inside the window and the GPU work they launched", "[gpu][capture]") {
    CaptureData d;
    d.apis.push_back({100, 110, 1, 1, 1, 0, 0, false});   // before the window
    d.apis.push_back({200, 210, 1, 1, 2, 0, 0, false});   // inside
    d.apis.push_back({140, 145, 1, 1, 3, 0, 0, false});   // before, its kernel runs inside
    GpuRecord queued;
    queued.start = 160;
    queued.end = 170;
    queued.correlation = 3;
    GpuRecord late;
    late.start = 400;  // launched inside, runs after the window closed
    late.end = 450;
    late.correlation = 2;
    GpuRecord early = late;
    early.correlation = 1;
    early.start = 120;
    early.end = 130;
    d.gpu = {early, queued, late};
    d.ranges.push_back({90, 115, 1, 1, 0});
    d.ranges.push_back({195, 220, 1, 1, 0});
    selectWindows(d, {{150, 300}});
    // The queued kernel runs inside the window: it stays, and so does its launch, so that it links.
    REQUIRE(d.apis.size() == 2);
    CHECK(d.apis[0].correlation == 2);
    CHECK(d.apis[1].correlation == 3);
    REQUIRE(d.gpu.size() == 2);
    CHECK(d.gpu[0].correlation == 3);
    CHECK(d.gpu[1].start == 400);
    REQUIRE(d.ranges.size() == 1);
    CHECK(d.ranges[0].start == 195);
}

TEST_CASE("API calls recorded through callbacks: launches, copies, syncs and one-time calls, but not queries", "[gpu][capture]") {
    // CUPTI's callback names, as cuptiGetCallbackName spells them.
    for (const char* recorded :
         {"cudaLaunchKernel_v7000", "cudaLaunchKernelExC_v11060", "cuLaunchKernel", "cuLaunchKernelEx", "cudaGraphLaunch_v10000",
          "cudaMemcpyAsync_v3020", "cuMemcpyHtoD_v2", "cudaMemsetAsync_v3020", "cudaStreamSynchronize_v3020",
          "cudaDeviceSynchronize_v3020", "cuStreamWaitEvent", "cudaMalloc_v3020", "cudaFree_v3020", "cuMemAlloc_v2",
          "cuModuleLoadData", "cuLibraryLoadData", "cudaStreamCreateWithPriority_v5050", "cuDevicePrimaryCtxRetain",
          "cudaEventSynchronize_v3020"})
        CHECK(isRecordedApiCall(recorded));
    for (const char* skipped :
         {"cudaGetDevice_v3020", "cudaGetLastError_v3020", "cuCtxGetCurrent", "cudaStreamIsCapturing_v10000",
          "cuLibraryGetKernel", "cudaEventRecord_v3020", "cudaEventQuery_v3020", "cudaStreamQuery_v3020",
          "cuDevicePrimaryCtxGetState", "cudaPeekAtLastError_v3020", "cuPointerGetAttribute"})
        CHECK_FALSE(isRecordedApiCall(skipped));
}

TEST_CASE("capture options: callbacks by default, the activity kinds and nested driver calls on request", "[gpu][capture]") {
    CHECK(CollectorOptions{}.apiCallbacks);
    CHECK_FALSE(CollectorOptions{}.nestedDriverCalls);
    // A pause detaches CUPTI unless told not to.
    CHECK(CollectorOptions{}.detachWhilePaused);
    CHECK_FALSE(CollectorOptions::fromString("no-detach").detachWhilePaused);
    std::string unknown;
    const CollectorOptions o = CollectorOptions::fromString("api-activity,nested-driver,bogus", &unknown);
    CHECK_FALSE(o.apiCallbacks);
    CHECK(o.nestedDriverCalls);
    CHECK(o.latencyTimestamps);
    CHECK(unknown == "bogus");
    // Ranges are stamped with the time-stamp counter unless CUPTI's clock is asked for.
    CHECK(CollectorOptions{}.tscRanges);
    CHECK_FALSE(CollectorOptions::fromString("cupti-clock").tscRanges);
    CHECK(CollectorOptions::fromString("tsc").tscRanges);
}

TEST_CASE("capture options: device-side record storage, and sizes that are not a number are unknown words", "[gpu][capture]") {
    std::string unknown;
    const CollectorOptions o = CollectorOptions::fromString("pinned-buffers,device-buffer-mb=32", &unknown);
    CHECK(o.pinnedBuffers);
    CHECK(o.deviceBufferBytes == (size_t(32) << 20));
    CHECK(unknown.empty());
    const CollectorOptions bad = CollectorOptions::fromString("device-buffer-mb=,device-buffer-mb=x1", &unknown);
    CHECK(bad.deviceBufferBytes == 0);
    CHECK(unknown == "device-buffer-mb=,device-buffer-mb=x1");
}

TEST_CASE("a launcher that makes no CUDA call but whose ranks write traces: success and the job's verdict",
          "[gpu][capture]") {
    // Stands in for torchrun without a GPU: the "ranks" copy two real rank traces where gaplens'
    // injection would have written them. A trace of an earlier capture to the same -o goes first.
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("gaplens_launcher_" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "run.rank5.json.gz") << "stale";
    const std::string data = std::string(GAPLENS_GPU_TEST_DIR) + "/../data/ddp-h100x2/";
    const std::string command = "cd " + dir.string() + " && " + GAPLENS_CLI + " capture -o run.json.gz -- sh -c 'cp " +
                                data + "ddp_rank0.json.gz run.rank0.json.gz; cp " + data +
                                "ddp_rank1.json.gz run.rank1.json.gz' 2>&1";
    std::string output;
    FILE* p = ::popen(command.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) output.append(buf, n);
    const int status = ::pclose(p);
    INFO(output);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(output.find("removed 1 per-process trace of an earlier capture") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "run.rank5.json.gz"));
    CHECK(output.find("2 traces written (the program itself made no CUDA call") != std::string::npos);
    CHECK(output.find("run.rank1.json.gz: GPU busy") != std::string::npos);
    CHECK(output.find("job: 2 ranks, 32 collectives") != std::string::npos);
    CHECK(output.find("straggler rank 0 (last at 19 of 32)") != std::string::npos);
    fs::remove_all(dir);
}
