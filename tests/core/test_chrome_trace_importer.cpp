// Import of real torch.profiler traces (captured on an H100, tests/data/README.md) and of every
// kind of bad input. Expected numbers were read off the raw JSON with python3.
#include <catch2/catch.hpp>

#include <zlib.h>

#include "core/io/ChromeTraceImporter.h"
#include "TestSupport.h"

#include <limits>
#include <map>
#include <set>

using namespace gaplens;
using namespace gaplens::test;

TEST_CASE("torch.profiler cold 64x64 trace imports every event with kinds, nesting and links", "[import]") {
    Trace t;
    const ImportResult r = importChromeTrace(dataPath("torch_mm64_cold.json"), t);
    REQUIRE(r.ok);
    CHECK(r.warnings.empty());
    CHECK(r.eventsSkipped == 0);
    // 441 JSON events: 58 M metadata and 147 flow points carry no slices; 236 are events.
    CHECK(t.eventCount() == 236);
    CHECK(countKind(t, EventKind::CpuOp) == 40);
    CHECK(countKind(t, EventKind::UserRange) == 20);
    CHECK(countKind(t, EventKind::RuntimeApi) == 87);
    CHECK(countKind(t, EventKind::DriverApi) == 20);
    CHECK(countKind(t, EventKind::Kernel) == 40);
    CHECK(countKind(t, EventKind::GpuUserRange) == 20);
    CHECK(countKind(t, EventKind::Overhead) == 6);
    CHECK(countKind(t, EventKind::Instant) == 2);

    // Origin: baseTimeNanoseconds + the earliest ts (the profiler span, 4775499750759.675 µs).
    CHECK(t.originAbsNs == 1790857026000000000 + 4775499750759675);
    CHECK(t.beginNs() == 0);

    // The first aten::mm: ts 4775499756086.274, dur 135852.739 µs, exactly in ns, inside matmul_add.
    const EventRef mm = findEvent(t, "aten::mm");
    REQUIRE(mm.valid());
    CHECK(t.start(mm) == 4775499756086274 - 4775499750759675);
    CHECK(t.tracks[mm.track].dur[mm.index] == 135852739);
    CHECK(t.tracks[mm.track].depth[mm.index] == 1);
    const uint32_t parent = t.tracks[mm.track].parent[mm.index];
    REQUIRE(parent != EventRef::kNone);
    CHECK(t.strings.str(t.tracks[mm.track].nameId[parent]) == "matmul_add");

    // Every kernel is linked to its launch: 20 cuBLAS kernels to cuLaunchKernelEx (driver API),
    // 20 add kernels to cudaLaunchKernel (runtime API).
    size_t driverLinks = 0, runtimeLinks = 0;
    for (const Track& tr : t.tracks) {
        if (!tr.isGpu()) continue;
        CHECK(tr.device == 0);
        CHECK(tr.name == "stream 7");
        for (size_t i = 0; i < tr.size(); ++i) {
            if (tr.kind[i] != EventKind::Kernel) continue;
            REQUIRE(tr.link[i].valid());
            const EventKind api = t.kind(tr.link[i]);
            driverLinks += api == EventKind::DriverApi;
            runtimeLinks += api == EventKind::RuntimeApi;
            CHECK(t.start(tr.link[i]) < tr.start[i]);
            CHECK(t.linked(tr.link[i]) == EventRef{static_cast<uint32_t>(&tr - t.tracks.data()), static_cast<uint32_t>(i)});
        }
    }
    CHECK(driverLinks == 20);
    CHECK(runtimeLinks == 20);

    // CUPTI overhead events (pid -1) are kept, on their own track.
    bool overheadTrack = false;
    for (const Track& tr : t.tracks)
        if (tr.trackKind == TrackKind::Overhead) {
            overheadTrack = true;
            CHECK(tr.size() == 6);
        }
    CHECK(overheadTrack);
    // Kineto names 8 GPU processes; only the one with events stays.
    CHECK(t.devices() == std::vector<int>{0});
}

TEST_CASE("gzip-compressed traces import the same way", "[import]") {
    Trace t;
    const ImportResult r = importChromeTrace(dataPath("torch_mm8192_warm.json.gz"), t);
    REQUIRE(r.ok);
    CHECK(t.eventCount() == 63);
    CHECK(countKind(t, EventKind::Kernel) == 13);
    CHECK(countKind(t, EventKind::Memset) == 6);
    // 5 matmul_add ranges and 5 ProfilerStep#N ranges of the schedule's active steps.
    CHECK(countKind(t, EventKind::UserRange) == 10);
    size_t linked = 0;
    for (const Track& tr : t.tracks)
        for (size_t i = 0; i < tr.size(); ++i) linked += tr.kind[i] == EventKind::Kernel && tr.link[i].valid();
    // 3 kernels were launched in the warm-up steps, before the window opened: no launch record.
    CHECK(linked == 10);
}

