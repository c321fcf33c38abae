// Resident memory of gaplens: its fixed cost, and what a trace adds, stage by stage.
//
//   bench_memory [--cli PATH] [--ui PATH] [--threads N] FILE...
//       For the CLI (default: the one built beside this benchmark): the peak RSS of
//       `gaplens --version` (the fixed cost: code, libraries, start-up) and, for each FILE, of
//       `gaplens report FILE --format json` and `gaplens report FILE` (text), each run as a child
//       process with its output thrown away; peaks from wait4()'s ru_maxrss. The same for the app
//       (default: the gaplens-ui built beside this benchmark, if any): `gaplens-ui --version` and
//       `gaplens-ui --screenshot OUT.png FILE` (offscreen unless QT_QPA_PLATFORM says otherwise:
//       it opens the trace, runs the analyses, draws the window and quits). Then, for each FILE,
//       the stages of `report --format json` one after another in one fresh process, each line the
//       highest RSS during that stage (VmHWM, reset before it) and the RSS after it (VmRSS): import,
//       analyses (buildReport), the JSON written as it is made (writeReportJson, what the CLI does),
//       and for comparison the whole JSON document (reportToJson) and its whole text (dump). `--threads N`: the importer's threads in the
//       stages (0: all cores, as gaplens does), to see what a bigger machine's import costs.
//   bench_memory --stages FILE THREADS
//       The stages on their own (used by the above).
//
// Target (the CLI): fixed cost <= 40 MB, and a report's peak at most the fixed cost plus what the
// events need: the model (Trace::memoryBytes) and the import's bounded buffers.
// MB are 1e6 bytes. Peak RSS counts the pages of a mapped trace file that the importer has not
// yet released, as the kernel does.
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "ProcessMemory.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/report/Report.h"

using namespace gaplens;
using bench::statusBytes;

namespace {

double mb(double bytes) { return bytes / 1e6; }

// Starts a stage: its peak is measured from here (Linux >= 4.0 resets VmHWM on "5" in clear_refs;
// elsewhere the peaks are the process's so far).
void beginStage() { std::ofstream("/proc/self/clear_refs") << "5"; }

// Ends a stage: the highest RSS since beginStage(), and the RSS now.
void stage(const char* what) {
    std::printf("  %-36s peak %7.1f MB   after %7.1f MB\n", what, mb(double(statusBytes("VmHWM:"))),
                mb(double(statusBytes("VmRSS:"))));
    std::fflush(stdout);
}

// An ostream's buffer that counts what it is given and keeps nothing.
struct NullBuf : std::streambuf {
    uint64_t bytes = 0;
    std::streamsize xsputn(const char*, std::streamsize n) override {
        bytes += uint64_t(n);
        return n;
    }
    int_type overflow(int_type c) override {
        ++bytes;
        return c;
    }
};

int stages(const std::string& path, unsigned threads) {
    stage("start");
    Trace trace;
    ImportOptions options;
    options.threads = threads;
    beginStage();
    const ImportResult r = importTraces({path}, trace, options);
    if (!r.ok) {
        std::fprintf(stderr, "%s\n", r.error.c_str());
        return 2;
    }
    stage("import");
    std::printf("  (%zu events, model %.1f MB = Trace::memoryBytes)\n", trace.eventCount(),
                mb(double(trace.memoryBytes())));
    ReportOptions ro;
    ro.path = path;
    beginStage();
    const Report report = buildReport(trace, ro);
    stage("analyses (buildReport)");
    beginStage();
    {
        NullBuf null;
        std::ostream out(&null);
        writeReportJson(report, out);
        stage("JSON written as made (writeReportJson)");
        std::printf("  (report JSON: %.1f MB of text)\n", mb(double(null.bytes)));
    }
    // What the CLI did before: the whole document, then its whole text.
    beginStage();
    nlohmann::json j = reportToJson(report);
    stage("JSON document (reportToJson)");
    beginStage();
    const std::string text = j.dump(1);
    stage("its text (dump)");
    return 0;
}

// Peak RSS of a child process running `args`, stdout and stderr to /dev/null; 0 when it fails.
uint64_t childPeak(const std::vector<std::string>& args) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        std::vector<char*> argv;
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    struct rusage ru {};
    if (pid < 0 || ::wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 0;
    return uint64_t(ru.ru_maxrss) * 1024;
}

std::string self() {
    char exe[4096];
    const ssize_t len = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    return len > 0 ? std::string(exe, size_t(len)) : std::string();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--stages") return stages(argv[2], unsigned(std::atoi(argv[3])));
#ifdef GAPLENS_CLI
    std::string cli = GAPLENS_CLI;
#else
    std::string cli;
#endif
#ifdef GAPLENS_UI_APP
    std::string ui = GAPLENS_UI_APP;
#else
    std::string ui;
#endif
    unsigned threads = 0;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--cli" && i + 1 < argc) cli = argv[++i];
        else if (a == "--ui" && i + 1 < argc) ui = argv[++i];
        else if (a == "--threads" && i + 1 < argc) threads = unsigned(std::atoi(argv[++i]));
        else files.push_back(a);
    }
    if (files.empty() || cli.empty()) {
        std::fprintf(stderr, "usage: bench_memory [--cli PATH] [--ui PATH] [--threads N] FILE...\n");
        return 1;
    }
    const uint64_t fixed = childPeak({cli, "--version"});
    std::printf("gaplens --version: peak RSS %.1f MB: the fixed cost  [target <= 40 MB: %s]\n", mb(double(fixed)),
                fixed && fixed <= 40'000'000 ? "met" : "not met");
    uint64_t uiFixed = 0;
    const std::string shot = "/tmp/bench_memory_" + std::to_string(::getpid()) + ".png";
    if (!ui.empty()) {
        ::setenv("QT_QPA_PLATFORM", "offscreen", 0);
        uiFixed = childPeak({ui, "--version"});
        std::printf("gaplens-ui --version: peak RSS %.1f MB (Qt's libraries)\n", mb(double(uiFixed)));
    }
    for (const std::string& f : files) {
        std::printf("%s\n", f.c_str());
        if (!ui.empty()) {
            const uint64_t app = childPeak({ui, "--screenshot", shot, f});
            std::remove(shot.c_str());
            std::printf("  gaplens-ui --screenshot:            peak %7.1f MB (%.1f MB above its --version)\n",
                        mb(double(app)), mb(double(app) - double(uiFixed)));
        }
        const uint64_t json = childPeak({cli, "report", f, "--format", "json"});
        const uint64_t text = childPeak({cli, "report", f});
        std::printf("  gaplens report --format json:      peak %7.1f MB (%.1f MB above the fixed cost)\n",
                    mb(double(json)), mb(double(json) - double(fixed)));
        std::printf("  gaplens report (text):             peak %7.1f MB (%.1f MB above the fixed cost)\n",
                    mb(double(text)), mb(double(text) - double(fixed)));
        std::fflush(stdout);
        std::string command = "'" + self() + "' --stages '" + f + "' " + std::to_string(threads);
        if (std::system(command.c_str()) != 0) std::printf("  stages failed\n");
    }
    return 0;
}
