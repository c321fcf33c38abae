// gaplens: where does my GPU sit idle, and why?
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "app/gaplens/Commands.h"
#ifdef GAPLENS_HAVE_CAPTURE
#include "core/capture/CaptureCommand.h"
#endif

namespace {

const char* kUsageText =
    "usage: gaplens <command> [options]\n"
    "\n"
    "  capture [--workload matmul_add --sizes 64,1024,8192 --iters N --schedule W,U,A,R] -o run.json\n"
    "  capture -o run.json -- <program> [args...]   capture any CUDA program\n"
    "  report  run.json [more.json] [--format text|json|md] [--sort self_gpu] [--top 20] [--group-by range]\n"
    "  gaps    run.json [--min-gap 10us] [--csv]\n"
    "  export  run.json -o out.json[.gz] [--window 1.2ms:3.4ms]\n"
    "  sweep   a.json b.json ... | --sizes 64,1024 -o dir/\n"
    "  share   run.json [-o run.html] | before.json after.json -o cmp.html\n"
    "  diff    before.json after.json [--format text|md|json] [--top 20]\n"
    "\n"
    "exit codes: 0 ok, 1 usage error, 2 bad input file, 3 no GPU/CUPTI, 4 child program failed\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
        std::fputs(kUsageText, argc < 2 ? stderr : stdout);
        return argc < 2 ? gaplens::cli::kUsage : gaplens::cli::kOk;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::puts("gaplens 0.1.0");
        return 0;
    }
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 1, argv + argc);
    using namespace gaplens::cli;
    if (command == "report") return reportCommand(args);
    if (command == "gaps") return gapsCommand(args);
    if (command == "export") return exportCommand(args);
    if (command == "sweep") return sweepCommand(args);
    if (command == "share") return shareCommand(args);
    if (command == "diff") return diffCommand(args);
    if (command == "capture") {
#ifdef GAPLENS_HAVE_CAPTURE
        return gaplens::capture::captureCommand(args);
#else
        std::fputs("gaplens capture: this build has no capture (CUDA toolkit not found at build time); "
                   "install the CUDA Toolkit and rebuild (README: Capture)\n", stderr);
        return kNoGpu;
#endif
    }
    std::fprintf(stderr, "gaplens: unknown command '%s'\n%s", command.c_str(), kUsageText);
    return kUsage;
}
