// `gaplens capture` end to end on a real GPU: built-in workloads through the CLI, and other
// programs through the injection library (exit codes, crashes, NVTX ranges, PyTorch).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "core/analysis/JobRanks.h"
#include "core/io/ChromeTraceImporter.h"
#include "tests/gpu/GpuTestSupport.h"

namespace fs = std::filesystem;

namespace {

struct CliRun {
    int exitCode = -1;
    std::string output;  // stdout and stderr together
};

fs::path tempDir() {
    fs::path dir = fs::temp_directory_path() / ("gaplens_gpu_tests_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

CliRun runCli(const std::string& arguments) {
    const fs::path log = tempDir() / "cli.log";
    const std::string command = std::string(GAPLENS_CLI) + " " + arguments + " >" + log.string() + " 2>&1";
    const int status = std::system(command.c_str());
    CliRun run;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    run.output = ss.str();
    return run;
}

nlohmann::json readJson(const fs::path& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in, nullptr, false);
}

std::map<std::string, int> countByCategory(const nlohmann::json& trace) {
    std::map<std::string, int> counts;
    for (const auto& e : trace["traceEvents"])
        if (e.value("ph", "") == "X") ++counts[e.value("cat", "")];
    return counts;
}

int countNamed(const nlohmann::json& trace, const std::string& cat, const std::string& name) {
    int n = 0;
    for (const auto& e : trace["traceEvents"])
        if (e.value("ph", "") == "X" && e.value("cat", "") == cat && e.value("name", "") == name) ++n;
    return n;
}

// A kernel, copy or memset of the trace.
bool isGpuEvent(const nlohmann::json& e) {
    const std::string cat = e.value("cat", "");
    return e.value("ph", "") == "X" && (cat == "kernel" || cat == "gpu_memcpy" || cat == "gpu_memset");
}

// The GPU events (kernels, copies, memsets) whose correlation id no recorded CUDA call has, each
// as "cat name correlation=N ts=T": empty when every one links to its launch. Listed, not counted,
// so that a failure names the events.
std::vector<std::string> unlinkedGpuEvents(const nlohmann::json& trace) {
    std::set<int64_t> launches;
    for (const auto& e : trace["traceEvents"]) {
        const std::string cat = e.value("cat", "");
        if (e.value("ph", "") == "X" && (cat == "cuda_runtime" || cat == "cuda_driver"))
            launches.insert(e["args"].value("correlation", int64_t(0)));
    }
    std::vector<std::string> unlinked;
    for (const auto& e : trace["traceEvents"]) {
        if (!isGpuEvent(e)) continue;
        const int64_t correlation = e["args"].value("correlation", int64_t(0));
        if (!launches.count(correlation))
            unlinked.push_back(e.value("cat", "") + " " + e.value("name", "") + " correlation=" + std::to_string(correlation) +
                               " ts=" + e["ts"].dump());
    }
    return unlinked;
}

bool pythonWithTorchCuda() {
    return std::system("python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1") == 0;
}

// A GPU, and a python3 whose torch can use it; else the test reports itself skipped, with the reason.
#define GAPLENS_REQUIRE_TORCH_CUDA()                                                                    \
    do {                                                                                               \
        GAPLENS_REQUIRE_GPU();                                                                         \
        if (!pythonWithTorchCuda()) {                                                                  \
            std::printf("GAPLENS_SKIP: python3 with a CUDA-enabled torch is not installed here\n");    \
            return;                                                                                    \
        }                                                                                              \
    } while (0)

// `gaplens capture -o OUT -- capture_child MODE STEPS`, OUT removed first, with
// GAPLENS_CAPTURE_OPTIONS=captureOptions when not empty.
CliRun captureChild(const std::string& modeAndSteps, const fs::path& out, const std::string& captureOptions = "") {
    fs::remove(out);
    // Put back what the test run was given (tools/device's session runs the tests with "cupti-clock" too).
    const char* given = std::getenv("GAPLENS_CAPTURE_OPTIONS");
    const std::string before = given ? given : "";
    if (!captureOptions.empty()) ::setenv("GAPLENS_CAPTURE_OPTIONS", captureOptions.c_str(), 1);
    CliRun run = runCli("capture -o " + out.string() + " -- " + GAPLENS_TEST_CHILD + " " + modeAndSteps);
    if (given) ::setenv("GAPLENS_CAPTURE_OPTIONS", before.c_str(), 1);
    else ::unsetenv("GAPLENS_CAPTURE_OPTIONS");
    return run;
}

// `gaplens capture -o OUT -- python3 tests/gpu/SCRIPT [ARGS]`, OUT removed first.
CliRun capturePythonScript(const std::string& script, const fs::path& out) {
    fs::remove(out);
    return runCli("capture -o " + out.string() + " -- python3 " + GAPLENS_GPU_TEST_DIR + "/" + script);
}

}  // namespace

TEST_CASE("gaplens capture --workload writes one Kineto-dialect trace per size and a verdict each", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const fs::path dir = tempDir() / "sweep";
    fs::remove_all(dir);
    const CliRun run = runCli("capture --workload matmul_add --sizes 64,512 --dtype bf16 --iters 12 --schedule 1,1,10,1 -o " +
                              dir.string() + "/");
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    for (const char* size : {"64", "512"}) {
        const fs::path file = dir / (std::string("matmul_add_") + size + ".json");
        REQUIRE(fs::exists(file));
        const nlohmann::json trace = readJson(file);
        REQUIRE(trace.is_object());
        CHECK(trace.contains("baseTimeNanoseconds"));
        CHECK(countNamed(trace, "user_annotation", "matmul_add") == 10);
        CHECK(countNamed(trace, "kernel", "gaplens_add_bf16") >= 10);
        CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});
        // Every flow start has its finish.
        int s = 0, f = 0;
        for (const auto& e : trace["traceEvents"]) {
            if (e.value("cat", "") != "ac2g") continue;
            if (e.value("ph", "") == "s") ++s;
            if (e.value("ph", "") == "f") ++f;
        }
        CHECK(s > 0);
        CHECK(s <= f);
        CHECK(run.output.find(std::string("matmul_add ") + size + ": ") != std::string::npos);
    }
}

