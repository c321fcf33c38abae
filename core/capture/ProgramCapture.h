#pragma once
// `gaplens capture -o run.json -- <program> [args...]`: runs any program with libgaplens_inject.so
// loaded by the CUDA driver (CUDA_INJECTION64_PATH; its InitializeInjection starts the collector)
// and by NVTX (NVTX_INJECTION64_PATH; it forwards to the libcupti in use so NVTX ranges such as
// torch.cuda.nvtx.range become user ranges). The injected library writes the trace itself when the
// program exits, and on fatal signals (SIGSEGV, SIGABRT, SIGTERM, ...) before the program dies.
//
// Exit status (DESIGN.md): 0 when the program exited 0 and the trace was written; 4 when the
// program exited non-zero or died of a signal (the trace of what ran before is still written, and a
// line names the program's own exit code or signal); 3 when CUPTI could not attach or the program
// never used CUDA. The program's stdout/stderr go straight to the terminal.
#include <string>
#include <vector>

namespace gaplens::capture {

struct ProgramCaptureOptions {
    std::string output;              // trace path (.json or .json.gz)
    std::vector<std::string> argv;   // program and its arguments
    std::string injectLibrary;       // "" = found next to the gaplens executable / build tree
};

// Environment variables shared by the CLI and the injection library.
inline constexpr const char* kEnvOutput = "GAPLENS_OUTPUT";            // where the trace goes
inline constexpr const char* kEnvRootPid = "GAPLENS_CAPTURE_PID";      // the program's own pid
inline constexpr const char* kEnvInjectLibrary = "GAPLENS_INJECT_LIBRARY";  // override of the .so

// Where libgaplens_inject.so is: $GAPLENS_INJECT_LIBRARY, next to the executable, ../lib, the build tree.
std::string findInjectLibrary();
// The trace path a process of the program writes: `output` for the program itself, and
// "<stem>.pid<N>.json[.gz]" for other processes it starts that use CUDA too.
std::string outputForProcess(const std::string& output, bool isRoot, int pid);
// The side file in which the injection library leaves a one-line error (CUPTI could not attach).
std::string errorFileFor(const std::string& output);

int captureProgram(const ProgramCaptureOptions& options);

}  // namespace gaplens::capture
