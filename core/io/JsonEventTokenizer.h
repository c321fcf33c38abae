#pragma once
// Finds whole trace events in Chrome trace JSON text without decoding them (the way Perfetto's
// json_trace_tokenizer does): the importer then parses each event on its own, in parallel chunks,
// and a file cut short still yields every event before the cut. The scanner is resumable, so that
// text can arrive window by window (a mapped file released as it is read, a .gz inflated in bounded
// windows) and no list of every event is ever held. Free functions and one small class, tested
// directly.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gaplens::json {

constexpr size_t kNotFound = std::string_view::npos;

// Position after the JSON value starting at `pos` (object, array, string, number, literal), or
// kNotFound when the text ends inside it. Strings and escapes are honoured; content is not checked.
// A number or literal that runs to the end of the text ends there (the caller knows whether more
// text may follow).
size_t skipValue(std::string_view text, size_t pos);
size_t skipWhitespace(std::string_view text, size_t pos);

// Text from the input made fit for a one-line message: control characters escaped as in JSON,
// cut to about `maxBytes` with "..." after.
std::string printable(std::string_view text, size_t maxBytes = 40);

struct EventSlice {
    size_t offset = 0;  // into the text given to the scanner
    size_t length = 0;
};

// Walks the top level of a trace: either an array of events, or an object whose "traceEvents"
// member is that array (other members are kept, raw, for metadata). Call scan() with the text seen
// so far; it reports the complete events it finds and says where to continue once more text is
// there. Text before that position is never looked at again.
class TraceScanner {
public:
    // Scans `text` from `pos`. Appends the complete events found (offsets into `text`) to `events`,
    // stopping once `maxEventBytes` of events were found or the text is used up. Returns where to
    // resume (everything before it is consumed). `final`: no more text follows, so a value cut by
    // the end of `text` means the input is truncated. `base`: position of text[0] in the whole
    // input, for error offsets.
    size_t scan(std::string_view text, size_t pos, bool final, std::vector<EventSlice>& events,
                size_t maxEventBytes = std::numeric_limits<size_t>::max(), uint64_t base = 0);

    bool done() const { return state_ == State::Done; }
    bool arrayForm() const { return arrayForm_; }
    bool sawEvents() const { return sawEvents_; }
    bool truncated() const { return truncated_; }  // the input ended before the document closed
    const std::string& error() const { return error_; }  // structural error, empty when fine
    uint64_t errorOffset() const { return errorOffset_; }
    // Top-level members other than "traceEvents": name and raw JSON text.
    const std::vector<std::pair<std::string, std::string>>& otherMembers() const { return otherMembers_; }
    // Elements of the events array found so far.
    uint64_t eventCount() const { return eventCount_; }

private:
    enum class State { Start, TopObject, Events, Done };
    void fail(std::string what, uint64_t offset);
    void stopTruncated();

    State state_ = State::Start;
    bool arrayForm_ = false;
    bool sawEvents_ = false;
    bool truncated_ = false;
    std::string error_;
    uint64_t errorOffset_ = 0;
    std::vector<std::pair<std::string, std::string>> otherMembers_;
    uint64_t eventCount_ = 0;
};

// The whole layout of a trace held in memory at once (small inputs and tests).
struct TraceLayout {
    bool arrayForm = false;
    std::vector<EventSlice> events;
    std::vector<std::pair<std::string, std::string>> otherMembers;  // raw JSON values
    bool truncated = false;   // the text ended before the events array (or the document) closed
    std::string error;        // structural error, empty when fine
    size_t errorOffset = 0;
};

TraceLayout scanTraceLayout(std::string_view text);

}  // namespace gaplens::json