TEST_CASE("a training step trace with two CPU threads (forward and autograd) imports", "[import]") {
    Trace t;
    const ImportResult r = importChromeTrace(dataPath("torch_train_step.json.gz"), t);
    REQUIRE(r.ok);
    CHECK(t.eventCount() == 7408);
    size_t cpuThreads = 0;
    for (const Track& tr : t.tracks) cpuThreads += tr.trackKind == TrackKind::CpuThread && tr.size() > 100;
    CHECK(cpuThreads == 2);
}

// ---- generic Chrome JSON ----

TEST_CASE("array form with B/E pairs, instants, counters and flows", "[import]") {
    TempDir dir;
    const std::string path = dir.write("a.json", R"([
      {"ph":"M","name":"thread_name","pid":1,"tid":2,"args":{"name":"main"}},
      {"ph":"B","name":"outer","pid":1,"tid":2,"ts":10},
      {"ph":"B","name":"inner","pid":1,"tid":2,"ts":12.5},
      {"ph":"E","pid":1,"tid":2,"ts":14},
      {"ph":"E","pid":1,"tid":2,"ts":20},
      {"ph":"i","name":"mark","pid":1,"tid":2,"ts":15,"s":"t"},
      {"ph":"C","name":"mem","pid":1,"ts":11,"args":{"bytes":100}},
      {"ph":"C","name":"mem","pid":1,"ts":13,"args":{"bytes":50}},
      {"ph":"X","name":"cudaLaunchKernel","cat":"cuda_runtime","pid":1,"tid":2,"ts":16,"dur":1},
      {"ph":"X","name":"k","cat":"kernel","pid":0,"tid":7,"ts":30,"dur":5},
      {"ph":"s","id":9,"pid":1,"tid":2,"ts":16,"cat":"ac2g","name":"ac2g"},
      {"ph":"f","id":9,"pid":0,"tid":7,"ts":30,"cat":"ac2g","name":"ac2g","bp":"e"}
    ])");
    Trace t;
    const ImportResult r = importChromeTrace(path, t);
    REQUIRE(r.ok);
    CHECK(r.warnings.empty());
    CHECK(t.eventCount() == 5);  // outer, inner, mark, launch, kernel
    const EventRef inner = findEvent(t, "inner");
    REQUIRE(inner.valid());
    CHECK(t.tracks[inner.track].dur[inner.index] == 1500);
    CHECK(t.tracks[inner.track].depth[inner.index] == 1);
    CHECK(t.tracks[inner.track].name == "main");
    REQUIRE(t.counters.size() == 1);
    CHECK(t.counters[0].value == std::vector<double>{100, 50});
    // No correlation ids in the events: the ac2g flow makes the launch link.
    const EventRef k = findEvent(t, "k");
    REQUIRE(t.linked(k).valid());
    CHECK(t.name(t.linked(k)) == "cudaLaunchKernel");
}

TEST_CASE("overlapping X events on one thread that do not nest are all kept", "[import]") {
    TempDir dir;
    const std::string path = dir.write("o.json", R"({"traceEvents":[
      {"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":10},
      {"ph":"X","name":"b","pid":1,"tid":1,"ts":5,"dur":10},
      {"ph":"X","name":"c","pid":1,"tid":1,"ts":11,"dur":1},
      {"ph":"X","name":"d","pid":1,"tid":1,"ts":20,"dur":1}]})");
    Trace t;
    REQUIRE(importChromeTrace(path, t).ok);
    REQUIRE(t.eventCount() == 4);
    const Track& tr = t.tracks[0];
    CHECK(tr.depth == std::vector<uint16_t>{0, 1, 2, 0});
    // No two slices of one depth overlap.
    for (size_t i = 0; i < tr.size(); ++i)
        for (size_t j = i + 1; j < tr.size(); ++j)
            if (tr.depth[i] == tr.depth[j]) CHECK((tr.end(i) <= tr.start[j] || tr.end(j) <= tr.start[i]));
}

