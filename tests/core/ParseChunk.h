#pragma once
// For the tests of the importer's parts: hand-made events (a JSON array) parsed into one chunk,
// as the read pipeline does with a batch.
#include <string>

#include "core/io/ChromeEventParser.h"
#include "core/io/JsonEventTokenizer.h"

namespace gaplens::test {

inline importer::ChunkState parseChunk(const std::string& json) {
    std::string text = json;
    const size_t size = text.size();
    text.append(InputBuffer::kPadding, ' ');
    TextWindow window;
    window.data = text.data();
    window.size = size;
    window.readable = text.size();
    window.last = true;
    const json::TraceLayout layout = json::scanTraceLayout(window.text());
    importer::ChunkState chunk;
    importer::ChromeEventParser().parseRange(window, layout.events, 0, layout.events.size(), chunk);
    return chunk;
}

}  // namespace gaplens::test
