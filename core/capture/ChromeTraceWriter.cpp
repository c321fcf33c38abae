#include "core/capture/ChromeTraceWriter.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <unistd.h>

#include "core/io/OutputFile.h"

namespace gaplens::capture {
namespace {

bool inWindows(uint64_t t, const std::vector<std::pair<uint64_t, uint64_t>>& windows) {
    for (const auto& [b, e] : windows)
        if (t >= b && t < e) return true;
    return false;
}

// ns relative to the base, printed as µs with exactly 3 decimals (no floating-point rounding).
void appendMicros(std::string& out, int64_t ns) {
    if (ns < 0) {
        out += '-';
        ns = -ns;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ns / 1000), static_cast<long long>(ns % 1000));
    out += buf;
}

std::string threadName(uint32_t pid, uint32_t tid) {
    if (pid != static_cast<uint32_t>(::getpid())) return "";
    std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

class EventWriter {
public:
    EventWriter(OutputFile& file, uint64_t base) : file_(file), base_(base) {}

    void begin(const char* ph, std::string_view cat, std::string_view name, int64_t pid, int64_t tid, uint64_t ts) {
        out_ += first_ ? "\n  {" : ",\n  {";
        first_ = false;
        out_ += "\"ph\":\"";
        out_ += ph;
        out_ += "\",\"cat\":\"";
        out_ += cat;
        out_ += "\",\"name\":";
        out_ += jsonString(name);
        out_ += ",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) + ",\"ts\":";
        appendMicros(out_, int64_t(ts) - int64_t(base_));
    }
    void dur(uint64_t start, uint64_t end) {
        out_ += ",\"dur\":";
        appendMicros(out_, end > start ? int64_t(end - start) : 0);
    }
    void raw(std::string_view text) { out_ += text; }
    void end() {
        out_ += '}';
        if (out_.size() > (1u << 20)) drain();
    }
    void drain() {
        file_.write(out_);
        out_.clear();
    }

private:
    OutputFile& file_;
    uint64_t base_;
    std::string out_;
    bool first_ = true;
};

}  // namespace

std::string jsonString(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
    return out + "\"";
}

void selectWindows(CaptureData& data, const std::vector<std::pair<uint64_t, uint64_t>>& windows) {
    if (windows.empty()) return;
    std::unordered_set<uint32_t> keptCorrelations;
    for (const ApiRecord& a : data.apis)
        if (inWindows(a.start, windows)) keptCorrelations.insert(a.correlation);
    std::erase_if(data.gpu, [&](const GpuRecord& g) {
        return !keptCorrelations.count(g.correlation) && !inWindows(g.start, windows);
    });
    // GPU work that runs inside a window keeps its launch even where the launch came before it (the
    // last step before the window, its kernels still queued when the window opened): the kernel is
    // the window's GPU time, and a kernel without its launch links to nothing.
    std::unordered_set<uint32_t> launchesOfKeptGpuWork;
    for (const GpuRecord& g : data.gpu) launchesOfKeptGpuWork.insert(g.correlation);
    std::erase_if(data.apis, [&](const ApiRecord& a) {
        return !inWindows(a.start, windows) && !launchesOfKeptGpuWork.count(a.correlation);
    });
    std::erase_if(data.ranges, [&](const RangeRecord& r) { return !inWindows(r.start, windows); });
    std::erase_if(data.overheads, [&](const OverheadRecord& o) { return !inWindows(o.start, windows); });
    std::erase_if(data.syncs, [&](const SyncRecord& s) {
        return !keptCorrelations.count(s.correlation) && !inWindows(s.start, windows);
    });
}

std::string writeChromeTrace(CaptureData& data, const std::string& path, const TraceWriteOptions& options) {
    selectWindows(data, options.windows);
    // Host and GPU timelines in one order, as a reader expects (it sorts anyway).
    std::sort(data.apis.begin(), data.apis.end(), [](const ApiRecord& a, const ApiRecord& b) { return a.start < b.start; });
    std::sort(data.gpu.begin(), data.gpu.end(), [](const GpuRecord& a, const GpuRecord& b) { return a.start < b.start; });
    std::sort(data.ranges.begin(), data.ranges.end(),
              [](const RangeRecord& a, const RangeRecord& b) { return a.start < b.start; });

    uint64_t first = UINT64_MAX;
    auto see = [&](uint64_t t) {
        if (t) first = std::min(first, t);
    };
    for (const auto& a : data.apis) see(a.start);
    for (const auto& g : data.gpu) see(g.start);
    for (const auto& r : data.ranges) see(r.start);
    for (const auto& o : data.overheads) see(o.start);
    if (first == UINT64_MAX) first = 0;
    const uint64_t base = first / 1000000000ull * 1000000000ull;  // whole seconds: small, exact ts values

    OutputFile file = OutputFile::forPath(path);
    if (!file.ok()) return file.error();

    std::string head = "{\n  \"schemaVersion\": 1,\n  \"displayTimeUnit\": \"ms\",\n  \"baseTimeNanoseconds\": " +
                       std::to_string(base) + ",\n  \"traceName\": " +
                       jsonString(options.traceName.empty() ? path : options.traceName) + ",\n";
    head += "  \"deviceProperties\": [";
    for (size_t i = 0; i < data.devices.size(); ++i) {
        const DeviceInfo& d = data.devices[i];
        head += (i ? ", " : "") + std::string("{\"id\": ") + std::to_string(d.id) + ", \"name\": " + jsonString(d.name) +
                ", \"totalGlobalMem\": " + std::to_string(d.globalMemory) + ", \"computeMajor\": " +
                std::to_string(d.computeMajor) + ", \"computeMinor\": " + std::to_string(d.computeMinor) +
                ", \"numSms\": " + std::to_string(d.smCount) + "}";
    }
    head += "],\n";
    for (const auto& [key, value] : options.topLevel) head += "  " + jsonString(key) + ": " + value + ",\n";
    head += "  \"gaplens\": {\"tool\": \"gaplens capture\", \"droppedRecords\": " +
            std::to_string(data.droppedRecords) + ", \"openRanges\": " + std::to_string(data.openRanges);
    // How often CUPTI was detached while the capture was paused (absent when never).
    if (data.detaches > 0) head += ", \"cuptiDetaches\": " + std::to_string(data.detaches);
    for (const auto& [key, value] : options.metadata) head += ", " + jsonString(key) + ": " + value;
    head += "},\n  \"traceEvents\": [";
    file.write(head);

    EventWriter w(file, base);
    std::set<std::pair<uint32_t, uint32_t>> hostThreads;
    std::set<std::pair<uint32_t, uint32_t>> gpuStreams;
    std::unordered_set<uint32_t> launchedCorrelations;  // API calls with a GPU activity: flow start
    std::unordered_map<uint32_t, uint32_t> deviceOfContext;
    for (const GpuRecord& g : data.gpu) {
        launchedCorrelations.insert(g.correlation);
        deviceOfContext[g.context] = g.device;
    }

    const std::unordered_set<std::string_view> userRanges(data.frameworkUserRanges.begin(),
                                                         data.frameworkUserRanges.end());
    for (const RangeRecord& r : data.ranges) {
        const std::string_view name = data.strings.str(r.name);
        // As torch.profiler writes them: record_function ranges user_annotation, torch's other
        // ranges cpu_op; every other range (NVTX, gaplens::Range) user_annotation.
        const bool op = r.framework && !userRanges.count(name);
        w.begin("X", op ? "cpu_op" : "user_annotation", name, r.pid, r.tid, r.start);
        w.dur(r.start, r.end);
        std::string args;
        if (r.opId >= 0) args += "\"Record function id\":" + std::to_string(r.opId);
        if (r.sequence >= 0) args += std::string(args.empty() ? "" : ",") + "\"Sequence number\":" + std::to_string(r.sequence);
        w.raw(",\"args\":{" + args + "}");
        w.end();
        hostThreads.insert({r.pid, r.tid});
    }
    for (const ApiRecord& a : data.apis) {
        w.begin("X", a.driver ? "cuda_driver" : "cuda_runtime", data.strings.str(a.name), a.pid, a.tid, a.start);
        w.dur(a.start, a.end);
        w.raw(",\"args\":{\"cbid\":" + std::to_string(a.cbid) + ",\"correlation\":" + std::to_string(a.correlation) + "}");
        w.end();
        hostThreads.insert({a.pid, a.tid});
        if (launchedCorrelations.count(a.correlation)) {
            w.begin("s", "ac2g", "ac2g", a.pid, a.tid, a.start);
            w.raw(",\"id\":" + std::to_string(a.correlation));
            w.end();
        }
    }
    for (const OverheadRecord& o : data.overheads) {
        const bool onThread = o.pid != 0 || o.tid != 0;
        w.begin("X", "overhead", data.strings.str(o.name), onThread ? int64_t(o.pid) : -1, onThread ? int64_t(o.tid) : 0,
                o.start);
        w.dur(o.start, o.end);
        w.end();
        if (onThread) hostThreads.insert({o.pid, o.tid});
    }
    for (const GpuRecord& g : data.gpu) {
        const char* cat = g.kind == GpuRecordKind::Kernel ? "kernel" : g.kind == GpuRecordKind::Memcpy ? "gpu_memcpy"
                                                                                                         : "gpu_memset";
        w.begin("X", cat, data.strings.str(g.name), g.device, g.stream, g.start);
        w.dur(g.start, g.end);
        std::string args = ",\"args\":{\"device\":" + std::to_string(g.device) + ",\"context\":" +
                           std::to_string(g.context) + ",\"stream\":" + std::to_string(g.stream) +
                           ",\"correlation\":" + std::to_string(g.correlation);
        if (g.kind == GpuRecordKind::Kernel) {
            char buf[256];
            std::snprintf(buf, sizeof buf,
                          ",\"grid\":[%d,%d,%d],\"block\":[%d,%d,%d],\"registers per thread\":%u,\"shared memory\":%u",
                          g.grid[0], g.grid[1], g.grid[2], g.block[0], g.block[1], g.block[2], g.registers,
                          g.sharedMemory);
            args += buf;
            args += ",\"queued\":" + std::to_string(g.queued) + ",\"submitted\":" + std::to_string(g.submitted);
        } else {
            args += ",\"bytes\":" + std::to_string(g.bytes);
            if (g.end > g.start) {
                char buf[64];
                std::snprintf(buf, sizeof buf, ",\"memory bandwidth (GB/s)\":%.3f", double(g.bytes) / double(g.end - g.start));
                args += buf;
            }
        }
        if (g.graphNodeId) args += ",\"graph node\":" + std::to_string(g.graphNodeId);
        args += "}";
        w.raw(args);
        w.end();
        gpuStreams.insert({g.device, g.stream});
        w.begin("f", "ac2g", "ac2g", g.device, g.stream, g.start);
        w.raw(",\"id\":" + std::to_string(g.correlation) + ",\"bp\":\"e\"");
        w.end();
    }
    for (const SyncRecord& s : data.syncs) {
        auto dev = deviceOfContext.find(s.context);
        const int64_t device = dev == deviceOfContext.end() ? 0 : dev->second;
        const bool hasStream = s.stream != UINT32_MAX;
        w.begin("X", "cuda_sync", data.strings.str(s.name), device, hasStream ? int64_t(s.stream) : 0, s.start);
        w.dur(s.start, s.end);
        w.raw(",\"args\":{\"device\":" + std::to_string(device) + ",\"stream\":" +
              (hasStream ? std::to_string(s.stream) : std::string("-1")) + ",\"correlation\":" +
              std::to_string(s.correlation) + "}");
        w.end();
        if (hasStream) gpuStreams.insert({uint32_t(device), s.stream});
    }

    // Names of processes, threads and streams (M events), placed at the first timestamp.
    std::set<uint32_t> hostPids;
    for (const auto& [pid, tid] : hostThreads) {
        hostPids.insert(pid);
        std::string name = threadName(pid, tid);
        if (name.empty()) name = "thread " + std::to_string(tid);
        if (tid == pid) name += " (main)";
        w.begin("M", "", "thread_name", pid, tid, first);
        w.raw(",\"args\":{\"name\":" + jsonString(name) + "}");
        w.end();
    }
    for (uint32_t pid : hostPids) {
        w.begin("M", "", "process_name", pid, 0, first);
        w.raw(",\"args\":{\"name\":" + jsonString(data.processName.empty() ? "process " + std::to_string(pid)
                                                                            : data.processName) + "}");
        w.end();
    }
    std::set<uint32_t> devicesSeen;
    for (const auto& [device, stream] : gpuStreams) {
        devicesSeen.insert(device);
        w.begin("M", "", "thread_name", device, stream, first);
        w.raw(",\"args\":{\"name\":\"stream " + std::to_string(stream) + "\"}");
        w.end();
    }
    for (uint32_t device : devicesSeen) {
        w.begin("M", "", "process_name", device, 0, first);
        w.raw(",\"args\":{\"name\":\"GPU " + std::to_string(device) + "\"}");
        w.end();
    }
    w.drain();
    file.write("\n  ]\n}\n");
    if (!file.commit()) return file.error();
    return "";
}

}  // namespace gaplens::capture
