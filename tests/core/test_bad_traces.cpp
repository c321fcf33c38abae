// The corpus of bad traces in tests/data/bad (and the fuzzers' corpus in tests/fuzz/corpus): each
// imports to the exact partial result a user would expect, with a one-line warning or error, and
// nothing ever crashes. Expected numbers were worked out by hand from the files (tests/data/bad/README.md).
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <csignal>
#include <filesystem>

#include <zlib.h>

#include "core/io/ChromeTraceImporter.h"
#include "core/io/PerfettoJsonExporter.h"
#include "TestSupport.h"

using namespace gaplens;
using namespace gaplens::test;

namespace {

struct Imported {
    Trace trace;
    ImportResult result;
};

Imported importBad(const std::string& name, ImportOptions options = {}) {
    Imported out;
    out.result = importChromeTrace(dataPath("bad/" + name), out.trace, 0, options);
    return out;
}

// Names of a track's events, in time order.
std::vector<std::string> names(const Trace& t, uint32_t track) {
    std::vector<std::string> out;
    for (StringId id : t.tracks[track].nameId) out.emplace_back(t.strings.str(id));
    return out;
}

// The warnings without the file name in front.
std::vector<std::string> warnings(const ImportResult& r, const std::string& name) {
    std::vector<std::string> out;
    const std::string prefix = dataPath("bad/" + name) + ": ";
    for (const std::string& w : r.warnings) out.push_back(w.rfind(prefix, 0) == 0 ? w.substr(prefix.size()) : w);
    return out;
}

std::string gzipped(const std::string& text, int level = 6) {
    std::string gz(compressBound(static_cast<uLong>(text.size())) + 64, '\0');
    z_stream zs{};
    deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(gz.data());
    zs.avail_out = static_cast<uInt>(gz.size());
    deflate(&zs, Z_FINISH);
    gz.resize(zs.total_out);
    deflateEnd(&zs);
    return gz;
}

}  // namespace

TEST_CASE("events with fields of the wrong type are skipped and counted", "[import][bad]") {
    const auto [t, r] = importBad("wrong_types.json");
    REQUIRE(r.ok);
    // 13 elements: ok, args_array (args that are not an object are ignored) and dur_string (a
    // quoted number is read) are kept; the other 10 are not events gaplens can place.
    CHECK(t.eventCount() == 3);
    CHECK(r.eventsRead == 3);
    CHECK(r.eventsSkipped == 10);
    CHECK(warnings(r, "wrong_types.json") ==
          std::vector<std::string>{"skipped 10 malformed events (first: field \"ts\" has the wrong type at byte 84)"});
    CHECK(names(t, 0) == std::vector<std::string>{"ok", "args_array", "dur_string"});
    CHECK(t.tracks[0].dur[2] == 5000);
}

TEST_CASE("NaN, infinite, huge and negative numbers", "[import][bad]") {
    const auto [t, r] = importBad("bad_numbers.json");
    REQUIRE(r.ok);
    // NaN and Infinity are not JSON; 1e300 µs, 1e23 µs and 9223372036854775 µs do not fit int64 ns;
    // a pid of 1e30 fits no id. A negative ts is kept (times are relative), a negative dur is 0.
    CHECK(r.eventsSkipped == 6);
    CHECK(warnings(r, "bad_numbers.json") ==
          std::vector<std::string>{"skipped 6 malformed events (first: field \"ts\" has the wrong type at byte 17)"});
    REQUIRE(t.tracks.size() == 1);
    CHECK(names(t, 0) == std::vector<std::string>{"negative_ts", "negative_dur", "exp_ts", "quoted_ts"});
    CHECK(t.originAbsNs == -5500);
    CHECK(t.tracks[0].start == std::vector<TimeNs>{0, 105500, 155500, 206000});
    CHECK(t.tracks[0].dur == std::vector<TimeNs>{2000, 0, 10000, 1000});
}

TEST_CASE("correlation ids used twice link the first launch only", "[import][bad]") {
    const auto [t, r] = importBad("colliding_ids.json");
    REQUIRE(r.ok);
    CHECK(warnings(r, "colliding_ids.json") ==
          std::vector<std::string>{"1 launch call reuses the correlation id of an earlier call; GPU work with that id "
                                   "links to the earlier one"});
    CHECK(t.sharedLaunchCorrelations() == 1);
    CHECK(t.eventCount() == 4);
    const EventRef k1 = findEvent(t, "k1"), k2 = findEvent(t, "k2");
    const EventRef first = findEvent(t, "cudaLaunchKernel"), second = findEvent(t, "cudaLaunchKernel", 1);
    CHECK(t.linked(k1) == first);
    CHECK(t.linked(k2) == first);
    CHECK(t.linked(first) == k1);
    CHECK_FALSE(t.linked(second).valid());
    // Two flow starts with id 3 and one end: the later start pairs with the end.
    REQUIRE(t.flows.size() == 1);
    CHECK(t.flows[0].from == second);
}

