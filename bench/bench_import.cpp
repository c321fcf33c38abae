// Import throughput and memory of the Chrome/Kineto JSON importer, against Python's json.load on
// the same file in the same run.
//
//   bench_import FILE [--threads N,M,...] [--no-python]
//       FILE: a big trace (bench/make_big_trace.py --mb 100 -o /tmp/big.json), plain or .json.gz.
//       Prints json.load's time and MB/s, then for each thread count (default 1 and all cores) the
//       import time, MB/s of JSON text, the ratio to json.load, events, Trace::memoryBytes() per
//       event, resident memory after import and peak resident memory (each import runs in its own
//       process, so that peaks do not mix).
//   bench_import --single FILE THREADS
//       One import in this process; prints one line of key=value figures (used by the above).
//
// MB are 1e6 bytes of JSON text (uncompressed for .gz). Peak RSS counts the mapped file pages the
// importer has not yet released, as the kernel does.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <zlib.h>

#include "ProcessMemory.h"
#include "core/io/ChromeTraceImporter.h"

using namespace gaplens;
using bench::statusBytes;

namespace {

// Bytes of JSON text in the file (inflated size for .gz).
uint64_t jsonBytes(const std::string& path) {
    gzFile gz = gzopen(path.c_str(), "rb");  // reads plain files as they are
    if (!gz) return 0;
    gzbuffer(gz, 1 << 20);
    std::vector<char> buf(1 << 20);
    uint64_t total = 0;
    int n;
    while ((n = gzread(gz, buf.data(), static_cast<unsigned>(buf.size()))) > 0) total += static_cast<uint64_t>(n);
    gzclose(gz);
    return total;
}

int single(const std::string& path, unsigned threads) {
    Trace trace;
    ImportOptions options;
    options.threads = threads;
    const auto t0 = std::chrono::steady_clock::now();
    const ImportResult r = importTraces({path}, trace, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok) {
        std::fprintf(stderr, "%s\n", r.error.c_str());
        return 2;
    }
    for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    struct rusage ru {};
    ::getrusage(RUSAGE_SELF, &ru);
    const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                       static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    std::printf("cpu_seconds=%.4f ", cpu);
    std::printf("seconds=%.4f events=%zu model_bytes=%zu rss_after=%llu peak_rss=%llu maxrss_rusage=%llu\n", seconds,
                trace.eventCount(), trace.memoryBytes(), static_cast<unsigned long long>(statusBytes("VmRSS:")),
                static_cast<unsigned long long>(statusBytes("VmHWM:")),
                static_cast<unsigned long long>(ru.ru_maxrss) * 1024ull);
    return 0;
}

std::map<std::string, double> parseFigures(const std::string& line) {
    std::map<std::string, double> out;
    std::istringstream in(line);
    std::string item;
    while (in >> item) {
        const size_t eq = item.find('=');
        if (eq != std::string::npos) out[item.substr(0, eq)] = std::strtod(item.c_str() + eq + 1, nullptr);
    }
    return out;
}

std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 4 && std::string(argv[1]) == "--single") return single(argv[2], static_cast<unsigned>(std::atoi(argv[3])));
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_import FILE [--threads 1,2] [--no-python]\n");
        return 1;
    }
    const std::string path = argv[1];
    std::vector<unsigned> threadCounts = {1, std::max(1u, std::thread::hardware_concurrency())};
    bool python = true;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--no-python") python = false;
        else if (a == "--threads" && i + 1 < argc) {
            threadCounts.clear();
            std::istringstream in(argv[++i]);
            std::string item;
            while (std::getline(in, item, ',')) threadCounts.push_back(static_cast<unsigned>(std::atoi(item.c_str())));
        }
    }
    threadCounts.erase(std::unique(threadCounts.begin(), threadCounts.end()), threadCounts.end());

    const uint64_t bytes = jsonBytes(path);  // also brings the file into the page cache
    const double mb = static_cast<double>(bytes) / 1e6;
    std::printf("file: %s, %.1f MB of JSON, %u hardware threads\n", path.c_str(), mb,
                std::thread::hardware_concurrency());

    double pythonMBs = 0, pythonCpuMBs = 0;
    if (python) {
        const std::string script =
            "import json,time,sys,gzip;f=sys.argv[1];t=time.perf_counter();c=time.process_time();"
            "o=(gzip.open if f.endswith('.gz') else open)(f,'rb');d=json.load(o);"
            "print(time.perf_counter()-t,time.process_time()-c)";
        const std::string out = run("python3 -c " + quoted(script) + " " + quoted(path));
        char* rest = nullptr;
        const double seconds = std::strtod(out.c_str(), &rest);
        const double cpu = std::strtod(rest, nullptr);
        if (seconds > 0 && cpu > 0) {
            pythonMBs = mb / seconds;
            pythonCpuMBs = mb / cpu;
            std::printf("python3 json.load:   %6.2f s  %8.1f MB/s   (CPU time %.2f s: %.1f MB per CPU-second)\n",
                        seconds, pythonMBs, cpu, pythonCpuMBs);
        } else {
            std::printf("python3 json.load: failed (%s)\n", out.c_str());
        }
    }

    const std::string self = "/proc/self/exe";
    char exe[4096];
    const ssize_t len = ::readlink(self.c_str(), exe, sizeof exe - 1);
    const std::string me = len > 0 ? std::string(exe, static_cast<size_t>(len)) : std::string(argv[0]);
    for (unsigned threads : threadCounts) {
        const std::string out = run(quoted(me) + " --single " + quoted(path) + " " + std::to_string(threads));
        auto f = parseFigures(out);
        if (!f.count("seconds")) {
            std::printf("gaplens import, %u thread(s): failed (%s)\n", threads, out.c_str());
            continue;
        }
        const double events = f["events"];
        std::printf("gaplens import, %u thread%s: %6.2f s  %8.1f MB/s", threads, threads == 1 ? " " : "s",
                    f["seconds"], mb / f["seconds"]);
        if (pythonMBs > 0) std::printf("  (%.1fx json.load)", mb / f["seconds"] / pythonMBs);
        std::printf("   CPU time %.2f s: %.1f MB per CPU-second", f["cpu_seconds"], mb / f["cpu_seconds"]);
        if (pythonCpuMBs > 0) std::printf(" (%.1fx)", mb / f["cpu_seconds"] / pythonCpuMBs);
        std::printf("\n    %.0f events, model %.1f B/event (Trace::memoryBytes %.1f MB), RSS after import %.1f "
                    "B/event (%.1f MB), peak RSS %.1f MB\n",
                    events, f["model_bytes"] / events, f["model_bytes"] / 1e6, f["rss_after"] / events,
                    f["rss_after"] / 1e6, f["peak_rss"] / 1e6);
    }
    return 0;
}
