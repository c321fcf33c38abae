#include "core/io/PerfettoJsonExporter.h"

#include <charconv>

#include "core/io/OutputFile.h"

namespace gaplens {

namespace {

// Pid of the findings process: far from real pids.
constexpr int64_t kFindingsPid = 999999999;

// Writes the document in pieces so that huge traces never sit in memory twice.
class JsonSink {
public:
    explicit JsonSink(OutputFile* file) : file_(file) {}
    std::string& buf() { return buf_; }
    void maybeFlush() {
        if (file_ && buf_.size() > (1u << 20)) flush();
    }
    void flush() {
        if (file_) {
            file_->write(buf_);
            buf_.clear();
        }
    }

private:
    OutputFile* file_;
    std::string buf_;
};

void appendInt(std::string& out, int64_t v) {
    char tmp[24];
    auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
    out.append(tmp, p);
}

// ns -> µs with exactly three decimals, so import(export(t)) gives back the same ns.
void appendMicros(std::string& out, TimeNs ns) {
    if (ns < 0) {
        out += '-';
        ns = -ns;
    }
    appendInt(out, ns / 1000);
    const int frac = static_cast<int>(ns % 1000);
    out += '.';
    out += static_cast<char>('0' + frac / 100);
    out += static_cast<char>('0' + frac / 10 % 10);
    out += static_cast<char>('0' + frac % 10);
}

class Writer {
public:
    Writer(const Trace& trace, const ExportOptions& options, JsonSink& sink)
        : trace_(trace), options_(options), sink_(sink), escaped_(trace.strings.size()) {}

    void write() {
        std::string& o = sink_.buf();
        nlohmann::json head = nlohmann::json::object();
        head["schemaVersion"] = 1;
        const nlohmann::json& meta = trace_.metadata.contains("files") ? trace_.metadata["files"][0] : trace_.metadata;
        for (const char* key : {"deviceProperties", "cuda_driver_version", "cuda_runtime_version", "cupti_version"})
            if (meta.is_object() && meta.contains(key)) head[key] = meta[key];
        head["displayTimeUnit"] = "ms";
        head["baseTimeNanoseconds"] = trace_.originAbsNs;
        std::string h = head.dump();
        h.pop_back();  // reopen the object for traceEvents
        o += h;
        o += ",\"traceEvents\":[\n";
        writeMetadata();
        for (uint32_t ti = 0; ti < trace_.tracks.size(); ++ti) writeTrack(ti);
        writeCounters();
        writeFlows();
        writeAnnotations();
        if (o.size() >= 2 && o[o.size() - 2] == ',') o.erase(o.size() - 2, 1);  // no trailing comma
        o += "],\"traceName\":\"gaplens export\"}\n";
        sink_.flush();
    }

private:
    int64_t pidOf(uint32_t process) const {
        const Process& p = trace_.processes[process];
        // Files after the first keep apart from the first's pids (ranks often share pids).
        return p.file ? p.pid + static_cast<int64_t>(p.file) * 10000000 : p.pid;
    }
    void appendPid(std::string& o, uint32_t process) {
        const Process& p = trace_.processes[process];
        if (!p.pidLabel.empty()) appendString(o, p.pidLabel);
        else appendInt(o, pidOf(process));
    }
    void appendTid(std::string& o, const Track& t) {
        if (!t.tidLabel.empty()) appendString(o, t.tidLabel);
        else appendInt(o, t.tid);
    }
    static void appendString(std::string& o, std::string_view s) { o += nlohmann::json(s).dump(); }
    const std::string& name(StringId id) {
        std::string& e = escaped_[id];
        if (e.empty()) e = nlohmann::json(trace_.strings.str(id)).dump();
        return e;
    }
    bool inWindow(TimeNs start, TimeNs end) const {
        if (!options_.window) return true;
        return end >= options_.window->first && start < options_.window->second;
    }

