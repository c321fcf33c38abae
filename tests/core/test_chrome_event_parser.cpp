// The event parser on its own: what each phase becomes in a chunk (ImportChunk), which args go to
// columns and which stay as text, and how malformed events are counted. Hand-made events.
#include <catch2/catch.hpp>

#include "ParseChunk.h"

using namespace gaplens;
using namespace gaplens::importer;
using gaplens::test::parseChunk;

namespace {

const LocalTrack* findTrack(const ChunkState& c, int64_t pid, int64_t tid) {
    for (const LocalTrack& t : c.tracks)
        if (t.key == TrackKey{pid, tid}) return &t;
    return nullptr;
}

}  // namespace

TEST_CASE("X events become slices with exact times, args split into columns and shared text", "[import][parser]") {
    const ChunkState c = parseChunk(R"([
      {"ph":"X","cat":"kernel","name":"gemm","pid":0,"tid":7,"ts":4775499751275.105,"dur":12.5,
       "args":{"correlation":42,"External id":9,"device":1,"stream":7,"grid":[1,2,3],"queued":1000,"submitted":2000}},
      {"ph":"X","cat":"cpu_op","name":"aten::mm","pid":1,"tid":2,"ts":10,"dur":-4,"args":{"Sequence number":3}}
    ])");
    CHECK(c.events == 2);
    CHECK(c.skipped == 0);
    REQUIRE(c.tracks.size() == 2);

    const LocalTrack* gpu = findTrack(c, 0, 7);
    REQUIRE(gpu);
    CHECK(gpu->gpuHint);
    CHECK(gpu->device == 1);
    REQUIRE(gpu->columns.size() == 1);
    CHECK(gpu->columns.start[0] == 4775499751275105);
    CHECK(gpu->columns.dur[0] == 12500);
    CHECK(gpu->columns.kind[0] == EventKind::Kernel);
    CHECK(c.strings.str(gpu->columns.nameId[0]) == "gemm");
    CHECK(c.strings.str(gpu->columns.category[0]) == "kernel");
    CHECK(gpu->columns.correlation[0] == 42);
    CHECK(gpu->columns.queued == std::vector<TimeNs>{1000});
    CHECK(gpu->columns.submitted == std::vector<TimeNs>{2000});
    // Correlation, External id, queued and submitted are per event: left out of the shared text.
    CHECK(c.argTexts.str(gpu->columns.args[0]) == R"({"device":1,"stream":7,"grid":[1,2,3]})");

    const LocalTrack* cpu = findTrack(c, 1, 2);
    REQUIRE(cpu);
    CHECK_FALSE(cpu->gpuHint);
    CHECK(cpu->columns.dur[0] == 0);  // a negative duration becomes 0
    CHECK(cpu->columns.args[0] == 0);  // only per-event args: no text
    CHECK(cpu->columns.queued.empty());  // latency columns only where there is GPU work
    CHECK(c.lastEnd == 4775499751275105 + 12500);
}

