#include "core/model/Trace.h"

#include <algorithm>
#include <numeric>

#include "core/model/ParallelJobs.h"

namespace gaplens {

namespace {

template <typename T>
void permute(std::vector<T>& column, const std::vector<uint32_t>& order) {
    std::vector<T> sorted;
    sorted.reserve(column.size());
    for (uint32_t i : order) sorted.push_back(column[i]);
    column.swap(sorted);
}

template <typename T>
size_t capacityBytes(const std::vector<T>& v) { return v.capacity() * sizeof(T); }

void sortTrack(Track& t) {
    const size_t n = t.size();
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; ++i)
        sorted = t.start[i - 1] < t.start[i] || (t.start[i - 1] == t.start[i] && t.dur[i - 1] >= t.dur[i]);
    if (sorted) return;
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    // Longer first on equal starts, so an enclosing slice precedes what it encloses.
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        if (t.start[a] != t.start[b]) return t.start[a] < t.start[b];
        return t.dur[a] > t.dur[b];
    });
    permute(t.start, order);
    permute(t.dur, order);
    permute(t.nameId, order);
    permute(t.category, order);
    permute(t.kind, order);
    permute(t.correlation, order);
    permute(t.args, order);
    if (!t.queued.empty()) permute(t.queued, order);
    if (!t.submitted.empty()) permute(t.submitted, order);
}

// Depth and parent from a stack of open slices, as Perfetto's slice tracker does. A slice that
// starts inside another but ends after it (overlapping, not nesting) still gets the next depth
// below the innermost open slice: it is kept, never dropped, and no two slices of one depth overlap
// because a row is only reused once its previous slice has ended.
void computeNesting(Track& t) {
    const size_t n = t.size();
    t.depth.assign(n, 0);
    t.parent.assign(n, EventRef::kNone);
    std::vector<uint32_t> open;
    for (uint32_t i = 0; i < n; ++i) {
        if (t.kind[i] == EventKind::Instant) {
            t.depth[i] = static_cast<uint16_t>(std::min<size_t>(open.size(), 0xFFFF));
            if (!open.empty()) t.parent[i] = open.back();
            continue;
        }
        while (!open.empty() && t.end(open.back()) <= t.start[i]) open.pop_back();
        t.depth[i] = static_cast<uint16_t>(std::min<size_t>(open.size(), 0xFFFF));
        if (!open.empty()) t.parent[i] = open.back();
        open.push_back(i);
    }
}

// Runs work(track) for every track on `threads` threads, the biggest tracks first so that one big
// track started last does not leave the other threads idle.
template <typename Work>
void forEachTrack(std::vector<Track>& tracks, unsigned threads, const Work& work) {
    if (threads <= 1 || tracks.size() <= 1) {
        for (Track& t : tracks) work(t);
        return;
    }
    std::vector<uint32_t> order(tracks.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return tracks[a].size() > tracks[b].size(); });
    runJobs(order.size(), threads, [&](size_t i) { work(tracks[order[i]]); });
}

}  // namespace

size_t Track::memoryBytes() const {
    return sizeof(Track) + name.capacity() + tidLabel.capacity() + capacityBytes(start) + capacityBytes(dur) +
           capacityBytes(nameId) + capacityBytes(category) + capacityBytes(kind) + capacityBytes(depth) +
           capacityBytes(parent) + capacityBytes(correlation) + capacityBytes(args) + capacityBytes(link) +
           capacityBytes(queued) + capacityBytes(submitted);
}

uint32_t Trace::addProcess(int64_t pid, std::string processName, uint32_t file) {
    Process p;
    p.pid = pid;
    p.name = std::move(processName);
    p.file = file;
    processes.push_back(std::move(p));
    return static_cast<uint32_t>(processes.size() - 1);
}

uint32_t Trace::addTrack(uint32_t process, TrackKind kind, int64_t tid, std::string trackName, int32_t device) {
    Track t;
    t.trackKind = kind;
    t.process = process;
    t.tid = tid;
    t.name = std::move(trackName);
    t.device = device;
    tracks.push_back(std::move(t));
    const auto id = static_cast<uint32_t>(tracks.size() - 1);
    processes[process].tracks.push_back(id);
    return id;
}

void Trace::addEvent(uint32_t track, TimeNs start, TimeNs dur, StringId nameId, StringId category, EventKind kind,
                     int64_t correlation, StringId args) {
    Track& t = tracks[track];
    t.start.push_back(start);
    t.dur.push_back(dur < 0 ? 0 : dur);
    t.nameId.push_back(nameId);
    t.category.push_back(category);
    t.kind.push_back(kind);
    t.correlation.push_back(correlation);
    t.args.push_back(args);
    if (!t.queued.empty()) {  // keep the latency columns aligned once a track has them
        t.queued.push_back(0);
        t.submitted.push_back(0);
    }
}

