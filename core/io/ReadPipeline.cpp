#include "core/io/ReadPipeline.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace gaplens::importer {

namespace {

// Whole events of one window, parsed in pieces by several threads and merged in file order.
struct Batch {
    TextWindow window;
    std::vector<json::EventSlice> events;
    std::vector<ChunkState> pieces;
    std::atomic<size_t> next{0};  // next piece to parse

    Batch() = default;
    Batch& operator=(Batch&& o) noexcept {
        window = std::move(o.window);
        events = std::move(o.events);
        pieces = std::move(o.pieces);
        next = o.next.load();
        return *this;
    }
};

}  // namespace

ReadStats readEvents(InputBuffer& input, TextWindow& window, json::TraceScanner& scanner, ChunkMerger& merger,
                     std::vector<ChromeEventParser>& parsers, size_t windowBytes, const ImportOptions& options,
                     const std::function<void(const std::string&)>& noteStatus) {
    const unsigned threads = static_cast<unsigned>(parsers.size());
    const size_t kWindowBytes = windowBytes;
    const size_t kBatchBytes = std::max<size_t>(1, kWindowBytes / 4);
    ReadStats stats;
    size_t& pos = stats.pos;                    // scanner position in `window`
    uint64_t& lastEventEnd = stats.lastEventEnd;  // end of the last complete event, in the whole text

    // Fills `b` with the next events (up to kBatchBytes of them); false when none are left.
    auto scanBatch = [&](Batch& b) {
        b.events.clear();
        while (true) {
            b.window = window;
            input.prefetch(window.start + pos, 2 * kBatchBytes);
            pos = scanner.scan(window.text(), pos, window.last, b.events, kBatchBytes, window.start);
            if (!b.events.empty()) {
                lastEventEnd = window.start + b.events.back().offset + b.events.back().length;
                return true;
            }
            if (scanner.done() || window.last) return false;
            // The window ended inside an item: move on, to a bigger window when one item fills it.
            const size_t tail = window.size - pos;
            noteStatus(input.next(window, pos, std::max(kWindowBytes, 2 * tail)));
            pos = 0;
        }
    };
    auto mergeBatch = [&](Batch& b) {
        for (ChunkState& chunk : b.pieces) {
            stats.lastTs = std::max(stats.lastTs, chunk.lastEnd);
            merger.merge(chunk);
            stats.events += chunk.events;
            if (chunk.skipped && stats.firstSkip.empty())
                stats.firstSkip = chunk.firstSkip + " at byte " + std::to_string(chunk.firstSkipOffset);
            stats.skipped += chunk.skipped;
            stats.utf8Repaired += chunk.utf8Repaired;
            for (auto& [ph, count] : chunk.unknownPhases) stats.unknownPhases[ph] += count;
            chunk = ChunkState();
        }
    };
    auto cancelled = [&] { return options.cancel && options.cancel->load(); };
    auto parseSome = [&](Batch& b, ChromeEventParser& parser) {
        const size_t n = b.events.size(), pieces = b.pieces.size();
        for (size_t c; (c = b.next.fetch_add(1)) < pieces;) {
            if (cancelled()) return;
            const size_t lo = n * c / pieces, hi = n * (c + 1) / pieces;
            parser.parseRange(b.window, b.events, lo, hi, b.pieces[c]);
        }
    };

    // A pipeline of bounded batches: batch k is parsed by all threads while batch k-1 is merged
    // (in file order) and batch k+1 is scanned, each by the first thread free for it; then
    // those threads help parse k. Text of parsed batches is released, so resident memory does
    // not grow with the file.
    Batch batches[3];
    int cur = 0;
    bool have = scanBatch(batches[cur]);
    bool havePrevious = false;
    while (have) {
        Batch& b = batches[cur];
        Batch& previous = batches[(cur + 2) % 3];
        Batch& following = batches[(cur + 1) % 3];
        b.pieces.clear();
        b.pieces.resize(threads > 1 ? threads * 2 : 1);
        b.next = 0;
        std::atomic<int> nextSerial{0};  // 0: merge `previous`, 1: scan `following`
        bool haveNext = false;
        auto step = [&](ChromeEventParser& parser) {
            for (int task; (task = nextSerial.fetch_add(1)) < 2;) {
                if (task == 0) {
                    if (havePrevious) mergeBatch(previous);
                } else {
                    haveNext = !cancelled() && scanBatch(following);
                }
            }
            parseSome(b, parser);
        };
        std::vector<std::thread> helpers;
        for (unsigned w = 1; w < threads; ++w) helpers.emplace_back([&, w] { step(parsers[w]); });
        step(parsers[0]);
        for (std::thread& h : helpers) h.join();
        input.release(haveNext ? following.window.start + following.events.front().offset : lastEventEnd);
        b.window.storage.reset();  // the parsed text is no longer needed
        if (options.progress)
            options.progress(input.compressed() ? input.fileBytesRead() : lastEventEnd, input.fileBytes());
        havePrevious = true;
        cur = (cur + 1) % 3;
        have = haveNext;
    }
    if (havePrevious) mergeBatch(batches[(cur + 2) % 3]);
    for (Batch& b : batches) b = Batch();
    return stats;
}

}  // namespace gaplens::importer