TEST_CASE("flows without an end, a start or an id", "[import][bad]") {
    const auto [t, r] = importBad("flows_without_ends.json");
    REQUIRE(r.ok);
    CHECK(t.eventCount() == 2);
    CHECK(t.flows.empty());
    CHECK(r.eventsSkipped == 1);
    CHECK(warnings(r, "flows_without_ends.json") ==
          std::vector<std::string>{"skipped 1 malformed event (first: flow event without \"ts\" or \"id\" at byte 543)"});
}

TEST_CASE("unmatched B and E events", "[import][bad]") {
    const auto [t, r] = importBad("unmatched_begin_end.json");
    REQUIRE(r.ok);
    CHECK(warnings(r, "unmatched_begin_end.json") ==
          std::vector<std::string>{"ignored 1 'E' events with no matching 'B'",
                                   "closed 1 'B' events left open at the end of the trace"});
    CHECK(names(t, 0) == std::vector<std::string>{"outer", "inner", "last"});
    // "outer" never ends: it is closed at the end of the file's last event (50 µs).
    CHECK(t.tracks[0].dur == std::vector<TimeNs>{40000, 2000, 10000});
    CHECK(t.tracks[0].depth == std::vector<uint16_t>{0, 1, 1});
}

TEST_CASE("duplicate and malformed metadata: the last good one wins", "[import][bad]") {
    const auto [t, r] = importBad("duplicate_metadata.json");
    REQUIRE(r.ok);
    CHECK(r.warnings.empty());
    REQUIRE(t.processes.size() == 1);
    CHECK(t.processes[0].name == "second");
    CHECK(t.processes[0].sortIndex == 0);  // sort_index "x" is not a number
    CHECK(t.tracks[0].name == "t-two");    // a thread_name of 5 is not a name
    // A second "traceEvents" member is not read as events.
    CHECK(t.eventCount() == 1);
}

TEST_CASE("names that are not UTF-8 keep their events, with the bad bytes replaced", "[import][bad]") {
    const auto [t, r] = importBad("non_utf8.json");
    REQUIRE(r.ok);
    CHECK(names(t, 0) == std::vector<std::string>{"ok", "bad ?? name", "cut ??", "caf\xc3\xa9"});
    // A raw NUL inside a string and a lone surrogate escape are not JSON strings: skipped.
    CHECK(r.eventsSkipped == 2);
    CHECK(warnings(r, "non_utf8.json") ==
          std::vector<std::string>{"skipped 2 malformed events (first: not valid JSON at byte 195)",
                                   "replaced bytes that are not UTF-8 with '?' in 2 events"});
}

TEST_CASE("args nested 5000 deep are kept as text", "[import][bad]") {
    const auto [t, r] = importBad("deep_json_args.json");
    REQUIRE(r.ok);
    CHECK(r.warnings.empty());
    CHECK(names(t, 0) == std::vector<std::string>{"shallow", "deep", "after"});
}

TEST_CASE("text around the events: trailing garbage, members after, empty, not an array", "[import][bad]") {
    {
        const auto [t, r] = importBad("garbage_after_events.json");
        REQUIRE(r.ok);
        CHECK(t.eventCount() == 1);
        CHECK(warnings(r, "garbage_after_events.json") ==
              std::vector<std::string>{"ignored text after the end of the trace at byte 83"});
    }
    {
        // baseTimeNanoseconds after the events still applies to them.
        const auto [t, r] = importBad("members_after_events.json");
        REQUIRE(r.ok);
        CHECK(r.warnings.empty());
        CHECK(t.originAbsNs == 1000000 + 1000);
        CHECK(t.metadata["x"][2]["y"] == "]");
    }
    {
        const auto [t, r] = importBad("empty_events.json");
        REQUIRE(r.ok);
        CHECK(r.warnings.empty());
        CHECK(t.eventCount() == 0);
    }
    {
        const auto [t, r] = importBad("not_an_array.json");
        CHECK_FALSE(r.ok);
        CHECK(r.error == dataPath("bad/not_an_array.json") + ": no \"traceEvents\" array at byte 0");
    }
    {
        const auto [t, r] = importBad("array_unclosed.json");
        REQUIRE(r.ok);
        CHECK(r.truncated);
        CHECK(t.eventCount() == 2);
        CHECK(warnings(r, "array_unclosed.json") ==
              std::vector<std::string>{"truncated JSON: the file ends at byte 144; read the 2 complete events "
                                       "before byte 129"});
    }
}

