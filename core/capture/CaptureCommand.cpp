#include "core/capture/CaptureCommand.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "core/capture/CaptureReport.h"
#include "core/capture/ChromeTraceWriter.h"
#include "core/capture/ProgramCapture.h"
#include "core/capture/Workloads.h"
#include "core/io/OutputFile.h"

namespace gaplens::capture {
namespace {

namespace fs = std::filesystem;
constexpr int kOk = 0, kUsage = 1, kNoGpu = 3, kFailed = 4;

const char* kHelp =
    "usage: gaplens capture --workload NAME [--sizes 64,1024,8192] [--dtype bf16] [--iters 20]\n"
    "                       [--batch 8] [--schedule W,U,A,R] -o DIR/|FILE.json[.gz]\n"
    "       gaplens capture -o run.json[.gz] [--] <program> [args...]\n"
    "\n"
    "workloads: matmul_add (cuBLAS bf16 GEMM + add kernel per step), matmul_add_batched (one\n"
    "  strided-batched GEMM over --batch matrices per step), matmul_add_graph (the step captured once\n"
    "  as a CUDA graph and replayed). Each step runs inside a user range 'matmul_add'. --iters steps\n"
    "  run per size; --schedule wait,warmup,active,repeat picks the recorded ones, as torch.profiler's\n"
    "  schedule does (default: all). One trace per size: DIR/<workload>_<size>.json.\n"
    "programs: the program runs with libgaplens_inject.so loaded by CUDA; kernels, copies, runtime and\n"
    "  driver calls, syncs and NVTX ranges are recorded and written when it exits (also on a crash).\n"
    "  Processes it starts that use CUDA write their own: the ranks a launcher starts (torchrun sets\n"
    "  RANK) to run.rank<R>.json[.gz], others to run.pid<N>.json[.gz]; then the job's verdict follows.\n"
    "  e.g. gaplens capture -o run.json.gz -- torchrun --nproc_per_node=8 train.py\n"
    "exit: 0 ok, 1 usage, 3 no GPU/CUPTI, 4 the workload or program failed (its own exit code is printed)\n";

int usage(const std::string& message) {
    std::fprintf(stderr, "gaplens capture: %s\n%s", message.c_str(), kHelp);
    return kUsage;
}

bool parseSizes(const std::string& text, std::vector<int>& sizes) {
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        try {
            size_t used = 0;
            const int v = std::stoi(item, &used);
            if (used != item.size() || v < 1 || v > 65536) return false;
            sizes.push_back(v);
        } catch (const std::exception&) {
            return false;
        }
    }
    return !sizes.empty();
}

bool parsePositive(const std::string& text, int& value) {
    try {
        size_t used = 0;
        value = std::stoi(text, &used);
        return used == text.size() && value > 0;
    } catch (const std::exception&) {
        return false;
    }
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// DIR/ (or an existing directory) gets one file per size; FILE.json with several sizes gets FILE_<size>.json.
std::string outputForSize(const std::string& output, const std::string& workload, int size, bool severalSizes) {
    std::error_code ec;
    if (endsWith(output, "/") || fs::is_directory(output, ec))
        return (fs::path(output) / (workload + "_" + std::to_string(size) + ".json")).string();
    if (!severalSizes) return output;
    for (const char* ext : {".json.gz", ".json"})
        if (endsWith(output, ext))
            return output.substr(0, output.size() - std::strlen(ext)) + "_" + std::to_string(size) + ext;
    return output + "_" + std::to_string(size) + ".json";
}

int runWorkloads(const std::string& workload, const std::vector<int>& sizes, int iters, int batch,
                 const Schedule& schedule, const std::string& output) {
    WorkloadVariant variant;
    if (!parseWorkloadName(workload, &variant))
        return usage("unknown workload '" + workload + "' (matmul_add, matmul_add_batched, matmul_add_graph)");
    std::error_code ec;
    if (endsWith(output, "/")) fs::create_directories(output, ec);
    std::vector<std::string> paths;
    for (int size : sizes) {
        paths.push_back(outputForSize(output, workload, size, sizes.size() > 1));
        if (std::string why = OutputFile::checkWritable(paths.back()); !why.empty()) {
            std::fprintf(stderr, "gaplens capture: %s\n", why.c_str());
            return kUsage;
        }
    }
    if (std::string why = checkCudaDevice(); !why.empty()) {
        std::fprintf(stderr, "gaplens capture: %s\n", why.c_str());
        return kNoGpu;
    }
    std::vector<std::pair<std::string, std::string>> written;
    for (size_t i = 0; i < sizes.size(); ++i) {
        WorkloadOptions opt;
        opt.variant = variant;
        opt.size = sizes[i];
        opt.iters = iters;
        opt.batch = batch;
        opt.schedule = schedule;
        WorkloadRun run = runWorkload(opt);
        if (!run.error.empty()) {
            std::fprintf(stderr, "gaplens capture: %s at size %d: %s\n", workload.c_str(), sizes[i], run.error.c_str());
            const bool cupti = run.error.find("cupti") != std::string::npos;
            return cupti ? kNoGpu : kFailed;
        }
        TraceWriteOptions w;
        w.windows = run.windows;
        w.metadata = {{"workload", jsonString(workload)},
                      {"size", std::to_string(sizes[i])},
                      {"dtype", "\"bf16\""},
                      {"iters", std::to_string(iters)},
                      {"batch", std::to_string(variant == WorkloadVariant::Batched ? batch : 1)},
                      {"recordedSteps", std::to_string(run.recordedSteps)},
                      {"flopsPerStep", std::to_string(run.flopsPerStep)},
                      {"schedule", "[" + std::to_string(schedule.wait) + "," + std::to_string(schedule.warmup) + "," +
                                       std::to_string(schedule.active) + "," + std::to_string(schedule.repeat) + "]"}};
        run.data.processName = "gaplens capture " + workload;
        if (std::string err = writeChromeTrace(run.data, paths[i], w); !err.empty()) {
            std::fprintf(stderr, "gaplens capture: %s\n", err.c_str());
            return kFailed;
        }
        written.emplace_back(workload + " " + std::to_string(sizes[i]), paths[i]);
        std::printf("wrote %s (%d steps recorded)\n", paths[i].c_str(), run.recordedSteps);
        std::fflush(stdout);
    }
    for (const auto& [label, path] : written) printTraceVerdict(path, label);
    return kOk;
}

}  // namespace

int captureCommand(const std::vector<std::string>& args) {
    std::string workload, output, sizesText = "64", scheduleText;
    int iters = 20, batch = 8;
    std::vector<std::string> program;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= args.size()) return false;
            out = args[++i];
            return true;
        };
        std::string v;
        if (a == "-h" || a == "--help") {
            std::fputs(kHelp, stdout);
            return kOk;
        } else if (a == "--") {
            program.assign(args.begin() + i + 1, args.end());
            break;
        } else if (a == "-o" || a == "--output") {
            if (!value(output)) return usage("-o needs a path");
        } else if (a == "--workload") {
            if (!value(workload)) return usage("--workload needs a name");
        } else if (a == "--sizes" || a == "--size") {
            if (!value(sizesText)) return usage("--sizes needs a list");
        } else if (a == "--iters") {
            if (!value(v) || !parsePositive(v, iters)) return usage("--iters needs a positive integer");
        } else if (a == "--batch") {
            if (!value(v) || !parsePositive(v, batch)) return usage("--batch needs a positive integer");
        } else if (a == "--schedule") {
            if (!value(scheduleText)) return usage("--schedule needs W,U,A,R");
        } else if (a == "--dtype") {
            if (!value(v)) return usage("--dtype needs a type");
            if (v != "bf16") return usage("--dtype " + v + ": only bf16 is built in");
        } else if (!a.empty() && a[0] == '-' && workload.empty()) {
            return usage("unknown option '" + a + "'");
        } else {
            program.assign(args.begin() + i, args.end());  // first non-option word starts the program
            break;
        }
    }
    if (!workload.empty() && !program.empty()) return usage("give either --workload or a program, not both");
    if (workload.empty() && program.empty()) return usage("nothing to capture: give --workload NAME or -- <program>");

    if (!program.empty()) {
        if (output.empty()) output = "gaplens_trace.json";
        if (std::string why = OutputFile::checkWritable(output); !why.empty()) {
            std::fprintf(stderr, "gaplens capture: %s\n", why.c_str());
            return kUsage;
        }
        return captureProgram({output, program, ""});
    }
    std::vector<int> sizes;
    if (!parseSizes(sizesText, sizes)) return usage("--sizes: expected sizes like 64,1024,8192");
    Schedule schedule = Schedule::all(iters);
    if (!scheduleText.empty()) {
        std::string error;
        auto parsed = Schedule::parse(scheduleText, &error);
        if (!parsed) return usage(error);
        schedule = *parsed;
    }
    if (output.empty()) output = "runs/";
    return runWorkloads(workload, sizes, iters, batch, schedule, output);
}

}  // namespace gaplens::capture
