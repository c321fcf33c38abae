// gaplens: where does my GPU sit idle, and why?
#include <cstdio>
#include <string>
#include <vector>

#include "app/gaplens/CommandHelp.h"
#include "app/gaplens/Commands.h"
#ifdef GAPLENS_HAVE_CAPTURE
#include "core/capture/CaptureCommand.h"
#endif

int main(int argc, char** argv) {
    using namespace gaplens::cli;
    const std::string first = argc < 2 ? std::string() : std::string(argv[1]);
    if (argc < 2 || isHelpOption(first) || first == "help") {
        std::fputs(overviewText().c_str(), argc < 2 ? stderr : stdout);
        return argc < 2 ? kUsage : kOk;
    }
    if (first == "--version" || first == "-V") {
        std::puts("gaplens " GAPLENS_VERSION);  // CMake's project version
        return kOk;
    }
    const std::string& command = first;
    const std::vector<std::string> args(argv + 1, argv + argc);
    const CommandHelp* help = findCommandHelp(command);
    if (!help) {
        std::fprintf(stderr, "gaplens: unknown command '%s' (gaplens --help lists the commands)\n", command.c_str());
        return kUsage;
    }
    if (command == "capture") {
#ifdef GAPLENS_HAVE_CAPTURE
        // Capture answers -h itself: a program's own -h after its first word is not gaplens'.
        return gaplens::capture::captureCommand(args, helpText(*help));
#else
        if (asksForHelp(args)) {
            std::fputs(helpText(*help).c_str(), stdout);
            return kOk;
        }
        std::fputs("gaplens capture: this build has no capture (CUDA toolkit not found at build time); "
                   "install the CUDA Toolkit and rebuild (README: Capture)\n", stderr);
        return kNoGpu;
#endif
    }
    if (asksForHelp(args)) {
        std::fputs(helpText(*help).c_str(), stdout);
        return kOk;
    }
    if (command == "report") return reportCommand(args);
    if (command == "gaps") return gapsCommand(args);
    if (command == "export") return exportCommand(args);
    if (command == "sweep") return sweepCommand(args);
    if (command == "share") return shareCommand(args);
    if (command == "merge") return mergeCommand(args);
    if (command == "diff") return diffCommand(args);
    std::fprintf(stderr, "gaplens: '%s' has a help entry but no dispatch in main.cpp\n", command.c_str());
    return kUsage;
}
