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

#include "core/capture/ProcessOutputs.h"

namespace gaplens::capture {

struct ProgramCaptureOptions {
    std::string output;              // trace path (.json or .json.gz)
    std::vector<std::string> argv;   // program and its arguments
    std::string injectLibrary;       // "" = found next to the gaplens executable / build tree
    bool frameworkContext = true;    // torch's ops and ranges for Python programs (--framework=auto)
};

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
int captureProgram(const ProgramCaptureOptions& options);

}  // namespace gaplens::capture