TEST_CASE("gaplens capture reports an unwritable output before running", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const CliRun run = runCli("capture --workload matmul_add --sizes 64 -o /nonexistent_dir_gaplens/x.json");
    CHECK(run.exitCode == 1);
    CHECK(run.output.find("/nonexistent_dir_gaplens") != std::string::npos);
}

TEST_CASE("a program captured through injection: kernels, copies, NVTX ranges, launch links", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const fs::path out = tempDir() / "child_ok.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- " + GAPLENS_TEST_CHILD + " ok 5");
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    CHECK(run.output.find("capture_child: 5 steps") != std::string::npos);  // the program's stdout stays visible
    REQUIRE(fs::exists(out));
    const nlohmann::json trace = readJson(out);
    CHECK(countNamed(trace, "kernel", "gaplens_child_kernel") == 5);
    CHECK(countNamed(trace, "user_annotation", "child_step") == 5);
    const auto counts = countByCategory(trace);
    CHECK(counts.count("gpu_memcpy"));
    CHECK(counts.at("gpu_memcpy") == 5);
    CHECK(counts.count("gpu_memset"));
    CHECK(counts.count("cuda_runtime"));
    CHECK(counts.count("cuda_driver"));
    CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});
}

TEST_CASE("a program pauses and resumes its capture: only the steps outside the pause are recorded", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    // CUPTI detached while paused (the default), and kept attached (GAPLENS_CAPTURE_OPTIONS=no-detach).
    for (const std::string options : {"", "no-detach"}) {
        INFO("GAPLENS_CAPTURE_OPTIONS=" << options);
        const fs::path out = tempDir() / ("child_pause" + options + ".json");
        const CliRun run = captureChild("pause 5", out, options);
        INFO(run.output);
        REQUIRE(run.exitCode == 0);
        CHECK(run.output.find("capture_child: pause=0 resume=0") != std::string::npos);
        REQUIRE(fs::exists(out));
        const nlohmann::json trace = readJson(out);
        // Steps 0, 2 and 4 were captured; 1 and 3 ran while the capture was paused.
        CHECK(countNamed(trace, "kernel", "gaplens_child_kernel") == 3);
        CHECK(countNamed(trace, "user_annotation", "child_step") == 3);
        CHECK(countByCategory(trace)["gpu_memcpy"] == 3);
        // Detached: each pause detached CUPTI at the next CUDA call; each resume attached it again.
        CHECK(trace["gaplens"].value("cuptiDetaches", 0) == (options.empty() ? 2 : 0));
        // Every kernel and copy links to its own launch, across the detaches: no id is used twice.
        CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});
        std::set<int64_t> gpuCorrelations;
        int gpuEvents = 0;
        for (const auto& e : trace["traceEvents"]) {
            if (!isGpuEvent(e)) continue;
            ++gpuEvents;
            gpuCorrelations.insert(e["args"].value("correlation", int64_t(0)));
        }
        CHECK(gpuCorrelations.size() == size_t(gpuEvents));
    }
}

