// The read pipeline of one file: batches scanned, parsed on several threads and merged in file
// order give the same trace whatever the window size and thread count, and what it tells about
// the file (events, skips with their byte, the last event's end) does not depend on either.
#include <catch2/catch.hpp>

#include "core/io/ReadPipeline.h"
#include "core/model/TraceDigest.h"
#include "TestSupport.h"

using namespace gaplens;
using namespace gaplens::importer;
using namespace gaplens::test;

namespace {

// A hand-made trace: 3 threads and a stream, 600 slices with args, B/E pairs and flows that span
// many batches at small windows, one malformed event in the middle.
std::string handMadeTrace(size_t& badEventAt) {
    std::string s = "{\"traceEvents\":[\n";
    // Named before their events: a thread (by metadata) and a process (by a counter).
    s += "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"late\"}},\n";
    s += "{\"ph\":\"C\",\"name\":\"mem\",\"pid\":5,\"ts\":0,\"args\":{\"bytes\":1}},\n";
    for (int i = 0; i < 600; ++i) {
        const int tid = i % 3;
        s += "{\"ph\":\"X\",\"name\":\"op" + std::to_string(i % 7) + "\",\"cat\":\"cpu_op\",\"pid\":1,\"tid\":" +
             std::to_string(tid) + ",\"ts\":" + std::to_string(10 * i) + ".5,\"dur\":4,\"args\":{\"i\":" +
             std::to_string(i % 5) + "}},\n";
        if (i % 50 == 0) {
            s += "{\"ph\":\"B\",\"name\":\"step\",\"pid\":1,\"tid\":9,\"ts\":" + std::to_string(10 * i) + "},\n";
            s += "{\"ph\":\"s\",\"id\":" + std::to_string(i) + ",\"pid\":1,\"tid\":0,\"ts\":" + std::to_string(10 * i) +
                 ".5,\"cat\":\"ac2g\",\"name\":\"ac2g\"},\n";
            s += "{\"ph\":\"X\",\"name\":\"k\",\"cat\":\"kernel\",\"pid\":0,\"tid\":7,\"ts\":" + std::to_string(10 * i + 3) +
                 ",\"dur\":1},\n";
            s += "{\"ph\":\"f\",\"id\":" + std::to_string(i) + ",\"pid\":0,\"tid\":7,\"ts\":" + std::to_string(10 * i + 3) +
                 ",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"bp\":\"e\"},\n";
            s += "{\"ph\":\"E\",\"pid\":1,\"tid\":9,\"ts\":" + std::to_string(10 * i + 9) + "},\n";
        }
        if (i == 311) {
            badEventAt = s.size();
            s += "{\"ph\":\"X\",\"name\":3,\"pid\":1,\"tid\":0,\"ts\":1},\n";
        }
    }
    s += "{\"ph\":\"i\",\"name\":\"end\",\"pid\":1,\"tid\":0,\"ts\":7000}\n]}\n";
    return s;
}

struct Read {
    Trace trace;
    ReadStats stats;
    std::vector<std::string> statuses;
    std::vector<uint64_t> progress;
};

Read readWith(const std::string& path, size_t windowBytes, unsigned threads) {
    Read r;
    InputBuffer input;
    REQUIRE(input.open(path).empty());
    TextWindow window;
    REQUIRE(input.next(window, 0, windowBytes).empty());
    FileContext file;
    ChunkMerger merger(r.trace, file);
    json::TraceScanner scanner;
    std::vector<ChromeEventParser> parsers(threads);
    ImportOptions options;
    options.progress = [&](uint64_t done, uint64_t) { r.progress.push_back(done); };
    r.stats = readEvents(input, window, scanner, merger, parsers, windowBytes, options,
                         [&](const std::string& s) { r.statuses.push_back(s); });
    merger.closeOpenBegins(r.stats.lastTs);
    merger.assemble(threads, [] {});
    r.trace.finalize(false);
    return r;
}

}  // namespace

TEST_CASE("any window size and thread count reads the same trace and the same figures", "[import][pipeline]") {
    TempDir dir;
    size_t badAt = 0;
    const std::string text = handMadeTrace(badAt);
    const std::string path = dir.write("t.json", text);
    const Read whole = readWith(path, 32u << 20, 1);
    CHECK(whole.stats.events == 600 + 12 * 3 + 1 + 1);  // X, B+E+kernel per 50, the instant, the counter
    CHECK(whole.stats.skipped == 1);
    CHECK(whole.stats.firstSkip == "field \"name\" has the wrong type at byte " + std::to_string(badAt));
    CHECK(whole.stats.lastEventEnd == text.rfind('}', text.size() - 3) + 1);  // the instant's closing brace
    CHECK(whole.stats.lastTs == 7000000);
    CHECK(whole.statuses.empty());
    const TraceDigest expected = digestOf(whole.trace);
    for (size_t window : {size_t(300), size_t(4096), size_t(65536)})
        for (unsigned threads : {1u, 2u, 3u}) {
            INFO("window " << window << ", threads " << threads);
            const Read r = readWith(path, window, threads);
            CHECK(digestOf(r.trace) == expected);  // the same tracks in the same order, the same events
            CHECK(r.stats.events == whole.stats.events);
            CHECK(r.stats.firstSkip == whole.stats.firstSkip);
            CHECK(r.stats.lastEventEnd == whole.stats.lastEventEnd);
            // Progress after each batch, up to the last event's end.
            REQUIRE_FALSE(r.progress.empty());
            CHECK(std::is_sorted(r.progress.begin(), r.progress.end()));
            CHECK(r.progress.back() == whole.stats.lastEventEnd);
            if (window == 300) CHECK(r.progress.size() > 50);
        }
}
