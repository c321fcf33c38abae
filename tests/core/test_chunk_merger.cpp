// The merge of chunks into the trace: string ids mapped to the trace's, B/E halves paired across
// chunks, metadata applied, counters joined, columns assembled with the file's correlation offset.
// Chunks are parsed from hand-made events, split where a batch boundary could fall.
#include <catch2/catch.hpp>

#include "core/io/ChunkMerger.h"
#include "ParseChunk.h"

using namespace gaplens;
using namespace gaplens::importer;
using gaplens::test::parseChunk;

namespace {

// Merges the chunks (in this order) as file `fileIndex` and assembles the columns.
struct Merged {
    Trace trace;
    FileContext file;
    uint64_t unmatchedEnds = 0, closed = 0;
    std::vector<uint32_t> gpuTracks;

    Merged(std::vector<std::string> chunks, uint32_t fileIndex = 0, TimeNs lastTs = 0) {
        file.fileIndex = fileIndex;
        file.correlationOffset = int64_t(fileIndex) << 40;
        ChunkMerger merger(trace, file);
        for (const std::string& text : chunks) {
            ChunkState c = parseChunk(text);
            merger.merge(c);
        }
        closed = merger.closeOpenBegins(lastTs);
        bool ranAlongside = false;
        merger.assemble(2, [&] { ranAlongside = true; });
        CHECK(ranAlongside);
        unmatchedEnds = merger.unmatchedEnds;
        gpuTracks = merger.gpuTracks;
    }
    const Track& track(int64_t pid, int64_t tid) const { return trace.tracks.at(file.trackByKey.at({pid, tid})); }
    std::string_view name(const Track& t, size_t i) const { return trace.strings.str(t.nameId[i]); }
};

}  // namespace

TEST_CASE("chunks interned apart share the trace's string ids", "[import][merger]") {
    // Each chunk numbers its strings in its own order.
    const Merged m({R"([{"ph":"X","name":"a","cat":"cpu_op","pid":1,"tid":1,"ts":1,"dur":1,"args":{"x":1}}])",
                    R"([{"ph":"X","name":"b","cat":"cpu_op","pid":1,"tid":1,"ts":3,"dur":1,"args":{"x":2}},
                        {"ph":"X","name":"a","cat":"cpu_op","pid":1,"tid":1,"ts":5,"dur":1,"args":{"x":1}}])"});
    const Track& t = m.track(1, 1);
    REQUIRE(t.size() == 3);
    CHECK(m.name(t, 0) == "a");
    CHECK(m.name(t, 1) == "b");
    CHECK(m.name(t, 2) == "a");
    CHECK(t.nameId[0] == t.nameId[2]);
    CHECK(t.args[0] == t.args[2]);  // identical args text stored once
    CHECK(m.trace.argTexts.str(t.args[1]) == R"({"x":2})");
    CHECK(t.start == std::vector<TimeNs>{1000, 3000, 5000});
}

TEST_CASE("B and E pair across chunks, an E alone is counted, a B left open closes at the end", "[import][merger]") {
    const Merged m({R"([{"ph":"B","name":"step","pid":1,"tid":1,"ts":10},
                        {"ph":"E","pid":1,"tid":9,"ts":11}])",
                    R"([{"ph":"B","name":"inner","pid":1,"tid":1,"ts":12},
                        {"ph":"E","pid":1,"tid":1,"ts":14,"args":{"rows":3}}])",
                    R"([{"ph":"E","pid":1,"tid":1,"ts":20},
                        {"ph":"B","name":"open","pid":1,"tid":1,"ts":25}])"},
                   0, /*lastTs=*/30000);
    CHECK(m.unmatchedEnds == 1);  // the E on tid 9
    CHECK(m.closed == 1);         // "open"
    const Track& t = m.track(1, 1);
    REQUIRE(t.size() == 3);
    // In the order their E came (finalize sorts): inner, step, then open closed at 30 µs.
    CHECK(m.name(t, 0) == "inner");
    CHECK(t.dur[0] == 2000);
    CHECK(m.trace.argTexts.str(t.args[0]) == R"({"rows":3})");  // B had none: the E's args
    CHECK(m.name(t, 1) == "step");
    CHECK(t.start[1] == 10000);
    CHECK(t.dur[1] == 10000);
    CHECK(m.name(t, 2) == "open");
    CHECK(t.dur[2] == 5000);
}