TEST_CASE("a pause and a resume with no CUDA call between them: nothing is lost, CUPTI stays attached", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const fs::path out = tempDir() / "child_pauseblip.json";
    const CliRun run = captureChild("pauseblip 5", out);
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    CHECK(run.output.find("capture_child: pause=0 resume=0") != std::string::npos);
    REQUIRE(fs::exists(out));
    const nlohmann::json trace = readJson(out);
    CHECK(countNamed(trace, "kernel", "gaplens_child_kernel") == 5);
    CHECK(countNamed(trace, "user_annotation", "child_step") == 5);
    CHECK_FALSE(trace["gaplens"].contains("cuptiDetaches"));
    CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});
}

TEST_CASE("a program that exits non-zero: exit 4, its code named, the trace still written", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const fs::path out = tempDir() / "child_exit3.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- " + GAPLENS_TEST_CHILD + " exit3 3");
    INFO(run.output);
    CHECK(run.exitCode == 4);
    CHECK(run.output.find("exited with code 3") != std::string::npos);
    REQUIRE(fs::exists(out));
    CHECK(countNamed(readJson(out), "user_annotation", "child_step") == 3);
}

TEST_CASE("a program that crashes (SIGSEGV): exit 4, the events before the crash written", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const fs::path out = tempDir() / "child_segv.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- " + GAPLENS_TEST_CHILD + " segv 4");
    INFO(run.output);
    CHECK(run.exitCode == 4);
    CHECK(run.output.find("killed by signal 11") != std::string::npos);
    REQUIRE(fs::exists(out));
    const nlohmann::json trace = readJson(out);
    CHECK(countNamed(trace, "user_annotation", "child_step") == 4);
    CHECK(trace["gaplens"].value("ended", "") == "crashed");
}

TEST_CASE("a program killed with SIGTERM: exit 4, trace written", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const fs::path out = tempDir() / "child_term.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- " + GAPLENS_TEST_CHILD + " term 2");
    INFO(run.output);
    CHECK(run.exitCode == 4);
    REQUIRE(fs::exists(out));
    CHECK(countNamed(readJson(out), "user_annotation", "child_step") == 2);
}

TEST_CASE("a PyTorch script captured through injection: torch.cuda.nvtx ranges are user ranges", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    const fs::path out = tempDir() / "torch_nvtx.json";
    const CliRun run = capturePythonScript("nvtx_torch.py", out);
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    REQUIRE(fs::exists(out));
    const nlohmann::json trace = readJson(out);
    CHECK(countNamed(trace, "user_annotation", "torch_step") == 5);
    const auto counts = countByCategory(trace);
    REQUIRE(counts.count("kernel"));
    CHECK(counts.at("kernel") >= 10);  // mm + add per step
    CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});
}