TEST_CASE("several files share one timeline, aligned by their absolute clocks", "[import]") {
    Trace t;
    const ImportResult r =
        importTraces({dataPath("torch_mm64_warm.json"), dataPath("torch_mm8192_warm.json.gz")}, t);
    REQUIRE(r.ok);
    CHECK(t.eventCount() == 49 + 63);
    std::set<uint32_t> files;
    for (const Process& p : t.processes) files.insert(p.file);
    CHECK(files.size() == 2);
    // Links never cross files even though both files reuse correlation ids.
    for (const Track& tr : t.tracks)
        for (size_t i = 0; i < tr.size(); ++i)
            if (tr.link[i].valid()) CHECK(t.processes[t.tracks[tr.link[i].track].process].file == t.processes[tr.process].file);
}

TEST_CASE("runs recorded one after another can be aligned at their start", "[import]") {
    const std::vector<std::string> runs = {dataPath("capture_matmul_add_64.json"), dataPath("capture_matmul_add_8192.json")};
    // First and last event (start, end) of each file's tracks, and the kernels' queued times.
    struct FileSpan {
        TimeNs first = std::numeric_limits<TimeNs>::max(), last = 0, firstQueued = std::numeric_limits<TimeNs>::max();
    };
    auto spans = [](const Trace& t) {
        std::map<uint32_t, FileSpan> out;
        for (const Track& tr : t.tracks) {
            FileSpan& f = out[t.processes[tr.process].file];
            for (size_t i = 0; i < tr.size(); ++i) {
                f.first = std::min(f.first, tr.start[i]);
                f.last = std::max(f.last, tr.end(i));
                if (i < tr.queued.size() && tr.queued[i]) f.firstQueued = std::min(f.firstQueued, tr.queued[i]);
            }
        }
        return out;
    };
    Trace asRecorded, aligned;
    REQUIRE(importTraces(runs, asRecorded).ok);
    ImportOptions align;
    align.alignFilesAtStart = true;
    const ImportResult alignedResult = importTraces(runs, aligned, align);
    REQUIRE(alignedResult.ok);
    const auto a = spans(asRecorded), b = spans(aligned);
    REQUIRE(a.size() == 2);
    REQUIRE(b.size() == 2);
    // As recorded, the 8192 run starts after the 64 run has ended.
    CHECK(a.at(1).first > a.at(0).last);
    // Aligned: both start at t=0; each run keeps its own length and its latency timestamps move with it.
    CHECK(b.at(0).first == 0);
    CHECK(b.at(1).first == 0);
    for (uint32_t f : {0u, 1u}) {
        CHECK(b.at(f).last - b.at(f).first == a.at(f).last - a.at(f).first);
        CHECK(b.at(f).firstQueued - b.at(f).first == a.at(f).firstQueued - a.at(f).first);
    }
    CHECK(aligned.eventCount() == asRecorded.eventCount());
    // The report over aligned runs sees one span as long as the longer run, not both runs and the time between.
    CHECK(aligned.endNs() == std::max(a.at(0).last - a.at(0).first, a.at(1).last - a.at(1).first));
    // Both runs used GPU 0; overlapping now, they are analysed as two devices, and the second's
    // GPU process says which it was. As recorded (one after another) they stay one device.
    CHECK(asRecorded.devices() == std::vector<int>{0});
    CHECK(aligned.devices() == std::vector<int>{0, 1});
    bool renamed = false;
    for (const Process& p : aligned.processes)
        renamed = renamed || p.name == "GPU 1 (capture_matmul_add_8192.json: GPU 0)";
    CHECK(renamed);
    REQUIRE(alignedResult.warnings.size() == 1);
    CHECK(alignedResult.warnings[0] == dataPath("capture_matmul_add_8192.json") +
                                           ": GPU 0 is shown and analysed as GPU 1, apart from the other files' GPU 0 "
                                           "(files aligned at their start)");
}

// ---- bad input: a one-line error naming the file and position, or a warning and what could be read ----

TEST_CASE("missing, empty and non-JSON files give one-line errors", "[import][bad]") {
    TempDir dir;
    Trace t;
    ImportResult r = importChromeTrace(dir.file("nope.json"), t);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("nope.json: cannot open") != std::string::npos);
    r = importChromeTrace(dir.write("empty.json", ""), t);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("empty.json: empty file") != std::string::npos);
    r = importChromeTrace(dir.write("blank.json", "  \n "), t);
    CHECK_FALSE(r.ok);
    r = importChromeTrace(dir.write("text.json", "hello world"), t);
    CHECK_FALSE(r.ok);
    CHECK(r.error == dir.file("text.json") + ": not a trace: expected '{' or '[' at byte 0");
    r = importChromeTrace(dir.write("noevents.json", R"({"a":1})"), t);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("no \"traceEvents\" array") != std::string::npos);
    for (const std::string& e : {r.error}) CHECK(e.find('\n') == std::string::npos);
}