TEST_CASE("metadata names processes and threads, trailing blanks dropped, labels kept", "[import][merger]") {
    const Merged m({R"([{"ph":"M","name":"process_name","pid":3,"args":{"name":"python3"}},
                        {"ph":"M","name":"process_labels","pid":3,"args":{"labels":"GPU 3"}},
                        {"ph":"M","name":"thread_name","pid":3,"tid":7,"args":{"name":"stream 7 "}},
                        {"ph":"M","name":"thread_sort_index","pid":3,"tid":7,"args":{"sort_index":2}}])",
                    R"([{"ph":"X","name":"k","cat":"kernel","pid":3,"tid":7,"ts":1,"dur":1,"args":{"device":3}},
                        {"ph":"X","name":"span","pid":"Spans","tid":"PyTorch Profiler","ts":1,"dur":1}])"});
    const Track& t = m.track(3, 7);
    CHECK(t.name == "stream 7");
    CHECK(t.sortIndex == 2);
    CHECK(t.device == 3);
    const Process& p = m.trace.processes[t.process];
    CHECK(p.name == "python3");
    CHECK(p.labels == "GPU 3");
    REQUIRE(m.gpuTracks.size() == 1);
    CHECK(m.gpuTracks[0] == m.file.trackByKey.at({3, 7}));
    const Track& spans = m.track(labelKey("Spans"), labelKey("PyTorch Profiler"));
    CHECK(m.trace.processes[spans.process].pidLabel == "Spans");
    CHECK(spans.tidLabel == "PyTorch Profiler");
}

TEST_CASE("counter samples join one series per process and name, in file order", "[import][merger]") {
    const Merged m({R"([{"ph":"C","name":"mem","pid":1,"ts":1,"args":{"bytes":10}},
                        {"ph":"C","name":"mem","pid":2,"ts":1,"args":{"bytes":99}}])",
                    R"([{"ph":"C","name":"mem","pid":1,"ts":2,"args":{"bytes":20}}])"});
    REQUIRE(m.trace.counters.size() == 2);
    const CounterSeries& one = m.trace.counters[0];
    CHECK(m.trace.processes[one.process].pid == 1);
    CHECK(one.name == "mem");
    CHECK(one.time == std::vector<TimeNs>{1000, 2000});
    CHECK(one.value == std::vector<double>{10, 20});
    CHECK(m.trace.counters[1].value == std::vector<double>{99});
}

TEST_CASE("correlation ids of a later file are offset, GPU latency columns stay aligned", "[import][merger]") {
    // The stream's second chunk holds only a CPU-side instant: its latency columns are zeros there.
    const Merged m({R"([{"ph":"X","name":"k","cat":"kernel","pid":0,"tid":7,"ts":1,"dur":1,
                         "args":{"correlation":5,"queued":900}}])",
                    R"([{"ph":"i","name":"mark","pid":0,"tid":7,"ts":3},
                        {"ph":"X","name":"k","cat":"kernel","pid":0,"tid":7,"ts":4,"dur":1,"args":{"correlation":6}}])"},
                   /*fileIndex=*/2);
    const Track& t = m.track(0, 7);
    REQUIRE(t.size() == 3);
    CHECK(t.correlation == std::vector<int64_t>{5 + (int64_t(2) << 40), 0, 6 + (int64_t(2) << 40)});
    CHECK(t.queued == std::vector<TimeNs>{900, 0, 0});
    CHECK(t.submitted.size() == 3);
    CHECK(m.trace.processes[t.process].file == 2);
}

TEST_CASE("processes and tracks come in the order the file names them, however it is cut into chunks", "[import][merger]") {
    // Thread 2 is named (metadata) and process 5 counted before thread 1's first slice; thread 3
    // first appears with a B.
    const std::vector<std::string> events = {
        R"({"ph":"M","name":"thread_name","pid":1,"tid":2,"args":{"name":"loader"}})",
        R"({"ph":"C","name":"mem","pid":5,"ts":1,"args":{"bytes":1}})",
        R"({"ph":"X","name":"a","pid":1,"tid":1,"ts":2,"dur":1})",
        R"({"ph":"B","name":"b","pid":1,"tid":3,"ts":3})",
        R"({"ph":"X","name":"c","pid":1,"tid":2,"ts":4,"dur":1})",
        R"({"ph":"E","pid":1,"tid":3,"ts":5})"};
    auto order = [](const Merged& m) {
        std::vector<std::pair<int64_t, int64_t>> out;
        for (const Track& t : m.trace.tracks) out.push_back({m.trace.processes[t.process].pid, t.tid});
        std::vector<int64_t> pids;
        for (const Process& p : m.trace.processes) pids.push_back(p.pid);
        return std::make_pair(out, pids);
    };
    std::string all = "[";
    for (const std::string& e : events) all += (all.size() > 1 ? "," : "") + e;
    const auto whole = order(Merged({all + "]"}));
    CHECK(whole.first == std::vector<std::pair<int64_t, int64_t>>{{1, 2}, {1, 1}, {1, 3}});
    CHECK(whole.second == std::vector<int64_t>{1, 5});
    // One chunk per event, and two chunks cut after the counter: the same order.
    std::vector<std::string> single;
    for (const std::string& e : events) single.push_back("[" + e + "]");
    CHECK(order(Merged(single)) == whole);
    CHECK(order(Merged({"[" + events[0] + "," + events[1] + "]",
                        "[" + events[2] + "," + events[3] + "," + events[4] + "," + events[5] + "]"})) == whole);
}