namespace {

// The innermost-first framework ranges (cpu_op, user_annotation) on each thread, for nesting checks.
struct HostRange {
    double start = 0, end = 0;
    std::string cat, name;
};
std::map<int64_t, std::vector<HostRange>> frameworkRangesByThread(const nlohmann::json& trace) {
    std::map<int64_t, std::vector<HostRange>> byThread;
    for (const auto& e : trace["traceEvents"]) {
        const std::string cat = e.value("cat", "");
        if (e.value("ph", "") == "X" && (cat == "cpu_op" || cat == "user_annotation"))
            byThread[e.value("tid", int64_t(0))].push_back(
                {e.value("ts", 0.0), e.value("ts", 0.0) + e.value("dur", 0.0), cat, e.value("name", "")});
    }
    return byThread;
}

const HostRange* innermostAround(const std::vector<HostRange>& ranges, double start, double end, const char* cat) {
    const HostRange* best = nullptr;
    for (const HostRange& r : ranges)
        if (r.cat == cat && r.start <= start && end <= r.end && (!best || r.end - r.start < best->end - best->start))
            best = &r;
    return best;
}

}  // namespace

TEST_CASE("framework context and a paused capture: torch's ranges off while paused, on again after", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    const fs::path out = tempDir() / "framework_pause.json";
    const CliRun run = capturePythonScript("framework_pause.py", out);
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    CHECK(run.output.find("framework_pause: pause 0") != std::string::npos);
    CHECK(run.output.find("framework_pause: resume 0") != std::string::npos);
    CHECK(run.output.find("framework_pause: emission paused=False resumed=True") != std::string::npos);
    const nlohmann::json trace = readJson(out);
    REQUIRE(trace.is_object());
    for (const char* recorded : {"step0", "step1", "step4", "step5"}) CHECK(countNamed(trace, "user_annotation", recorded) == 1);
    for (const char* paused : {"step2", "step3"}) CHECK(countNamed(trace, "user_annotation", paused) == 0);
    CHECK(countNamed(trace, "cpu_op", "aten::mm") == 4);
    CHECK(countNamed(trace, "cpu_op", "aten::relu") == 4);
    CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});
}

