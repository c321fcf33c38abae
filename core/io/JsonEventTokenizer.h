#pragma once
// Finds whole trace events in a Chrome trace JSON buffer without decoding them (the way Perfetto's
// json_trace_tokenizer does): the importer then parses each event on its own, in parallel chunks,
// and a file cut short still yields every event before the cut. Free functions, tested directly.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gaplens::json {

constexpr size_t kNotFound = std::string_view::npos;

// Position after the JSON value starting at `pos` (object, array, string, number, literal), or
// kNotFound when the text ends inside it. Strings and escapes are honoured; content is not checked.
size_t skipValue(std::string_view text, size_t pos);
size_t skipWhitespace(std::string_view text, size_t pos);

struct EventSlice {
    size_t offset = 0;
    size_t length = 0;
};

// Where the events are: the top level is either an array of events, or an object whose
// "traceEvents" member is that array (other members are returned raw, for metadata).
struct TraceLayout {
    bool arrayForm = false;
    std::vector<EventSlice> events;
    std::vector<std::pair<std::string, std::string_view>> otherMembers;  // raw JSON values
    bool truncated = false;   // the text ended before the events array (or the document) closed
    std::string error;        // structural error, empty when fine
    size_t errorOffset = 0;
};

// Scans the whole buffer. Elements of the events array that are not objects are reported in
// `error` only when nothing else can be read; otherwise they are skipped (counted by the caller as
// events.size() vs array elements is not needed: the importer counts bad events itself).
TraceLayout scanTraceLayout(std::string_view text);

}  // namespace gaplens::json
