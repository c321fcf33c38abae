#include "core/capture/ProgramCapture.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/capture/CaptureReport.h"

namespace gaplens::capture {
namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0, kExitUsage = 1, kExitNoGpu = 3, kExitChildFailed = 4;

std::string readFirstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

pid_t g_child = 0;
void forwardSignal(int sig) {
    if (g_child > 0) ::kill(g_child, sig);
}

}  // namespace

std::string findInjectLibrary() {
    if (const char* env = std::getenv(kEnvInjectLibrary); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    std::vector<fs::path> candidates;
    if (!ec) {
        const fs::path dir = exe.parent_path();
        candidates = {dir / "libgaplens_inject.so", dir / "../lib/libgaplens_inject.so",
                      dir / "../lib/gaplens/libgaplens_inject.so", dir / "../inject/libgaplens_inject.so",
                      dir / "../app/inject/libgaplens_inject.so"};
    }
#ifdef GAPLENS_INJECT_BUILD_PATH
    candidates.emplace_back(GAPLENS_INJECT_BUILD_PATH);
#endif
    for (const fs::path& p : candidates)
        if (fs::exists(p, ec)) return fs::weakly_canonical(p, ec).string();
    return "";
}

std::string findFrameworkHook(const std::string& injectLibrary) {
    if (injectLibrary.empty()) return "";
    std::error_code ec;
    const fs::path dir = fs::path(injectLibrary).parent_path();
    for (const fs::path& candidate : {dir / "python", dir / "gaplens" / "python"})
        if (fs::exists(candidate / "sitecustomize.py", ec)) return fs::weakly_canonical(candidate, ec).string();
    return "";
}

std::string pythonPathWithHook(const std::string& hook, const char* oldPythonPath) {
    if (!oldPythonPath || !*oldPythonPath) return hook;
    return hook + ":" + oldPythonPath;
}

std::string ittGroupsWithStructure(const char* oldGroups) {
    const std::string old = oldGroups ? oldGroups : "";
    // ittnotify splits the list at ',', ';' and ' '.
    size_t at = 0;
    while (at < old.size()) {
        const size_t end = std::min(old.find_first_of(",; ", at), old.size());
        if (old.compare(at, end - at, "structure") == 0) return old;
        at = end + 1;
    }
    return old.empty() ? "structure" : old + ",structure";
}

int captureProgram(const ProgramCaptureOptions& options) {
    const std::string inject = options.injectLibrary.empty() ? findInjectLibrary() : options.injectLibrary;
    if (inject.empty()) {
        std::fprintf(stderr, "gaplens capture: libgaplens_inject.so not found next to gaplens (set %s to its path)\n",
                     kEnvInjectLibrary);
        return kExitNoGpu;
    }
    std::error_code ec;
    const std::string output = fs::absolute(options.output, ec).string();
    const std::string errorFile = errorFileFor(output);
    fs::remove(errorFile, ec);
    const auto before = fs::exists(output, ec) ? fs::last_write_time(output, ec) : fs::file_time_type::min();
    // Traces an earlier capture to the same -o left from its ranks and other processes: this run's
    // replace them, and a rank this run does not have must not linger beside them.
    if (const std::vector<std::string> stale = processOutputs(output); !stale.empty()) {
        for (const std::string& f : stale) fs::remove(f, ec);
        std::fprintf(stderr, "gaplens capture: removed %zu per-process trace%s of an earlier capture to %s\n", stale.size(),
                     stale.size() == 1 ? "" : "s", output.c_str());
    }

    if (const char* other = std::getenv("CUDA_INJECTION64_PATH"); other && *other && inject != other)
        std::fprintf(stderr, "gaplens capture: warning: CUDA_INJECTION64_PATH was set to %s (another tool); "
                             "replaced by gaplens' own for this run\n", other);

    std::string hook;
    if (options.frameworkContext) {
        hook = findFrameworkHook(inject);
        if (hook.empty())
            std::fprintf(stderr, "gaplens capture: warning: the Python start-up hook (python/sitecustomize.py beside %s) "
                                 "is missing: no framework context\n", inject.c_str());
    }

    int execPipe[2];
    if (::pipe2(execPipe, O_CLOEXEC) != 0) {
        std::fprintf(stderr, "gaplens capture: pipe: %s\n", std::strerror(errno));
        return kExitChildFailed;
    }
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child < 0) {
        std::fprintf(stderr, "gaplens capture: fork: %s\n", std::strerror(errno));
        return kExitChildFailed;
    }
    if (child == 0) {
        ::close(execPipe[0]);
        ::setenv("CUDA_INJECTION64_PATH", inject.c_str(), 1);
        ::setenv("NVTX_INJECTION64_PATH", inject.c_str(), 1);
        ::setenv(kEnvOutput, output.c_str(), 1);
        ::setenv(kEnvRootPid, std::to_string(::getpid()).c_str(), 1);
        ::setenv(kEnvFramework, options.frameworkContext ? "auto" : "none", 1);
        if (!hook.empty()) {
            ::setenv("PYTHONPATH", pythonPathWithHook(hook, std::getenv("PYTHONPATH")).c_str(), 1);
            // torch's ittnotify loads the library at `import torch` (IttCollector.h); a collector the
            // user named (VTune) is left in place, and the hook falls back to NVTX.
            if (const char* other = std::getenv("INTEL_LIBITTNOTIFY64"); !other || !*other) {
                ::setenv("INTEL_LIBITTNOTIFY64", inject.c_str(), 1);
                ::setenv("INTEL_ITTNOTIFY_GROUPS", ittGroupsWithStructure(std::getenv("INTEL_ITTNOTIFY_GROUPS")).c_str(), 1);
            }
        }
        std::vector<char*> argv;
        for (const std::string& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        const int err = errno;
        (void)!::write(execPipe[1], &err, sizeof err);
        ::_exit(127);
    }
    ::close(execPipe[1]);
    int execErrno = 0;
    const bool execFailed = ::read(execPipe[0], &execErrno, sizeof execErrno) == sizeof execErrno;
    ::close(execPipe[0]);

    // Ctrl-C reaches the program (same process group) and it writes its trace; gaplens waits for that.
    g_child = child;
    struct sigaction ignore{}, forward{}, oldInt{}, oldQuit{}, oldTerm{}, oldHup{};
    ignore.sa_handler = SIG_IGN;
    forward.sa_handler = forwardSignal;
    sigaction(SIGINT, &ignore, &oldInt);
    sigaction(SIGQUIT, &ignore, &oldQuit);
    sigaction(SIGTERM, &forward, &oldTerm);
    sigaction(SIGHUP, &forward, &oldHup);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGQUIT, &oldQuit, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    sigaction(SIGHUP, &oldHup, nullptr);
    g_child = 0;

    const std::string program = options.argv.front();
    if (execFailed) {  // nothing ran: a mistake on the command line, not a program that failed
        std::fprintf(stderr, "gaplens capture: cannot run '%s': %s\n", program.c_str(), std::strerror(execErrno));
        return kExitUsage;
    }
    const std::string cuptiError = readFirstLine(errorFile);
    fs::remove(errorFile, ec);
    const bool written = fs::exists(output, ec) && fs::last_write_time(output, ec) != before;
    // Processes the program started (the ranks a launcher such as torchrun starts) write their own;
    // the launcher itself may never use CUDA.
    const std::vector<std::string> others = processOutputs(output);

    std::string how;
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) how = "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        how = "was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    }
    if (!cuptiError.empty()) {
        std::fprintf(stderr, "gaplens capture: %s\n", cuptiError.c_str());
        return kExitNoGpu;
    }
    if (!written && others.empty()) {
        if (!how.empty()) {
            std::fprintf(stderr, "gaplens capture: '%s' %s before a trace could be written; nothing captured%s\n",
                         program.c_str(), how.c_str(),
                         WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? " (SIGKILL cannot be intercepted)" : "");
            return kExitChildFailed;
        }
        std::fprintf(stderr, "gaplens capture: '%s' never initialized CUDA (no CUDA call was made): nothing to capture\n",
                     program.c_str());
        return kExitNoGpu;
    }
    std::vector<std::string> files;
    if (written) files.push_back(output);
    files.insert(files.end(), others.begin(), others.end());
    if (files.size() == 1) {
        std::printf("gaplens capture: trace written to %s\n", files[0].c_str());
        printTraceVerdict(files[0], "");
    } else {
        std::printf("gaplens capture: %zu traces written%s:\n", files.size(),
                    written ? "" : " (the program itself made no CUDA call; the processes it started did)");
        for (const std::string& f : files) std::printf("  %s\n", f.c_str());
        printJobVerdict(files);
    }
    if (!how.empty()) {
        std::fprintf(stderr, "gaplens capture: '%s' %s; the events captured before that are in %s\n", program.c_str(),
                     how.c_str(), files.size() == 1 ? files[0].c_str() : "the traces above");
        return kExitChildFailed;
    }
    return kExitOk;
}

}  // namespace gaplens::capture