    void writeMetadata() {
        std::string& o = sink_.buf();
        for (uint32_t pi = 0; pi < trace_.processes.size(); ++pi) {
            const Process& p = trace_.processes[pi];
            auto meta = [&](const char* what, const std::string& key, const nlohmann::json& value) {
                o += "{\"ph\":\"M\",\"name\":\"";
                o += what;
                o += "\",\"pid\":";
                appendPid(o, pi);
                o += ",\"tid\":0,\"args\":{\"";
                o += key;
                o += "\":";
                o += value.dump();
                o += "}},\n";
            };
            if (!p.name.empty()) meta("process_name", "name", p.name);
            if (!p.labels.empty()) meta("process_labels", "labels", p.labels);
            meta("process_sort_index", "sort_index", p.sortIndex);
            for (uint32_t ti : p.tracks) {
                const Track& t = trace_.tracks[ti];
                for (int k = 0; k < 2; ++k) {
                    o += "{\"ph\":\"M\",\"name\":\"";
                    o += k == 0 ? "thread_name" : "thread_sort_index";
                    o += "\",\"pid\":";
                    appendPid(o, pi);
                    o += ",\"tid\":";
                    appendTid(o, t);
                    o += ",\"args\":{";
                    o += k == 0 ? "\"name\":" + nlohmann::json(t.name).dump()
                                : "\"sort_index\":" + std::to_string(t.sortIndex);
                    o += "}},\n";
                }
            }
        }
    }

    void writeTrack(uint32_t ti) {
        const Track& t = trace_.tracks[ti];
        std::string& o = sink_.buf();
        for (size_t i = 0; i < t.size(); ++i) {
            if (!inWindow(t.start[i], t.end(i))) continue;
            const bool instant = t.kind[i] == EventKind::Instant;
            o += instant ? "{\"ph\":\"i\",\"s\":\"t\",\"cat\":" : "{\"ph\":\"X\",\"cat\":";
            o += name(t.category[i]);
            o += ",\"name\":";
            o += name(t.nameId[i]);
            o += ",\"pid\":";
            appendPid(o, t.process);
            o += ",\"tid\":";
            appendTid(o, t);
            o += ",\"ts\":";
            appendMicros(o, t.start[i]);
            if (!instant) {
                o += ",\"dur\":";
                appendMicros(o, t.dur[i]);
            }
            writeArgs(t, i);
            o += "},\n";
            sink_.maybeFlush();
        }
    }

    void writeArgs(const Track& t, size_t i) {
        std::string& o = sink_.buf();
        const std::string_view args = trace_.argTexts.str(t.args[i]);
        const bool gpu = t.isGpu() && isGpuWork(t.kind[i]);
        const bool hasQueued = !t.queued.empty() && (t.queued[i] || t.submitted[i]);
        if (args.empty() && t.correlation[i] == 0 && !gpu) return;
        o += ",\"args\":{";
        bool first = true;
        auto sep = [&] {
            if (!first) o += ',';
            first = false;
        };
        if (args.size() > 2) {  // "{...}" without its braces
            o.append(args.substr(1, args.size() - 2));
            first = false;
        }
        if (t.correlation[i] != 0) {
            sep();
            o += "\"correlation\":";
            appendInt(o, t.correlation[i]);
        }
        if (gpu && args.find("\"device\"") == std::string_view::npos) {
            sep();
            o += "\"device\":";
            appendInt(o, t.device);
            o += ",\"stream\":";
            appendInt(o, t.tid);
        }
        if (hasQueued) {  // absolute ns, as CUPTI gives them
            sep();
            o += "\"queued\":";
            appendInt(o, t.queued[i] ? t.queued[i] + trace_.originAbsNs : 0);
            o += ",\"submitted\":";
            appendInt(o, t.submitted[i] ? t.submitted[i] + trace_.originAbsNs : 0);
        }
        o += '}';
    }

    void writeCounters() {
        std::string& o = sink_.buf();
        for (const CounterSeries& c : trace_.counters)
            for (size_t i = 0; i < c.time.size(); ++i) {
                if (!inWindow(c.time[i], c.time[i])) continue;
                o += "{\"ph\":\"C\",\"name\":";
                appendString(o, c.name);
                o += ",\"pid\":";
                appendPid(o, c.process);
                o += ",\"tid\":0,\"ts\":";
                appendMicros(o, c.time[i]);
                o += ",\"args\":{\"value\":";
                o += nlohmann::json(c.value[i]).dump();
                o += "}},\n";
                sink_.maybeFlush();
            }
    }