TEST_CASE("framework context: torch's ops and record_function ranges, nested, kernels linked to their ops", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    // Both ways in: ITT, the default where torch has it, and NVTX (forced here, torch's fallback).
    const bool torchHasItt =
        std::system("python3 -c 'import sys, torch; sys.exit(0 if torch._C._itt.is_available() else 1)' >/dev/null 2>&1") == 0;
    for (const std::string way : {"default", "nvtx"}) {
        const std::string expected = way == "nvtx" || !torchHasItt ? "nvtx" : "itt";
        INFO("framework context through " << way << ", expecting " << expected);
        if (way == "nvtx") ::setenv("GAPLENS_FRAMEWORK_PROBE", "nvtx", 1);
        const fs::path out = tempDir() / ("framework_torch_" + way + ".json");
        const CliRun run = capturePythonScript("framework_torch.py", out);
        ::unsetenv("GAPLENS_FRAMEWORK_PROBE");
        INFO(run.output);
        REQUIRE(run.exitCode == 0);
        CHECK(run.output.find("framework_torch: done") != std::string::npos);
        const nlohmann::json trace = readJson(out);
        REQUIRE(trace.is_object());
        CHECK(trace["gaplens"].value("frameworkContext", "") == expected);
        CHECK(countNamed(trace, "user_annotation", "train_step") == 8);
        const auto counts = countByCategory(trace);
        REQUIRE(counts.count("cpu_op"));
        CHECK(countNamed(trace, "cpu_op", "aten::addmm") + countNamed(trace, "cpu_op", "aten::mm") >= 8 * 2);
        CHECK(countNamed(trace, "cpu_op", "aten::gelu") == 8);
        CHECK(countNamed(trace, "cpu_op", "aten::gelu_backward") == 8);

        // Ops of the forward pass sit inside their step; every kernel's launch sits inside an op.
        const auto ranges = frameworkRangesByThread(trace);
        std::map<int64_t, std::pair<double, double>> launchOf;  // correlation -> launch call interval
        std::map<int64_t, int64_t> launchThread;
        for (const auto& e : trace["traceEvents"]) {
            const std::string cat = e.value("cat", "");
            if (e.value("ph", "") == "X" && (cat == "cuda_runtime" || cat == "cuda_driver")) {
                const int64_t c = e["args"].value("correlation", int64_t(0));
                if (!c) continue;
                launchOf[c] = {e.value("ts", 0.0), e.value("ts", 0.0) + e.value("dur", 0.0)};
                launchThread[c] = e.value("tid", int64_t(0));
            }
        }
        int kernels = 0, inOp = 0;
        std::string outside;
        for (const auto& e : trace["traceEvents"]) {
            if (e.value("ph", "") != "X" || e.value("cat", "") != "kernel") continue;
            const int64_t c = e["args"].value("correlation", int64_t(0));
            if (!launchOf.count(c)) continue;
            const auto [s, f] = launchOf[c];
            const auto it = ranges.find(launchThread[c]);
            // Only the training loop's kernels: those launched inside a step or by backward.
            ++kernels;
            if (it != ranges.end() && innermostAround(it->second, s, f, "cpu_op")) ++inOp;
            else if (outside.size() < 400) outside += e.value("name", "").substr(0, 60) + "; ";
        }
        INFO("kernels launched outside any op: " << outside);
        CHECK(kernels >= 8 * 4);
        CHECK(inOp == kernels);
        CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});

        // The steady window is the record_function range, not the whole trace.
        const CliRun report = runCli("report " + out.string() + " --format json");
        REQUIRE(report.exitCode == 0);
        const nlohmann::json json = nlohmann::json::parse(report.output.substr(report.output.find('{')), nullptr, false);
        REQUIRE(json.is_object());
        CHECK(json["bound"].value("window", "").rfind("train_step", 0) == 0);
        bool mmRow = false;
        for (const auto& op : json["ops"])
            if (op.value("name", "") == "aten::addmm" || op.value("name", "") == "aten::mm") mmRow = op.value("calls", 0) >= 8;
        CHECK(mmRow);
    }
}

TEST_CASE("capture with --framework=none: no torch ops in the trace, the program's NVTX ranges still there", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    const fs::path out = tempDir() / "torch_nvtx_none.json";
    fs::remove(out);
    const CliRun run = runCli("capture --framework=none -o " + out.string() + " -- python3 " + GAPLENS_GPU_TEST_DIR +
                              "/nvtx_torch.py");
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    const nlohmann::json trace = readJson(out);
    CHECK(countByCategory(trace).count("cpu_op") == 0);
    CHECK(countNamed(trace, "user_annotation", "torch_step") == 5);
}

TEST_CASE("a program that runs torch.profiler itself keeps working, gaplens loses none of its kernels", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    const fs::path out = tempDir() / "torch_profiler_inside.json";
    const fs::path torchOut = tempDir() / "torch_profiler_inside.torch.json";
    fs::remove(torchOut);
    const CliRun run = capturePythonScript("torch_profiler_inside.py " + torchOut.string(), out);
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    CHECK(run.output.find("steps aside") != std::string::npos);
    CHECK(fs::exists(torchOut));  // the program's own trace is written
    const nlohmann::json trace = readJson(out);
    // torch.randn's kernel for each of the 3 inputs, then mm + add per step, 5 steps in each of the
    // three phases: before, under and after torch.profiler (33 on the H100, 2026-12-06).
    CHECK(countByCategory(trace)["kernel"] == 3 + 30);
    for (const char* phase : {"before", "during", "after"}) CHECK(countNamed(trace, "user_annotation", phase) == 1);
    // The framework context came back after the program's profiler: ops of the last phase are there.
    CHECK(countNamed(trace, "cpu_op", "aten::mm") >= 10);
    CHECK(unlinkedGpuEvents(trace) == std::vector<std::string>{});
}