TEST_CASE("a truncated trace yields the events before the cut, with a warning", "[import][bad]") {
    const std::string full = readFile(dataPath("torch_mm64_cold.json"));
    TempDir dir;
    size_t previous = 0;
    for (double fraction : {0.3, 0.6, 0.9, 0.999}) {
        const std::string path = dir.write("cut.json", full.substr(0, static_cast<size_t>(full.size() * fraction)));
        Trace t;
        const ImportResult r = importChromeTrace(path, t);
        REQUIRE(r.ok);
        CHECK(r.truncated);
        REQUIRE(r.warnings.size() >= 1);
        CHECK(r.warnings[0].find("truncated JSON: the file ends at byte") != std::string::npos);
        CHECK(t.eventCount() > previous);
        CHECK(t.eventCount() <= 236);
        previous = t.eventCount();
    }
    // Cut inside the header, before any event: an error, not a crash.
    Trace t;
    const ImportResult r = importChromeTrace(dir.write("head.json", full.substr(0, 40)), t);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("truncated JSON") != std::string::npos);
}

TEST_CASE("wrong types and unknown phases skip those events with a warning", "[import][bad]") {
    TempDir dir;
    const std::string path = dir.write("w.json", R"({"traceEvents":[
      {"ph":"X","name":"good","pid":1,"tid":1,"ts":1,"dur":2},
      {"ph":"X","name":"badts","pid":1,"tid":1,"ts":"abc","dur":2},
      {"ph":"X","name":42,"pid":1,"tid":1,"ts":1,"dur":2},
      {"ph":"Q","name":"what","pid":1,"tid":1,"ts":1},
      17,
      {"ph":"X","name":"neg","pid":1,"tid":1,"ts":5,"dur":-3},
      {"ph":"X","name":"huge","pid":1,"tid":1,"ts":1e300,"dur":1}]})");
    Trace t;
    const ImportResult r = importChromeTrace(path, t);
    REQUIRE(r.ok);
    CHECK(t.eventCount() == 2);  // good, neg (dur clamped to 0)
    CHECK(r.eventsSkipped == 4);
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].find("skipped 4 malformed events (first: field \"ts\" has the wrong type at byte") !=
          std::string::npos);
    CHECK(r.warnings[1].find("ignored 1 event of unknown phase 'Q'") != std::string::npos);
    CHECK(t.tracks[0].dur[findEvent(t, "neg").index] == 0);
}

TEST_CASE("one odd event among many is read like the others, its neighbours are kept", "[import][bad]") {
    // Events are parsed many at a time; an event that cannot be (a malformed one, a key written
    // with an escape, "args" before "ph") must give the same result as reading each on its own.
    std::string text = "{\"traceEvents\":[\n";
    for (int i = 0; i < 600; ++i) {
        if (i == 250) text += R"({"ph":"X","n\u0061me":"escaped key","pid":1,"tid":1,"ts":1000,"dur":1},)";
        if (i == 300) text += R"({"ph":"X","name":"broken","pid":1,"tid":1,"ts":nope,"dur":1},)";
        if (i == 350) text += R"({"args":{"name":"worker"},"ph":"M","name":"thread_name","pid":1,"tid":1},)";
        text += "{\"ph\":\"X\",\"name\":\"op" + std::to_string(i) + "\",\"pid\":1,\"tid\":1,\"ts\":" +
                std::to_string(10 * i) + ",\"dur\":5,\"args\":{\"External id\":" + std::to_string(i) + "}}" +
                (i + 1 < 600 ? ",\n" : "\n");
    }
    text += "]}";
    TempDir dir;
    const std::string path = dir.write("odd.json", text);
    for (unsigned threads : {1u, 2u}) {
        ImportOptions options;
        options.threads = threads;
        options.windowBytes = 16384;  // many batches and pieces
        Trace t;
        const ImportResult r = importTraces({path}, t, options);
        REQUIRE(r.ok);
        CHECK(r.eventsRead == 601);
        CHECK(r.eventsSkipped == 1);
        REQUIRE(t.tracks.size() == 1);
        CHECK(t.tracks[0].name == "worker");
        CHECK(findEvent(t, "escaped key").valid());
        CHECK(findEvent(t, "op0").valid());
        CHECK(findEvent(t, "op299").valid());
        CHECK(findEvent(t, "op300").valid());
        CHECK(findEvent(t, "op599").valid());
        REQUIRE(r.warnings.size() == 1);
        const std::string at = std::to_string(text.find(R"({"ph":"X","name":"broken")"));
        CHECK(r.warnings[0].find("skipped 1 malformed event (first: field \"ts\" has the wrong type at byte " + at +
                                 ")") != std::string::npos);
    }
}