    void flowPoint(char ph, const Track& t, TimeNs ts, uint64_t id, std::string_view cat, std::string_view nm) {
        std::string& o = sink_.buf();
        o += "{\"ph\":\"";
        o += ph;
        o += "\",\"id\":";
        appendInt(o, static_cast<int64_t>(id & 0x1FFFFFFFFFFFFFull));  // JSON-safe integer
        o += ",\"pid\":";
        appendPid(o, t.process);
        o += ",\"tid\":";
        appendTid(o, t);
        o += ",\"ts\":";
        appendMicros(o, ts);
        o += ",\"cat\":";
        appendString(o, cat);
        o += ",\"name\":";
        appendString(o, nm);
        if (ph == 'f') o += ",\"bp\":\"e\"";
        o += "},\n";
    }

    void writeFlows() {
        // Launch links: one arrow from the API call to the GPU activity it launched.
        for (uint32_t ti = 0; ti < trace_.tracks.size(); ++ti) {
            const Track& t = trace_.tracks[ti];
            if (!t.isGpu()) continue;
            for (uint32_t i = 0; i < t.size(); ++i) {
                const EventRef from = t.link[i];
                if (!from.valid() || !isGpuWork(t.kind[i])) continue;
                const Track& ft = trace_.tracks[from.track];
                if (!inWindow(t.start[i], t.end(i)) || !inWindow(ft.start[from.index], ft.end(from.index))) continue;
                const uint64_t id = static_cast<uint64_t>(t.correlation[i]);
                flowPoint('s', ft, ft.start[from.index], id, "ac2g", "ac2g");
                flowPoint('f', t, t.start[i], id, "ac2g", "ac2g");
                sink_.maybeFlush();
            }
        }
        for (const Flow& f : trace_.flows) {
            const Track& a = trace_.tracks[f.from.track];
            const Track& b = trace_.tracks[f.to.track];
            if (!inWindow(a.start[f.from.index], a.end(f.from.index)) || !inWindow(b.start[f.to.index], b.end(f.to.index)))
                continue;
            flowPoint('s', a, a.start[f.from.index], f.id, trace_.strings.str(f.category), trace_.strings.str(f.name));
            flowPoint('f', b, b.start[f.to.index], f.id, trace_.strings.str(f.category), trace_.strings.str(f.name));
        }
    }

    void writeAnnotations() {
        if (options_.annotations.empty()) return;
        std::string& o = sink_.buf();
        o += "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + std::to_string(kFindingsPid) +
             ",\"tid\":0,\"args\":{\"name\":\"gaplens findings\"}},\n";
        o += "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":" + std::to_string(kFindingsPid) +
             ",\"tid\":0,\"args\":{\"sort_index\":-1}},\n";
        for (size_t k = 0; k < options_.annotations.size(); ++k) {
            const AnnotationTrack& a = options_.annotations[k];
            const std::string tid = std::to_string(k + 1);
            o += "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + std::to_string(kFindingsPid) + ",\"tid\":" + tid +
                 ",\"args\":{\"name\":" + nlohmann::json(a.name).dump() + "}},\n";
            for (const AnnotationTrack::Item& item : a.items) {
                if (!inWindow(item.start, item.start + item.dur)) continue;
                o += "{\"ph\":\"X\",\"cat\":\"gaplens_finding\",\"name\":" + nlohmann::json(item.name).dump() +
                     ",\"pid\":" + std::to_string(kFindingsPid) + ",\"tid\":" + tid + ",\"ts\":";
                appendMicros(o, item.start);
                o += ",\"dur\":";
                appendMicros(o, item.dur);
                if (!item.args.empty()) o += ",\"args\":" + item.args.dump();
                o += "},\n";
            }
            sink_.maybeFlush();
        }
    }

    const Trace& trace_;
    const ExportOptions& options_;
    JsonSink& sink_;
    std::vector<std::string> escaped_;
};

}  // namespace

std::string exportPerfettoJson(const Trace& trace, const std::string& path, const ExportOptions& options) {
    OutputFile out = OutputFile::forPath(path);
    if (!out.ok()) return out.error();
    JsonSink sink(&out);
    Writer(trace, options, sink).write();
    out.commit();
    return out.error();
}

std::string perfettoJsonString(const Trace& trace, const ExportOptions& options) {
    JsonSink sink(nullptr);
    Writer(trace, options, sink).write();
    return std::move(sink.buf());
}

}  // namespace gaplens
