#pragma once
// `gaplens capture -o run.json -- <program> [args...]`: runs any program with libgaplens_inject.so
// loaded by the CUDA driver (CUDA_INJECTION64_PATH; its InitializeInjection starts the collector)
// and by NVTX (NVTX_INJECTION64_PATH; gaplens' NVTX recorder takes the program's ranges, such as
// torch.cuda.nvtx.range, as user ranges). The injected library writes the trace itself when the
// program exits, and on fatal signals (SIGSEGV, SIGABRT, SIGTERM, ...) before the program dies.
//
// Framework context (frameworkContext): a Python program gets app/inject/python first on its
// PYTHONPATH; that start-up hook takes itself off sys.path again and, once the program imports
// torch, turns on torch's ranges for ops and record_function: through ITT where torch's ittnotify
// has loaded the injection library as its collector (INTEL_LIBITTNOTIFY64, IttCollector.h), else
// through NVTX (see gaplens_framework.py).
//
// Exit status (DESIGN.md): 0 when the program exited 0 and the trace was written; 4 when the
// program exited non-zero or died of a signal (the trace of what ran before is still written, and a
// line names the program's own exit code or signal); 3 when CUPTI could not attach or the program
// never used CUDA; 1 when the program cannot be started at all (not found, not executable), like
// any other mistake on the command line. The program's stdout/stderr go straight to the terminal.
#include <string>
#include <vector>

namespace gaplens::capture {

struct ProgramCaptureOptions {
    std::string output;              // trace path (.json or .json.gz)
    std::vector<std::string> argv;   // program and its arguments
    std::string injectLibrary;       // "" = found next to the gaplens executable / build tree
    bool frameworkContext = true;    // torch's ops and ranges for Python programs (--framework=auto)
};

// Environment variables shared by the CLI and the injection library.
inline constexpr const char* kEnvOutput = "GAPLENS_OUTPUT";            // where the trace goes
inline constexpr const char* kEnvRootPid = "GAPLENS_CAPTURE_PID";      // the program's own pid
inline constexpr const char* kEnvInjectLibrary = "GAPLENS_INJECT_LIBRARY";  // override of the .so
inline constexpr const char* kEnvFramework = "GAPLENS_FRAMEWORK";      // "auto" or "none", read by the hook

// Where libgaplens_inject.so is: $GAPLENS_INJECT_LIBRARY, next to the executable, ../lib, the build tree.
std::string findInjectLibrary();
// The folder of the Python start-up hook (sitecustomize.py) that belongs to an injection library:
// "python" beside it (build tree) or gaplens/python beside it (installed); "" when missing.
std::string findFrameworkHook(const std::string& injectLibrary);
// PYTHONPATH with `hook` put first (the old value kept after it).
std::string pythonPathWithHook(const std::string& hook, const char* oldPythonPath);
// INTEL_ITTNOTIFY_GROUPS with ittnotify's "structure" group (domains, string handles, tasks) in it:
// without it ittnotify hands the collector no task calls. The old groups are kept.
std::string ittGroupsWithStructure(const char* oldGroups);
// The rank a process of a distributed job is, from its environment: RANK (torchrun and other
// launchers set it), else LOCAL_RANK; "" when neither is a number. A process whose parent has the
// same rank is a helper that the rank started (a DataLoader or compile worker), not the rank: "".
// `parentRank` is the parent's value of the same variable ("" when it has none).
std::string rankOfProcess(const char* rankEnv, const char* localRankEnv, const std::string& parentRank,
                          const std::string& parentLocalRank);
// The same for this process (its environment, and its parent's from /proc/<ppid>/environ).
std::string rankOfThisProcess();
// The trace path a process of the program writes: `output` for the program itself;
// "<stem>.rank<R>.json[.gz]" for a rank of a job it launches (torchrun), and
// "<stem>.pid<N>.json[.gz]" for other processes it starts that use CUDA too.
std::string outputForProcess(const std::string& output, bool isRoot, int pid, const std::string& rank = "");
// The files the processes of a capture to `output` write besides `output` itself (the rank and pid
// names above) that exist now, sorted: ranks by number, then pids.
std::vector<std::string> processOutputs(const std::string& output);
// The side file in which the injection library leaves a one-line error (CUPTI could not attach).
std::string errorFileFor(const std::string& output);

int captureProgram(const ProgramCaptureOptions& options);

}  // namespace gaplens::capture