TEST_CASE("B/E halves, instants, counters, metadata and flows wait in the chunk for the merge", "[import][parser]") {
    const ChunkState c = parseChunk(R"([
      {"ph":"B","name":"outer","cat":"user_annotation","pid":1,"tid":2,"ts":10,"args":{"step":1}},
      {"ph":"E","pid":1,"tid":2,"ts":20},
      {"ph":"i","name":"mark","pid":1,"tid":2,"ts":15,"s":"t"},
      {"ph":"C","name":"mem","pid":1,"ts":11,"args":{"bytes":100}},
      {"ph":"C","name":"gpu","pid":1,"ts":12,"args":{"used":5,"free":7}},
      {"args":{"name":"trainer "},"ph":"M","name":"thread_name","pid":1,"tid":2},
      {"ph":"M","name":"process_sort_index","pid":1,"args":{"sort_index":4}},
      {"ph":"M","name":"process_uptime","pid":1,"args":{"uptime":4}},
      {"ph":"s","id":9,"pid":1,"tid":2,"ts":16,"cat":"ac2g","name":"ac2g"},
      {"ph":"f","id":"nine","pid":0,"tid":7,"ts":30,"cat":"ac2g","name":"ac2g","bp":"e"},
      {"ph":"f","id":10,"pid":0,"tid":7,"ts":31}
    ])");
    REQUIRE(c.beginEnds.size() == 2);
    CHECK(c.beginEnds[0].begin);
    CHECK(c.beginEnds[0].ts == 10000);
    CHECK(c.strings.str(c.beginEnds[0].name) == "outer");
    CHECK(c.argTexts.str(c.beginEnds[0].args) == R"({"step":1})");
    CHECK_FALSE(c.beginEnds[1].begin);
    CHECK(c.beginEnds[1].ts == 20000);

    const LocalTrack* thread = findTrack(c, 1, 2);
    REQUIRE(thread);
    REQUIRE(thread->columns.size() == 1);  // the instant; B/E become slices only in the merge
    CHECK(thread->columns.kind[0] == EventKind::Instant);
    CHECK(thread->columns.dur[0] == 0);

    // One value: the series is the event's name; several: name.key each.
    REQUIRE(c.counters.size() == 3);
    CHECK(c.counters[0].series == "mem");
    CHECK(c.counters[0].value == 100);
    CHECK(c.counters[1].series == "gpu.used");
    CHECK(c.counters[2].series == "gpu.free");

    // "args" before "ph": the event is read again once its phase is known. Unknown metadata
    // (process_uptime) is dropped.
    REQUIRE(c.metas.size() == 2);
    CHECK(c.metas[0].kind == MetaKind::ThreadName);
    CHECK(c.metas[0].text == "trainer ");  // trailing blanks go in the merge
    CHECK(c.metas[1].kind == MetaKind::ProcessSort);
    CHECK(c.metas[1].number == 4);

    REQUIRE(c.flows.size() == 3);
    CHECK(c.flows[0].phase == 's');
    CHECK(c.flows[0].bindEnclosing);  // a start always binds to the enclosing slice
    CHECK(c.flows[0].id == 9);
    CHECK(c.flows[1].id == uint64_t(labelKey("nine")));  // string ids keep a key of their text
    CHECK(c.flows[1].bindEnclosing);   // bp "e"
    CHECK_FALSE(c.flows[2].bindEnclosing);  // an end without bp binds to the next slice
    // Events kept: B, E, i, 2 C; metadata and flows are not events.
    CHECK(c.events == 5);
}

TEST_CASE("malformed events are skipped and counted with the first reason and its byte", "[import][parser]") {
    const std::string text = R"([{"ph":"X","name":"ok","pid":1,"tid":1,"ts":1,"dur":1},)"
                             R"({"ph":"X","name":"late","pid":1,"tid":1,"ts":"soon"},)"
                             R"({"name":"nophase","pid":1,"tid":1,"ts":3},)"
                             R"({"ph":"X","name":"nots","pid":1,"tid":1},)"
                             R"(7,)"
                             R"({"ph":"Z","name":"odd","pid":1,"tid":1,"ts":5},)"
                             R"({"ph":"X","name":"ok2","pid":"Spans","tid":1,"ts":6,"dur":1}])";
    const ChunkState c = parseChunk(text);
    CHECK(c.events == 2);
    CHECK(c.skipped == 4);
    CHECK(c.firstSkip == "field \"ts\" has the wrong type");
    CHECK(c.firstSkipOffset == text.find(R"({"ph":"X","name":"late")"));
    CHECK(c.unknownPhases == std::map<std::string, uint64_t>{{"Z", 1}});
    // A pid given as a string: a key from its text, the text kept as a label.
    const int64_t spans = labelKey("Spans");
    CHECK(findTrack(c, spans, 1));
    CHECK(c.labels.at(spans) == "Spans");
}

TEST_CASE("a name that is not UTF-8 keeps its event, with the bad byte replaced", "[import][parser]") {
    const ChunkState c = parseChunk("[{\"ph\":\"X\",\"name\":\"caf\xE9\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1}]");
    CHECK(c.events == 1);
    CHECK(c.utf8Repaired == 1);
    REQUIRE(c.tracks.size() == 1);
    CHECK(c.strings.str(c.tracks[0].columns.nameId[0]) == "caf?");
}