TEST_CASE("10000-deep nesting of B/E pairs and of X events", "[import][bad]") {
    constexpr int kDepth = 10000;
    std::string be = "[", x = "[";
    for (int i = 0; i < kDepth; ++i)
        be += R"({"ph":"B","name":"b","pid":1,"tid":1,"ts":)" + std::to_string(i) + "},\n";
    for (int i = kDepth - 1; i >= 0; --i)
        be += R"({"ph":"E","pid":1,"tid":1,"ts":)" + std::to_string(2 * kDepth - i) + "}" + (i ? ",\n" : "]");
    for (int i = 0; i < kDepth; ++i)
        x += R"({"ph":"X","name":"x","pid":1,"tid":1,"ts":)" + std::to_string(i) +
             ",\"dur\":" + std::to_string(2 * (kDepth - i)) + "}" + (i + 1 < kDepth ? ",\n" : "]");
    TempDir dir;
    for (const std::string& text : {be, x}) {
        Trace t;
        const ImportResult r = importChromeTrace(dir.write("deep.json", text), t);
        REQUIRE(r.ok);
        CHECK(r.warnings.empty());
        REQUIRE(t.eventCount() == kDepth);
        const Track& track = t.tracks[0];
        CHECK(track.depth.front() == 0);
        CHECK(track.depth.back() == kDepth - 1);
        CHECK(track.parent.back() == kDepth - 2);
    }
}

TEST_CASE("a trace cut at any offset imports the events before the cut", "[import][bad]") {
    const std::string full = readFile(dataPath("torch_mm64_warm.json"));
    TempDir dir;
    // Exact counts at three cuts, worked out with python3 (json.JSONDecoder.raw_decode of each
    // complete element): X and i events before the cut.
    const std::pair<size_t, size_t> exact[] = {{6462, 22}, {12924, 34}, {19386, 46}};
    for (const auto& [cut, events] : exact) {
        Trace t;
        const ImportResult r = importChromeTrace(dir.write("cut.json", full.substr(0, cut)), t);
        REQUIRE(r.ok);
        CHECK(r.truncated);
        CHECK(t.eventCount() == events);
    }
    // Every 97th offset, plain and gzip-compressed in tiny windows: never a crash, one line each,
    // and never fewer events for a longer prefix.
    size_t previous = 0;
    for (size_t cut = 0; cut <= full.size(); cut += 97) {
        const std::string prefix = full.substr(0, cut);
        Trace plain, gz;
        const ImportResult rp = importChromeTrace(dir.write("cut.json", prefix), plain);
        ImportOptions small;
        small.windowBytes = 61;
        const ImportResult rg = importChromeTrace(dir.write("cut.json.gz", gzipped(prefix)), gz, 0, small);
        CHECK(rp.ok == rg.ok);
        CHECK(plain.eventCount() == gz.eventCount());
        CHECK(plain.eventCount() >= previous);
        previous = plain.eventCount();
        for (const std::string& line : rp.warnings) CHECK(line.find('\n') == std::string::npos);
        CHECK(rp.error.find('\n') == std::string::npos);
    }
    CHECK(previous == 49);
}

TEST_CASE(".json.gz streams in windows: any window size gives the same trace", "[import][gz]") {
    const std::string text = readFile(dataPath("torch_mm64_cold.json"));
    TempDir dir;
    const std::string gz = dir.write("t.json.gz", gzipped(text, 1));
    // Two gzip members back to back (what `cat a.gz b.gz` makes) read as one text.
    const std::string half = text.substr(0, text.size() / 2);
    const std::string twoMembers = dir.write("two.json.gz", gzipped(half) + gzipped(text.substr(half.size())));
    Trace reference;
    REQUIRE(importChromeTrace(dataPath("torch_mm64_cold.json"), reference).ok);
    for (size_t window : {0, 1, 100, 4096}) {
        for (const std::string& path : {gz, twoMembers}) {
            Trace t;
            ImportOptions options;
            options.windowBytes = window;
            options.threads = 2;
            const ImportResult r = importChromeTrace(path, t, 0, options);
            REQUIRE(r.ok);
            CHECK(r.warnings.empty());
            CHECK(t.eventCount() == 236);
            CHECK(t.originAbsNs == reference.originAbsNs);
            for (size_t ti = 0; ti < t.tracks.size(); ++ti) CHECK(t.tracks[ti].start == reference.tracks[ti].start);
        }
    }
}