void Trace::setLatencyTimes(uint32_t track, TimeNs queuedAt, TimeNs submittedAt) {
    Track& t = tracks[track];
    if (t.empty() || (queuedAt == 0 && submittedAt == 0)) return;
    if (t.queued.empty()) {
        t.queued.assign(t.size(), 0);
        t.submitted.assign(t.size(), 0);
    }
    t.queued.back() = queuedAt;
    t.submitted.back() = submittedAt;
}

std::string Trace::processLabel(uint32_t process) const {
    const Process& p = processes[process];
    std::string label = p.name.empty() ? (p.pidLabel.empty() ? "pid " + std::to_string(p.pid) : p.pidLabel) : p.name;
    if (!p.labels.empty() && p.labels != label) label += " (" + p.labels + ")";
    return label;
}

void Trace::finalize(bool rebase) { finalize(rebase, 1); }

void Trace::finalize(bool rebase, unsigned threads) {
    // Tracks are sorted and nested independently: spread over the threads.
    forEachTrack(tracks, threads, [](Track& t) { sortTrack(t); });
    TimeNs lo = std::numeric_limits<TimeNs>::max(), hi = std::numeric_limits<TimeNs>::min();
    for (const Track& t : tracks) {
        for (size_t i = 0; i < t.size(); ++i) {
            lo = std::min(lo, t.start[i]);
            hi = std::max(hi, t.end(i));
        }
    }
    for (const CounterSeries& c : counters)
        for (TimeNs x : c.time) {
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
    if (lo > hi) lo = hi = 0;
    const bool shift = rebase && lo != 0;
    if (shift) {
        for (CounterSeries& c : counters)
            for (TimeNs& x : c.time) x -= lo;
        originAbsNs += lo;
    }
    forEachTrack(tracks, threads, [&](Track& t) {
        if (shift) {
            for (TimeNs& s : t.start) s -= lo;
            for (TimeNs& q : t.queued) if (q != 0) q -= lo;
            for (TimeNs& q : t.submitted) if (q != 0) q -= lo;
        }
        computeNesting(t);
    });
    if (shift) {
        hi -= lo;
        lo = 0;
    }
    begin_ = lo;
    end_ = hi;
    resolveLinks();
}

void Trace::resolveLinks() {
    for (Track& t : tracks) t.link.assign(t.size(), EventRef{});
    // Launch links: the API call and the GPU activity share a correlation id.
    launchByCorrelation_.clear();
    size_t launches = 0;  // sized once: no rehashing while it fills
    for (const Track& t : tracks)
        for (uint32_t i = 0; i < t.size(); ++i) launches += t.correlation[i] != 0 && isApiCall(t.kind[i]);
    launchByCorrelation_.reserve(launches);
    sharedLaunchCorrelations_ = 0;
    for (uint32_t ti = 0; ti < tracks.size(); ++ti) {
        const Track& t = tracks[ti];
        for (uint32_t i = 0; i < t.size(); ++i)
            if (t.correlation[i] != 0 && isApiCall(t.kind[i]))
                sharedLaunchCorrelations_ += !launchByCorrelation_.emplace(t.correlation[i], EventRef{ti, i}).second;
    }
    for (uint32_t ti = 0; ti < tracks.size(); ++ti) {
        Track& t = tracks[ti];
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (t.correlation[i] == 0 || !isGpuWork(t.kind[i])) continue;
            auto it = launchByCorrelation_.find(t.correlation[i]);
            if (it == launchByCorrelation_.end()) continue;
            t.link[i] = it->second;
            EventRef& back = tracks[it->second.track].link[it->second.index];
            if (!back.valid()) back = EventRef{ti, i};
        }
    }
}

size_t Trace::eventCount() const {
    size_t n = 0;
    for (const Track& t : tracks) n += t.size();
    return n;
}

EventRef Trace::launchOfCorrelation(int64_t correlation) const {
    auto it = launchByCorrelation_.find(correlation);
    return it == launchByCorrelation_.end() ? EventRef{} : it->second;
}

std::vector<int> Trace::devices() const {
    std::vector<int> out;
    for (const Track& t : tracks)
        if (t.isGpu() && std::find(out.begin(), out.end(), t.device) == out.end()) out.push_back(t.device);
    std::sort(out.begin(), out.end());
    return out;
}

size_t Trace::memoryBytes() const {
    size_t n = sizeof(Trace) + strings.memoryBytes() + argTexts.memoryBytes();
    for (const Track& t : tracks) n += t.memoryBytes();
    for (const CounterSeries& c : counters) n += capacityBytes(c.time) + capacityBytes(c.value) + sizeof(c);
    n += capacityBytes(flows) + capacityBytes(processes);
    n += launchByCorrelation_.size() * (sizeof(int64_t) + sizeof(EventRef) + 2 * sizeof(void*)) +
         launchByCorrelation_.bucket_count() * sizeof(void*);
    return n;
}

}  // namespace gaplens
