#pragma once
// The read pipeline of one file: the tokenizer (json::TraceScanner) cuts the text into batches of
// whole events, parsers (ChromeEventParser) on all threads turn a batch into chunks, and the merger
// (ChunkMerger) adds the chunks to the trace in file order. Batches are bounded: batch k is parsed
// by all threads while batch k-1 is merged and batch k+1 is scanned, each by the first thread free
// for it; then those threads help parse k. Text of parsed batches is released (a mapped file's
// pages given back, a .gz window freed), so resident memory does not grow with the file.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/io/ChromeEventParser.h"
#include "core/io/ChromeTraceImporter.h"
#include "core/io/ChunkMerger.h"
#include "core/io/InputBuffer.h"
#include "core/io/JsonEventTokenizer.h"

namespace gaplens::importer {

// Text is read in windows of this size (.gz: inflated; plain files are mapped whole) and parsed in
// batches of a quarter of it: what is in memory at once besides the model.
constexpr size_t kDefaultWindowBytes = 32u << 20;

// What reading the events of one file tells besides the chunks merged.
struct ReadStats {
    uint64_t events = 0;        // events kept in the trace
    uint64_t skipped = 0;       // malformed events dropped
    uint64_t utf8Repaired = 0;  // events whose invalid UTF-8 bytes were replaced
    std::string firstSkip;      // "<reason> at byte N" of the first event skipped
    std::map<std::string, uint64_t> unknownPhases;  // phase -> events of it, ignored
    TimeNs lastTs = 0;          // latest end of the events read (at least 0): where open B events close
    uint64_t lastEventEnd = 0;  // end of the last complete event, in the whole text
    size_t pos = 0;             // where the scanner stopped in `window`
};

// Reads every event of the text from `window` on (the input's first window; on return the last
// one) into the trace through `merger`, with one thread per parser. `windowBytes`: text read at a
// time (batches are a quarter of it). `noteStatus` gets each read error of a damaged .gz (as
// InputBuffer::next returns it). options.progress is called after each batch; options.cancel
// stops after the batch being parsed (what was read is merged).
ReadStats readEvents(InputBuffer& input, TextWindow& window, json::TraceScanner& scanner, ChunkMerger& merger,
                     std::vector<ChromeEventParser>& parsers, size_t windowBytes, const ImportOptions& options,
                     const std::function<void(const std::string&)>& noteStatus);

}  // namespace gaplens::importer