TEST_CASE("a GPU track whose later batches hold only other events keeps aligned columns", "[import][bad]") {
    // Found by the fuzzer: the latency columns (queued/submitted) of a GPU track fell behind the
    // others when a later batch added events without them.
    TempDir dir;
    const std::string path = dir.write("gpu.json", R"({"traceEvents":[
      {"ph":"X","cat":"kernel","name":"k","pid":0,"tid":7,"ts":10,"dur":1,"args":{"queued":7000,"submitted":8000}},
      {"ph":"i","name":"mark","pid":0,"tid":7,"ts":20},
      {"ph":"X","cat":"kernel","name":"k","pid":0,"tid":7,"ts":5,"dur":1}]})");
    for (size_t window : {4, 0}) {
        Trace t;
        ImportOptions options;
        options.windowBytes = window;  // 4: one event per batch
        REQUIRE(importChromeTrace(path, t, 0, options).ok);
        REQUIRE(t.tracks.size() == 1);
        const Track& track = t.tracks[0];
        CHECK(track.size() == 3);
        // In time order: the kernel at 5 µs has no latency times, the one at 10 µs was queued at
        // 7 µs (absolute ns in args, 2 µs after the origin), the instant has none.
        CHECK(track.queued == std::vector<TimeNs>{0, 2000, 0});
        CHECK(track.submitted == std::vector<TimeNs>{0, 3000, 0});
    }
}

TEST_CASE("times that cannot be added up in int64 ns are rejected, not overflowed", "[import][bad]") {
    TempDir dir;
    // Found by the fuzzer: a ts near the int64 limit plus baseTimeNanoseconds overflowed.
    const std::string path = dir.write("big.json", R"({"baseTimeNanoseconds": 1790857026000000000, "traceEvents":[
      {"ph":"X","name":"far","pid":1,"tid":1,"ts":9223237036854775,"dur":1},
      {"ph":"X","name":"long","pid":1,"tid":1,"ts":1,"dur":2e15},
      {"ph":"X","name":"ok","pid":1,"tid":1,"ts":3999999999999999,"dur":1}]})");
    Trace t;
    const ImportResult r = importChromeTrace(path, t);
    REQUIRE(r.ok);
    CHECK(t.eventCount() == 1);
    CHECK(r.eventsSkipped == 2);
    CHECK(t.originAbsNs == 1790857026000000000 + 3999999999999999000);
}

TEST_CASE("import never modifies its input", "[import][bad]") {
    TempDir dir;
    const std::string text = readFile(dataPath("bad/non_utf8.json"));
    const std::string plain = dir.write("in.json", text);
    const std::string gz = dir.write("in.json.gz", gzipped(text));
    ::chmod(plain.c_str(), 0444);
    for (const std::string* pathPtr : {&plain, &gz}) {
        const std::string& path = *pathPtr;
        const std::string before = readFile(path);
        const auto mtime = std::filesystem::last_write_time(path);
        Trace t;
        REQUIRE(importChromeTrace(path, t).ok);
        CHECK(readFile(path) == before);
        CHECK(std::filesystem::last_write_time(path) == mtime);
    }
}

TEST_CASE("an export that runs out of disk space keeps the previous file", "[export][bad]") {
    Trace t;
    REQUIRE(importChromeTrace(dataPath("torch_mm64_cold.json"), t).ok);
    TempDir dir;
    const std::string target = dir.write("out.json", "previous");
    // A child process may write only 4 KB per file (as on a full disk: writes fail part way).
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit {4096, 4096};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        const std::string error = exportPerfettoJson(t, target);
        ::_exit(error.empty() ? 1 : 0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // the export reported the failure
    CHECK(readFile(target) == "previous");
    for (const auto& entry : std::filesystem::directory_iterator(dir.path))
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("every file of the bad and fuzz corpora imports without a crash, with one-line messages",
          "[import][bad][fuzz]") {
    size_t files = 0;
    for (const std::string& folder : {dataPath("bad"), std::string(GAPLENS_TEST_DATA) + "/../fuzz/corpus"}) {
        if (!std::filesystem::is_directory(folder)) continue;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
            if (!entry.is_regular_file()) continue;
            ++files;
            for (unsigned threads : {1u, 2u}) {
                Trace t;
                ImportOptions options;
                options.threads = threads;
                options.windowBytes = 512;
                const ImportResult r = importChromeTrace(entry.path().string(), t, 0, options);
                INFO(entry.path().string());
                CHECK((r.ok || !r.error.empty()));
                CHECK(r.error.find('\n') == std::string::npos);
                for (const std::string& w : r.warnings) CHECK(w.find('\n') == std::string::npos);
            }
        }
    }
    CHECK(files >= 13);
}