TEST_CASE("bad gzip files: empty, cut short, not gzip inside", "[import][bad]") {
    TempDir dir;
    Trace t;
    ImportResult r = importChromeTrace(dir.write("zero.json.gz", ""), t);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("empty file") != std::string::npos);

    // A gzip stream cut in half: the events inflated before the cut are read.
    const std::string json = readFile(dataPath("torch_mm64_cold.json"));
    uLongf size = compressBound(json.size()) + 64;
    std::string gz(size, '\0');
    {
        z_stream zs{};
        deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json.data()));
        zs.avail_in = static_cast<uInt>(json.size());
        zs.next_out = reinterpret_cast<Bytef*>(gz.data());
        zs.avail_out = static_cast<uInt>(gz.size());
        REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
        gz.resize(zs.total_out);
        deflateEnd(&zs);
    }
    Trace whole;
    REQUIRE(importChromeTrace(dir.write("whole.json.gz", gz), whole).ok);
    CHECK(whole.eventCount() == 236);
    Trace half;
    r = importChromeTrace(dir.write("half.json.gz", gz.substr(0, gz.size() / 2)), half);
    REQUIRE(r.ok);
    CHECK(r.truncated);
    CHECK(half.eventCount() > 0);
    CHECK(half.eventCount() < 236);

    Trace junk;
    r = importChromeTrace(dir.write("junk.json.gz", std::string("\x1f\x8b\x08\x00garbage-garbage", 19)), junk);
    CHECK_FALSE(r.ok);
}

TEST_CASE("the CLI exits 2 with one line naming the file for bad input", "[import][bad][cli]") {
    TempDir dir;
    const std::string bad = dir.write("bad.json", "{\"traceEvents\": 5}");
    const CliResult r = runCli("export '" + bad + "' -o '" + dir.file("out.json") + "'");
    CHECK(r.exitCode == 2);
    CHECK(r.out.find("bad.json") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("out.json")));
    CHECK(runCli("export '" + dir.file("missing.json") + "' -o '" + dir.file("out.json") + "'").exitCode == 2);
    CHECK(runCli("export").exitCode == 1);
    CHECK(runCli("frobnicate").exitCode == 1);
}

TEST_CASE("progress goes up to the file size and cancel keeps what was read", "[import]") {
    const std::string path = dataPath("torch_train_step.json.gz");
    const auto fileBytes = static_cast<uint64_t>(std::filesystem::file_size(path));
    Trace whole;
    REQUIRE(importChromeTrace(path, whole).ok);

    // Small windows: the 2.1 MB of JSON are read in many batches.
    std::vector<std::pair<uint64_t, uint64_t>> calls;
    ImportOptions options;
    options.windowBytes = 64 * 1024;
    options.progress = [&](uint64_t done, uint64_t total) { calls.emplace_back(done, total); };
    Trace t;
    REQUIRE(importChromeTrace(path, t, 0, options).ok);
    CHECK(t.eventCount() == whole.eventCount());
    REQUIRE(calls.size() > 10);
    for (size_t i = 0; i < calls.size(); ++i) {
        CHECK(calls[i].second == fileBytes);  // .gz: compressed bytes of the file
        if (i) CHECK(calls[i].first >= calls[i - 1].first);
    }
    CHECK(calls.back().first == fileBytes);

    // Cancelled after the third batch: a partial trace, finished like a whole one, and a warning.
    std::atomic<bool> cancel{false};
    size_t batches = 0;
    options.cancel = &cancel;
    options.progress = [&](uint64_t, uint64_t) {
        if (++batches == 3) cancel = true;
    };
    Trace partial;
    const ImportResult r = importChromeTrace(path, partial, 0, options);
    REQUIRE(r.ok);
    CHECK(r.warnings == std::vector<std::string>{path + ": import cancelled"});
    CHECK(partial.eventCount() > 0);
    CHECK(partial.eventCount() < whole.eventCount());
    CHECK(partial.beginNs() == 0);
}
