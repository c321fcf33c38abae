#pragma once
// The parser: gives meaning to events that the tokenizer (JsonEventTokenizer) found whole in the
// text, a chunk at a time (ImportChunk), on as many threads as there are parsers. Each event's
// phase decides what it becomes: X a slice, B/E halves that the merge pairs, i/I/R an instant, C
// counter samples, M process and thread names and sort order, s/t/f flow endpoints; an unknown
// phase is counted. A malformed event (not JSON, not an object, a field of the wrong type, no ts)
// is skipped and counted with its reason and offset, never fatal; invalid UTF-8 is repaired
// (Utf8Repair) rather than the event dropped.
//
// Speed: runs of events (up to 256 KB) are parsed as one JSON array, one simdjson document for a
// few hundred events; anything unusual in a run sends the chunk back to event-by-event parsing,
// which gives the same result.
#include <cstddef>
#include <memory>
#include <vector>

#include "core/io/ImportChunk.h"
#include "core/io/InputBuffer.h"
#include "core/io/JsonEventTokenizer.h"

namespace gaplens::importer {

class ChromeEventParser {
public:
    ChromeEventParser();
    ~ChromeEventParser();
    ChromeEventParser(ChromeEventParser&&) noexcept;
    ChromeEventParser& operator=(ChromeEventParser&&) noexcept;

    // Parses events [lo, hi) of `events` (slices of `window`'s text) into `chunk`. The parser keeps
    // its buffers from call to call: use one per thread.
    void parseRange(const TextWindow& window, const std::vector<json::EventSlice>& events, size_t lo, size_t hi,
                    ChunkState& chunk);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gaplens::importer