TEST_CASE("a captured training step: no launch call shares another's correlation id", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    const fs::path out = tempDir() / "train_step_ids.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- python3 " + GAPLENS_SOURCE_DIR +
                              "/bench/train_step.py --steps 3 --warmup 1");
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    const CliRun report = runCli("report " + out.string());
    INFO(report.output);
    CHECK(report.exitCode == 0);
    CHECK(report.output.find("reuses the correlation id") == std::string::npos);
    CHECK(unlinkedGpuEvents(readJson(out)).empty());
}

TEST_CASE("a program that cannot be started is a usage error (exit 1) with a one-line reason", "[gpu][capture]") {
    // No GPU needed: nothing runs.
    const fs::path out = tempDir() / "never.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- /nonexistent/gaplens_test_program --flag");
    INFO(run.output);
    CHECK(run.exitCode == 1);
    CHECK(run.output.find("cannot run '/nonexistent/gaplens_test_program': No such file or directory") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("the same steps under gaplens capture and under torch.profiler: the same ops and verdict", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    const std::string script = std::string(GAPLENS_GPU_TEST_DIR) + "/same_ops.py";
    const fs::path torchTrace = tempDir() / "same_ops_torch.json";
    const fs::path ours = tempDir() / "same_ops_gaplens.json";
    fs::remove(torchTrace);
    fs::remove(ours);
    REQUIRE(std::system(("python3 " + script + " torch " + torchTrace.string() + " >/dev/null 2>&1").c_str()) == 0);
    const CliRun run = runCli("capture -o " + ours.string() + " -- python3 " + script + " gaplens");
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    auto reportOf = [&](const fs::path& trace) {
        const CliRun r = runCli("report " + trace.string() + " --format json");
        REQUIRE(r.exitCode == 0);
        return nlohmann::json::parse(r.output.substr(r.output.find('{')), nullptr, false);
    };
    const nlohmann::json a = reportOf(torchTrace), b = reportOf(ours);
    REQUIRE(a.is_object());
    REQUIRE(b.is_object());
    std::map<std::string, int> callsA, callsB;
    std::map<std::string, double> cpuA, cpuB;
    // A name can have two rows: torch.profiler writes a record_function range on the host and again
    // on the GPU stream (gpu_user_annotation, no CPU time). Calls: the larger; CPU time: the sum.
    auto collect = [](const nlohmann::json& report, std::map<std::string, int>& calls, std::map<std::string, double>& cpu) {
        for (const auto& op : report["ops"]) {
            const std::string name = op.value("name", "");
            calls[name] = std::max(calls[name], op.value("calls", 0));
            cpu[name] += op.value("cpu_total_us", 0.0);
        }
    };
    collect(a, callsA, cpuA);
    collect(b, callsB, cpuB);
    int compared = 0;
    for (const auto& [name, calls] : callsA) {
        if (name.rfind("aten::", 0) != 0 && name != "train_step" && name.rfind("Optimizer.", 0) != 0) continue;
        INFO(name);
        CHECK(callsB[name] == calls);
        ++compared;
    }
    CHECK(compared >= 10);
    CHECK(callsB["train_step"] == 5);
    // CPU time of a step: each tool adds its own cost per op, torch.profiler about three times what
    // gaplens adds (docs/capture-overhead.md), so on a step of small ops its steps run up to a few
    // times longer; gaplens' never run longer than torch.profiler's by more than the noise.
    CHECK(cpuB["train_step"] < 1.5 * cpuA["train_step"]);
    CHECK(cpuA["train_step"] < 4 * cpuB["train_step"]);
    CHECK(a["bound"].value("class", "") == b["bound"].value("class", ""));
    CHECK(b["bound"].value("window", "").rfind("train_step", 0) == 0);
}

namespace {

std::string listing(const fs::path& dir) {
    std::string s = "files in " + dir.string() + ":";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) s += " " + e.path().filename().string();
    return s;
}

}  // namespace

