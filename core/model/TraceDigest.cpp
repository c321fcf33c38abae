#include "core/model/TraceDigest.h"

#include <cstdio>
#include <type_traits>

namespace gaplens {

namespace {

class Fnv {
public:
    void bytes(const void* p, size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        for (size_t i = 0; i < n; ++i) h_ = (h_ ^ b[i]) * 1099511628211ull;
    }
    template <typename T>
    void value(T v) {
        static_assert(std::is_arithmetic_v<T> || std::is_enum_v<T>);
        bytes(&v, sizeof v);
    }
    // Length first: "ab","c" and "a","bc" differ.
    void text(std::string_view s) {
        value<uint64_t>(s.size());
        bytes(s.data(), s.size());
    }
    template <typename T>
    void column(const std::vector<T>& v) {
        value<uint64_t>(v.size());
        for (const T& x : v) value(x);
    }
    void column(const std::vector<EventRef>& v) {
        value<uint64_t>(v.size());
        for (const EventRef& e : v) {
            value(e.track);
            value(e.index);
        }
    }
    uint64_t get() const { return h_; }

private:
    uint64_t h_ = 14695981039346656037ull;
};

}  // namespace

std::string TraceDigest::text() const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "whole %016llx (strings %016llx, structure %016llx, columns %016llx, extras %016llx)",
                  (unsigned long long)whole, (unsigned long long)strings, (unsigned long long)structure,
                  (unsigned long long)columns, (unsigned long long)extras);
    return buf;
}

TraceDigest digestOf(const Trace& trace) {
    TraceDigest d;
    {
        Fnv h;
        for (const StringTable* table : {&trace.strings, &trace.argTexts}) {
            h.value<uint64_t>(table->size());
            for (StringId i = 0; i < table->size(); ++i) h.text(table->str(i));
        }
        d.strings = h.get();
    }
    {
        Fnv h;
        h.value(trace.originAbsNs);
        h.value(trace.beginNs());
        h.value(trace.endNs());
        h.value<uint64_t>(trace.sharedLaunchCorrelations());
        h.value<uint64_t>(trace.processes.size());
        for (const Process& p : trace.processes) {
            h.value(p.pid);
            h.text(p.pidLabel);
            h.text(p.name);
            h.text(p.labels);
            h.value(p.file);
            h.value(p.sortIndex);
            h.column(p.tracks);
        }
        h.value<uint64_t>(trace.tracks.size());
        for (const Track& t : trace.tracks) {
            h.value(t.trackKind);
            h.value(t.process);
            h.value(t.tid);
            h.text(t.tidLabel);
            h.text(t.name);
            h.value(t.device);
            h.value(t.sortIndex);
        }
        d.structure = h.get();
    }
    {
        Fnv h;
        for (const Track& t : trace.tracks) {
            h.column(t.start);
            h.column(t.dur);
            h.column(t.nameId);
            h.column(t.category);
            h.column(t.kind);
            h.column(t.depth);
            h.column(t.parent);
            h.column(t.correlation);
            h.column(t.args);
            h.column(t.link);
            h.column(t.queued);
            h.column(t.submitted);
        }
        d.columns = h.get();
    }
    {
        Fnv h;
        h.value<uint64_t>(trace.counters.size());
        for (const CounterSeries& c : trace.counters) {
            h.value(c.process);
            h.text(c.name);
            h.column(c.time);
            h.column(c.value);
        }
        h.value<uint64_t>(trace.flows.size());
        for (const Flow& f : trace.flows) {
            h.value(f.from.track);
            h.value(f.from.index);
            h.value(f.to.track);
            h.value(f.to.index);
            h.value(f.id);
            h.value(f.category);
            h.value(f.name);
        }
        h.value<uint64_t>(trace.sourcePaths.size());
        for (const std::string& s : trace.sourcePaths) h.text(s);
        h.text(trace.metadata.dump());
        d.extras = h.get();
    }
    Fnv h;
    for (uint64_t part : {d.strings, d.structure, d.columns, d.extras}) h.value(part);
    d.whole = h.get();
    return d;
}

}  // namespace gaplens
