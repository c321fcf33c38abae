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

// Kernels and copies whose correlation id has no runtime/driver call in the trace.
int unlinkedGpuEvents(const nlohmann::json& trace) {
    std::set<int64_t> launches;
    for (const auto& e : trace["traceEvents"]) {
        const std::string cat = e.value("cat", "");
        if (e.value("ph", "") == "X" && (cat == "cuda_runtime" || cat == "cuda_driver"))
            launches.insert(e["args"].value("correlation", int64_t(0)));
    }
    int unlinked = 0;
    for (const auto& e : trace["traceEvents"]) {
        const std::string cat = e.value("cat", "");
        if (e.value("ph", "") == "X" && (cat == "kernel" || cat == "gpu_memcpy" || cat == "gpu_memset") &&
            !launches.count(e["args"].value("correlation", int64_t(0))))
            ++unlinked;
    }
    return unlinked;
}

bool pythonWithTorchCuda() {
    return std::system("python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1") == 0;
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
        CHECK(unlinkedGpuEvents(trace) == 0);
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
    CHECK(unlinkedGpuEvents(trace) == 0);
}

TEST_CASE("a program pauses and resumes its capture: only the steps outside the pause are recorded", "[gpu]") {
    GAPLENS_REQUIRE_GPU();
    const fs::path out = tempDir() / "child_pause.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- " + GAPLENS_TEST_CHILD + " pause 5");
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    CHECK(run.output.find("capture_child: pause=0 resume=0") != std::string::npos);
    REQUIRE(fs::exists(out));
    const nlohmann::json trace = readJson(out);
    // Steps 0 and 4 were captured; 1-3 ran while the capture was paused.
    CHECK(countNamed(trace, "kernel", "gaplens_child_kernel") == 2);
    CHECK(countNamed(trace, "user_annotation", "child_step") == 2);
    CHECK(unlinkedGpuEvents(trace) == 0);
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
    GAPLENS_REQUIRE_GPU();
    if (!pythonWithTorchCuda()) {
        std::printf("GAPLENS_SKIP: python3 with a CUDA-enabled torch is not installed here\n");
        return;
    }
    const fs::path out = tempDir() / "torch_nvtx.json";
    fs::remove(out);
    const CliRun run = runCli("capture -o " + out.string() + " -- python3 " + GAPLENS_GPU_TEST_DIR + "/nvtx_torch.py");
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    REQUIRE(fs::exists(out));
    const nlohmann::json trace = readJson(out);
    CHECK(countNamed(trace, "user_annotation", "torch_step") == 5);
    const auto counts = countByCategory(trace);
    REQUIRE(counts.count("kernel"));
    CHECK(counts.at("kernel") >= 10);  // mm + add per step
    CHECK(unlinkedGpuEvents(trace) == 0);
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
    GAPLENS_REQUIRE_GPU();
    if (!pythonWithTorchCuda()) {
        std::printf("GAPLENS_SKIP: python3 with a CUDA-enabled torch is not installed here\n");
        return;
    }
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
