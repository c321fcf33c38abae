// libgaplens_inject.so: loaded into a captured program by the CUDA driver (CUDA_INJECTION64_PATH,
// entry point InitializeInjection), by NVTX (NVTX_INJECTION64_PATH, entry point
// InitializeInjectionNvtx2: gaplens' NVTX recorder takes NVTX's calls) and, with the framework
// context, by the ittnotify inside libtorch (INTEL_LIBITTNOTIFY64: the __itt_* handlers below).
// It starts the collector at CUDA initialization and writes the trace once: at exit, or on a fatal
// signal before the program dies, so a crash still leaves what ran before it.
//
// A program may pause and resume the capture around parts it does not want on the record (and to
// measure what capture costs, in one process): gaplens_capture_pause() / gaplens_capture_resume(),
// reachable from Python with ctypes.CDLL(os.environ["CUDA_INJECTION64_PATH"]).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <cupti.h>
#include <dlfcn.h>
#include <unistd.h>

#include "core/capture/ChromeTraceWriter.h"
#include "core/capture/CuptiCollector.h"
#include "core/capture/IttCollector.h"
#include "core/capture/IttEntryPoints.h"
#include "core/capture/NvtxRecorder.h"
#include "core/capture/ProcessOutputs.h"

namespace {

using gaplens::capture::CuptiCollector;

std::string g_output;
std::string g_rank;  // this process's rank in a job (RANK / LOCAL_RANK), "" when it is none
gaplens::capture::CollectorOptions g_options;
std::atomic<bool> g_started{false};
pid_t g_pid = 0;  // the process that started the capture: a forked child inherits our atexit handler
std::atomic<bool> g_written{false};

constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
constexpr int kTerminatingSignals[] = {SIGTERM, SIGHUP, SIGQUIT};
struct sigaction g_previous[65];

// The framework context's listener (app/inject/python/gaplens_framework.py), told of a pause (1) and
// a resume (0) on the thread that calls them: torch's range emission is per thread, and off while
// paused it costs torch's ops nothing. Registered once torch is imported; none without torch.
using PauseListener = void (*)(int paused);
std::atomic<PauseListener> g_pauseListener{nullptr};

void tellPauseListener(int paused) {
    if (PauseListener listener = g_pauseListener.load()) listener(paused);
}

std::string hostName() {
    char name[256] = {};
    return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string();
}

std::string processName() {
    std::ifstream in("/proc/self/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

void writeTrace(const char* why) {
    // A child forked after CUDA started (os.fork, multiprocessing's fork) exits through the same atexit
    // handler: it must not write over the parent's trace with a copy of the parent's records.
    if (getpid() != g_pid) return;
    if (!g_started.load() || g_written.exchange(true)) return;
    CuptiCollector& collector = CuptiCollector::instance();
    collector.stop();
    gaplens::capture::CaptureData data = collector.take();
    data.processName = processName();
    gaplens::capture::TraceWriteOptions options;
    options.metadata = {{"program", gaplens::capture::jsonString(data.processName)},
                        {"ended", gaplens::capture::jsonString(why)},
                        {"host", gaplens::capture::jsonString(hostName())}};
    // How torch's ops were recorded (framework context): "itt" or "nvtx".
    if (!data.frameworkVia.empty())
        options.metadata.emplace_back("frameworkContext", gaplens::capture::jsonString(data.frameworkVia));
    // A rank of a job says so as torch.profiler does (Kineto's distributedInfo), so that
    // `gaplens report run.rank*.json.gz` reads the files as the ranks of one job.
    if (!g_rank.empty()) {
        std::string info = "{\"rank\": " + g_rank;
        for (const char* key : {"WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"}) {
            const char* v = std::getenv(key);
            if (v && *v && std::strspn(v, "0123456789") == std::strlen(v) && std::strlen(v) < 10) {
                std::string name = key;
                for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
                info += ", \"" + name + "\": " + v;
            }
        }
        options.topLevel = {{"distributedInfo", info + "}"}};
    }
    if (std::string err = gaplens::capture::writeChromeTrace(data, g_output, options); !err.empty())
        std::fprintf(stderr, "gaplens: %s\n", err.c_str());
}

void writeAtExit() { writeTrace("exit"); }

void onSignal(int sig) {
    // Not async-signal-safe, but the process is ending anyway: a best effort to keep what was
    // captured. If the write hangs (the crash left a lock held), SIGALRM's default action ends it.
    alarm(10);
    writeTrace(sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT ? "terminated" : "crashed");
    sigaction(sig, &g_previous[sig], nullptr);
    raise(sig);
}

void installSignalHandlers() {
    struct sigaction sa{};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (int sig : kFatalSignals) sigaction(sig, &sa, &g_previous[sig]);
    // Termination requests: only where the program has no handler of its own.
    for (int sig : kTerminatingSignals) {
        struct sigaction current{};
        sigaction(sig, nullptr, &current);
        if (current.sa_handler == SIG_DFL) sigaction(sig, &sa, &g_previous[sig]);
    }
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int InitializeInjection(void) {
    if (g_started.load()) return 1;
    const char* output = std::getenv(gaplens::capture::kEnvOutput);
    if (!output || !*output) return 1;  // loaded without gaplens capture: stay passive
    const char* rootPid = std::getenv(gaplens::capture::kEnvRootPid);
    const bool isRoot = rootPid && std::atoi(rootPid) == int(getpid());
    // A rank that torchrun (or another launcher) started is named by its rank, other processes by
    // pid; the program itself keeps the -o name, and says its rank when its environment gives one
    // (a launcher that runs `gaplens capture` once per rank).
    g_rank = isRoot ? gaplens::capture::rankOfProcess(std::getenv("RANK"), std::getenv("LOCAL_RANK"), "", "")
                    : gaplens::capture::rankOfThisProcess();
    g_output = gaplens::capture::outputForProcess(output, isRoot, int(getpid()), g_rank);
    // GAPLENS_CAPTURE_OPTIONS: e.g. "no-latency,all-apis" (CollectorOptions::fromString), to measure what each costs.
    std::string unknown;
    const char* optionText = std::getenv("GAPLENS_CAPTURE_OPTIONS");
    // "off": loaded but passive, to measure what the injection alone costs.
    if (optionText && std::string(optionText) == "off") return 1;
    const auto options = gaplens::capture::CollectorOptions::fromString(optionText ? optionText : "", &unknown);
    if (!unknown.empty()) std::fprintf(stderr, "gaplens: GAPLENS_CAPTURE_OPTIONS: ignored '%s'\n", unknown.c_str());
    g_options = options;
    if (std::string err = CuptiCollector::instance().start(options); !err.empty()) {
        std::fprintf(stderr, "gaplens: %s\n", err.c_str());
        if (std::FILE* f = std::fopen(gaplens::capture::errorFileFor(output).c_str(), "w")) {
            std::fprintf(f, "%s\n", err.c_str());
            std::fclose(f);
        }
        return 1;
    }
    g_pid = getpid();
    g_started = true;
    std::atexit(writeAtExit);
    installSignalHandlers();
    return 1;
}

// NVTX calls this when NVTX_INJECTION64_PATH names this library, at the program's first NVTX call:
// gaplens' own recorder takes NVTX's ranges (NvtxRecorder.h); with GAPLENS_CAPTURE_OPTIONS
// "nvtx-cupti", NVTX is handed to the libcupti in use instead, whose marker activity records them.
extern "C" __attribute__((visibility("default"))) int InitializeInjectionNvtx2(const void* getExportTable) {
    const char* optionText = std::getenv("GAPLENS_CAPTURE_OPTIONS");
    if (!gaplens::capture::CollectorOptions::fromString(optionText ? optionText : "").nvtxThroughCupti)
        return gaplens::capture::NvtxRecorder::instance().install(getExportTable) ? 1 : 0;
    using Init = int (*)(const void*);
    Dl_info info{};
    if (!dladdr(reinterpret_cast<void*>(&cuptiActivityEnable), &info) || !info.dli_fname) return 0;
    void* cupti = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
    if (!cupti) return 0;
    auto init = reinterpret_cast<Init>(dlsym(cupti, "InitializeInjectionNvtx2"));
    return init ? init(getExportTable) : 0;
}

// Framework context (app/inject/python/gaplens_framework.py): `name` is a torch record_function
// range, written as user_annotation rather than cpu_op. Returns 0.
extern "C" __attribute__((visibility("default"))) int gaplens_framework_user_range(const char* name) {
    if (name) CuptiCollector::instance().addFrameworkUserRange(name);
    return 0;
}

// ---- ITT collector (core/capture/IttCollector.h; the entry points ittnotify calls are in
// core/capture/IttEntryPoints.h, included above) ----
// 1 once torch's ittnotify has handed its "PyTorch" domain to this library (the Python hook then
// turns on torch's ITT mode), else 0.
extern "C" __attribute__((visibility("default"))) int gaplens_framework_itt_ready(void) {
    return gaplens::capture::itt::frameworkDomainSeen() ? 1 : 0;
}

// Registers the framework context's listener (PauseListener above); null removes it. Returns 0.
extern "C" __attribute__((visibility("default"))) int gaplens_framework_pause_listener(PauseListener listener) {
    g_pauseListener.store(listener);
    return 0;
}

// The framework context tells of the program's own torch.profiler (1 when it starts, 0 when it
// stops): while it runs, a pause leaves CUPTI attached (CuptiCollector::holdAttached). Returns 0.
extern "C" __attribute__((visibility("default"))) int gaplens_framework_program_profiler(int running) {
    CuptiCollector::instance().holdAttached(running != 0);
    return 0;
}

// Stops recording (what was recorded stays for the trace written at exit). Blocking: flushes
// CUPTI's buffers. CUPTI then detaches from the process at the next CUDA call's exit, so that a
// paused program runs as if untraced (CuptiCollector::pause(); GAPLENS_CAPTURE_OPTIONS=no-detach
// keeps it attached). Returns 0, or -1 when the capture is not active in this process.
extern "C" __attribute__((visibility("default"))) int gaplens_capture_pause(void) {
    if (!g_started.load() || g_written.load()) return -1;
    tellPauseListener(1);
    CuptiCollector::instance().pause();
    return 0;
}

// Records again after gaplens_capture_pause(). Returns 0, or -1 (not active, or CUPTI refused:
// the reason goes to stderr).
extern "C" __attribute__((visibility("default"))) int gaplens_capture_resume(void) {
    if (!g_started.load() || g_written.load()) return -1;
    if (std::string err = CuptiCollector::instance().start(g_options); !err.empty()) {
        std::fprintf(stderr, "gaplens: %s\n", err.c_str());
        return -1;
    }
    tellPauseListener(0);
    return 0;
}
