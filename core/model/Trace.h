#pragma once
// The trace model: processes own tracks (one CPU thread or one GPU stream each); a track stores its
// events column-wise, sorted by start. Times are int64 ns since the trace origin; `originAbsNs`
// keeps the absolute time of t=0 (ns since the epoch where the source says so) so that several
// files line up on one timeline.
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/EventKind.h"
#include "core/model/StringTable.h"

namespace gaplens {

using TimeNs = int64_t;

// Names one event: its track and its index in that track's (sorted) columns.
struct EventRef {
    static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
    uint32_t track = kNone;
    uint32_t index = kNone;
    bool valid() const { return track != kNone; }
    friend bool operator==(const EventRef&, const EventRef&) = default;
};

enum class TrackKind : uint8_t {
    CpuThread,  // a host thread: ops, API calls, user ranges, stacked by depth
    GpuStream,  // one stream of one device: kernels, copies, memsets
    Overhead,   // profiler overhead events that the source places on no thread (Kineto pid -1)
    Other,      // anything else (Kineto's "Spans" etc.)
};

struct Track {
    TrackKind trackKind = TrackKind::CpuThread;
    uint32_t process = 0;        // index into Trace::processes
    int64_t tid = 0;             // thread id, or stream id for GPU streams
    std::string tidLabel;        // the source's tid when it was not a number
    std::string name;            // thread name from metadata, or "stream 7"
    int32_t device = -1;         // GPU device index for GPU streams
    int32_t sortIndex = 0;

    // Event columns (same length, sorted by start, ties: longer first so parents precede children).
    std::vector<TimeNs> start;
    std::vector<TimeNs> dur;
    std::vector<StringId> nameId;       // event name (Trace::strings)
    std::vector<StringId> category;     // source category (Trace::strings)
    std::vector<EventKind> kind;
    std::vector<uint16_t> depth;        // nesting depth, computed at finalize
    std::vector<uint32_t> parent;       // index of the enclosing event on this track, or kNone
    std::vector<int64_t> correlation;   // launch <-> GPU activity id, 0 = none
    std::vector<StringId> args;         // compact JSON object text (Trace::argTexts), 0 = none
    std::vector<EventRef> link;         // launch call <-> GPU activity, filled by finalize
    // GPU tracks only (empty elsewhere): CUPTI latency timestamps of each activity, 0 = unknown.
    // queued: the launch entered the stream's queue; submitted: it was handed to the GPU.
    std::vector<TimeNs> queued;
    std::vector<TimeNs> submitted;

    size_t size() const { return start.size(); }
    bool empty() const { return start.empty(); }
    TimeNs end(size_t i) const { return start[i] + dur[i]; }
    bool isGpu() const { return trackKind == TrackKind::GpuStream; }
    size_t memoryBytes() const;
};

struct Process {
    int64_t pid = 0;
    std::string pidLabel;   // the source's pid when it was not a number ("Spans")
    std::string name;       // process_name metadata
    std::string labels;     // process_labels metadata (Kineto: "CPU", "GPU 0")
    uint32_t file = 0;      // which input file it came from (ranks, runs)
    int32_t sortIndex = 0;
    std::vector<uint32_t> tracks;
};

// A counter series (ph C): one value over time.
struct CounterSeries {
    uint32_t process = 0;
    std::string name;
    std::vector<TimeNs> time;
    std::vector<double> value;
};

// A flow arrow that is not a launch link (e.g. forward -> backward).
struct Flow {
    EventRef from;
    EventRef to;
    uint64_t id = 0;
    StringId category = 0;
    StringId name = 0;
};

struct Trace {
    StringTable strings;    // event names and categories
    StringTable argTexts;   // args objects as compact JSON text, shared by identical args
    std::vector<Process> processes;
    std::vector<Track> tracks;
    std::vector<CounterSeries> counters;
    std::vector<Flow> flows;
    std::vector<std::string> sourcePaths;
    nlohmann::json metadata = nlohmann::json::object();  // top-level keys of the source (deviceProperties, ...)
    TimeNs originAbsNs = 0;  // absolute time of t=0

    // ---- building ----
    uint32_t addProcess(int64_t pid, std::string name, uint32_t file = 0);
    uint32_t addTrack(uint32_t process, TrackKind kind, int64_t tid, std::string name, int32_t device = -1);
    // Appends an event to a track (any order; finalize sorts). Times may be absolute here.
    void addEvent(uint32_t track, TimeNs start, TimeNs dur, StringId name, StringId category,
                  EventKind kind, int64_t correlation = 0, StringId args = 0);
    // Latency timestamps of the last event added to a GPU track (absolute like its start).
    void setLatencyTimes(uint32_t track, TimeNs queued, TimeNs submitted);
    // Display name of a process: "python3 (GPU 0)".
    std::string processLabel(uint32_t process) const;
    // Sorts every track, rebases times so the earliest event is t=0 (adding the shift to
    // originAbsNs, unless rebase is false), computes depth/parent and resolves launch links.
    void finalize(bool rebase = true);
    // The same, with the tracks spread over `threads` threads (an importer that has them).
    void finalize(bool rebase, unsigned threads);
    // Rebuilds launch links from correlation ids (finalize does it; call again after changing ids).
    void resolveLinks();

    // ---- reading ----
    size_t eventCount() const;
    TimeNs beginNs() const { return begin_; }  // recorded window: first event start
    TimeNs endNs() const { return end_; }      // ... last event end
    std::string_view name(EventRef e) const { return strings.str(tracks[e.track].nameId[e.index]); }
    TimeNs start(EventRef e) const { return tracks[e.track].start[e.index]; }
    TimeNs end(EventRef e) const { return tracks[e.track].end(e.index); }
    EventKind kind(EventRef e) const { return tracks[e.track].kind[e.index]; }
    // The API call that launched a GPU activity, or the (first) activity a call launched.
    EventRef linked(EventRef e) const { return tracks[e.track].link[e.index]; }
    EventRef launchOfCorrelation(int64_t correlation) const;
    // Launch calls whose correlation id an earlier call already had: their GPU work (if any) links
    // to that earlier call. A sign of a source that reuses ids; the importer warns about it.
    uint64_t sharedLaunchCorrelations() const { return sharedLaunchCorrelations_; }
    std::vector<int> devices() const;  // GPU device indices present, sorted
    size_t memoryBytes() const;

private:
    std::unordered_map<int64_t, EventRef> launchByCorrelation_;
    uint64_t sharedLaunchCorrelations_ = 0;
    TimeNs begin_ = 0;
    TimeNs end_ = 0;
};

}  // namespace gaplens