TEST_CASE("torchrun under gaplens capture: a trace per rank named by its rank, read back as one job", "[gpu]") {
    GAPLENS_REQUIRE_TORCH_CUDA();
    if (std::system("python3 -c 'import sys, torch.distributed as d; sys.exit(0 if d.is_available() and "
                    "d.is_gloo_available() else 1)' >/dev/null 2>&1") != 0) {
        std::printf("GAPLENS_SKIP: this torch has no torch.distributed with gloo\n");
        return;
    }
    // torchrun is python3 -m torch.distributed.run; the script may not be on PATH.
    const std::string launcher =
        std::system("command -v torchrun >/dev/null 2>&1") == 0 ? "torchrun" : "python3 -m torch.distributed.run";
    const fs::path dir = tempDir() / "ddp";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path out = dir / "run.json.gz";
    const std::string command = "capture -o " + out.string() + " -- " + launcher +
                                " --standalone --nproc_per_node=2 " + GAPLENS_GPU_TEST_DIR + "/ddp_gloo.py";
    const CliRun run = runCli(command);
    INFO("gaplens " << command);
    INFO("its output:\n" << run.output);
    INFO(listing(dir));
    REQUIRE(run.exitCode == 0);
    for (int r = 0; r < 2; ++r) {
        INFO("rank " << r);
        CHECK(run.output.find("ddp_gloo: rank " + std::to_string(r) + " of 2") != std::string::npos);
    }
    // The launcher makes no CUDA call ("the program itself made no CUDA call"): only the ranks
    // write, and that is a success. Either way the traces are listed and the job's verdict follows.
    CHECK(run.output.find("traces written") != std::string::npos);
    CHECK(run.output.find("job: 2 ranks") != std::string::npos);

    for (int r = 0; r < 2; ++r) {
        const fs::path file = dir / ("run.rank" + std::to_string(r) + ".json.gz");
        INFO("rank " << r << ": " << file.string());
        REQUIRE(fs::exists(file));
        gaplens::Trace trace;
        const gaplens::ImportResult imported = gaplens::importTraces({file.string()}, trace);
        INFO(imported.error);
        REQUIRE(imported.ok);
        const gaplens::JobRanks ranks = gaplens::findJobRanks(trace);
        REQUIRE(ranks.ranks.size() == 1);
        CHECK(ranks.ranks[0].fromMetadata);  // distributedInfo written from RANK / WORLD_SIZE
        CHECK(ranks.ranks[0].rank == r);
        CHECK(ranks.ranks[0].worldSize == 2);
        CHECK_FALSE(ranks.ranks[0].host.empty());
        // The injection ran in this child: its kernels and its NVTX ranges are on the record.
        size_t kernels = 0, steps = 0;
        for (const gaplens::Track& t : trace.tracks)
            for (uint32_t i = 0; i < t.size(); ++i) {
                kernels += t.kind[i] == gaplens::EventKind::Kernel;
                steps += t.kind[i] == gaplens::EventKind::UserRange && trace.strings.str(t.nameId[i]) == "ddp_step";
            }
        CHECK(kernels >= 15);  // 5 steps of forward, backward and optimizer kernels
        CHECK(steps == 5);
    }

    // Read back as one job: two ranks.
    const CliRun report = runCli("report --format json " + (dir / "run.rank0.json.gz").string() + " " +
                                 (dir / "run.rank1.json.gz").string());
    INFO("report output:\n" << report.output.substr(0, 2000));
    REQUIRE(report.exitCode == 0);
    const auto begin = report.output.find('{');
    REQUIRE(begin != std::string::npos);
    const nlohmann::json doc = nlohmann::json::parse(report.output.substr(begin), nullptr, false);
    REQUIRE(doc.is_object());
    REQUIRE(doc.contains("job"));
    REQUIRE(doc["job"]["ranks"].size() == 2);
    CHECK(doc["job"]["ranks"][0]["rank"] == 0);
    CHECK(doc["job"]["ranks"][1]["rank"] == 1);
}
