#include "core/io/ChromeTraceImporter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <simdjson.h>

#include "core/io/InputBuffer.h"
#include "core/io/JsonEventTokenizer.h"
#include "core/model/ParallelJobs.h"

namespace gaplens {

namespace {

namespace od = simdjson::ondemand;

// ---------------------------------------------------------------------------------------------
// Keys and per-chunk state. Events are parsed in chunks (in parallel); each chunk interns into its
// own string tables and tracks, merged in file order afterwards.

struct TrackKey {
    int64_t pid = 0;
    int64_t tid = 0;
    bool operator==(const TrackKey& o) const { return pid == o.pid && tid == o.tid; }
};
struct TrackKeyHash {
    size_t operator()(const TrackKey& k) const {
        return std::hash<int64_t>()(k.pid) * 1000003u ^ std::hash<int64_t>()(k.tid);
    }
};

// A pid or tid given as a string ("Spans") gets a stable numeric key from its text.
int64_t labelKey(std::string_view label) {
    uint64_t h = 1469598103934665603ull;
    for (char c : label) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<int64_t>(h | (1ull << 62)) | std::numeric_limits<int64_t>::min();
}

struct LocalTrack {
    TrackKey key;
    Track columns;       // string ids local to the chunk
    bool gpuHint = false;  // saw GPU activity (kernel, memcpy, ...) on it
    int32_t device = -1;
};

enum class MetaKind : uint8_t { ProcessName, ProcessLabels, ProcessSort, ThreadName, ThreadSort };
struct MetaRecord {
    TrackKey key;
    MetaKind kind;
    std::string text;
    int64_t number = 0;
};

struct BeginEnd {
    TrackKey key;
    bool begin;
    TimeNs ts;
    StringId name, category, args;  // local ids
    size_t offset;
};

struct PendingFlow {
    TrackKey key;
    TimeNs ts;
    uint64_t id;
    char phase;           // 's', 't', 'f'
    bool bindEnclosing;   // bp: "e" (or a start/step, which always binds to the enclosing slice)
    StringId category, name;  // local ids until merged
};

struct CounterSample {
    TrackKey key;
    std::string series;
    TimeNs ts;
    double value;
};

struct ChunkState {
    StringTable strings;
    StringTable argTexts;
    std::unordered_map<TrackKey, uint32_t, TrackKeyHash> trackIndex;
    std::vector<LocalTrack> tracks;
    std::vector<MetaRecord> metas;
    std::vector<BeginEnd> beginEnds;
    std::vector<PendingFlow> flows;
    std::vector<CounterSample> counters;
    std::unordered_map<int64_t, std::string> labels;  // label key -> original text
    uint64_t events = 0;
    uint64_t skipped = 0;
    uint64_t utf8Repaired = 0;  // events whose invalid UTF-8 bytes were replaced
    TimeNs lastEnd = 0;         // latest end of the events read (at least 0), for open 'B' events
    std::string firstSkip;   // reason of the first skipped event
    size_t firstSkipOffset = 0;
    std::map<std::string, uint64_t> unknownPhases;

    LocalTrack& track(TrackKey key) {
        // Runs of events share a track: try the last one before hashing.
        if (lastTrack < tracks.size() && tracks[lastTrack].key == key) return tracks[lastTrack];
        auto it = trackIndex.find(key);
        if (it == trackIndex.end()) {
            it = trackIndex.emplace(key, static_cast<uint32_t>(tracks.size())).first;
            tracks.emplace_back();
            tracks.back().key = key;
        }
        lastTrack = it->second;
        return tracks[it->second];
    }
    size_t lastTrack = 0;
    // The category of the last slice and what it maps to: runs of events share one.
    std::string lastCategory;
    StringId lastCategoryId = 0;
    EventKind lastCategoryKind = EventKind::Other;

    StringId category(std::string_view cat, EventKind& kind) {
        if (lastCategoryId == 0 || cat != lastCategory) {
            lastCategory.assign(cat);
            lastCategoryId = strings.intern(cat);
            lastCategoryKind = eventKindFromCategory(cat);
        }
        kind = lastCategoryKind;
        return lastCategoryId;
    }
    void skip(std::string reason, size_t offset) {
        if (skipped++ == 0) {
            firstSkip = std::move(reason);
            firstSkipOffset = offset;
        }
    }
};

// ---------------------------------------------------------------------------------------------
// Numbers. Timestamps are µs with a fraction ("4775499751275.105"): parsed from the text so that
// ns stay exact (a double holds ~16 digits, which these need all of).

// Bounds on times read from a file: a time, the file's base time and a duration then add up within
// int64 ns (4e18 ns since the epoch is the year 2096; 1e18 ns is 31 years). Larger values are
// wrong, and would overflow the arithmetic of finalize.
constexpr TimeNs kMaxAbsTimeNs = 4'000'000'000'000'000'000;
constexpr TimeNs kMaxDurationNs = 1'000'000'000'000'000'000;

bool parseMicrosToNs(std::string_view text, TimeNs& out) {
    if (!text.empty() && text.front() == '"') {  // some writers quote numbers
        if (text.size() < 2 || text.back() != '"') return false;
        text = text.substr(1, text.size() - 2);
    }
    bool negative = false;
    size_t i = 0;
    if (i < text.size() && text[i] == '-') {
        negative = true;
        ++i;
    }
    int64_t whole = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (whole > (std::numeric_limits<int64_t>::max() / 1000 - 9) / 10) return false;  // out of range in ns
        whole = whole * 10 + (text[i++] - '0');
        ++digits;
    }
    int64_t frac = 0;
    int fracDigits = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (fracDigits < 3) {
                frac = frac * 10 + (text[i] - '0');
                ++fracDigits;
            } else if (fracDigits == 3 && text[i] >= '5') {
                ++frac;  // round the sub-ns digit
                fracDigits = 4;
            }
            ++i;
        }
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        // Rare exponent form: fall back to a double.
        double v = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || !std::isfinite(v) || std::fabs(v) > 4.0e15) return false;
        out = static_cast<TimeNs>(std::llround(v * 1000.0));
        return true;
    }
    if (digits == 0 || i != text.size()) return false;
    while (fracDigits < 3) {
        frac *= 10;
        ++fracDigits;
    }
    const int64_t ns = whole * 1000 + frac;
    if (ns > kMaxAbsTimeNs) return false;
    out = negative ? -ns : ns;
    return true;
}

bool readInt(od::value v, int64_t& out) {
    // Nearly always a plain integer: one call. Any other value fails without being consumed and
    // takes the general path below.
    if (int64_t i; !v.get_int64().get(i)) {
        out = i;
        return true;
    }
    od::json_type type;
    if (v.type().get(type)) return false;
    if (type == od::json_type::number) {
        od::number_type nt;
        if (v.get_number_type().get(nt)) return false;
        if (nt == od::number_type::floating_point_number) {
            double d;
            // Out of int64 range (1e30): not an id or a count we can keep.
            if (v.get_double().get(d) || !std::isfinite(d) || std::fabs(d) >= 9.2e18) return false;
            out = static_cast<int64_t>(d);
            return true;
        }
        if (nt == od::number_type::unsigned_integer) {
            uint64_t u;
            if (v.get_uint64().get(u)) return false;
            out = static_cast<int64_t>(u);
            return true;
        }
        return !v.get_int64().get(out);
    }
    if (type == od::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s)) return false;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && p == s.data() + s.size();
    }
    return false;
}

// pid/tid: a number, or a string (kept as a label).
bool readId(od::value v, int64_t& out, ChunkState& chunk) {
    if (int64_t i; !v.get_int64().get(i)) {
        out = i;
        return true;
    }
    od::json_type type;
    if (v.type().get(type)) return false;
    if (type == od::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s)) return false;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc() && p == s.data() + s.size()) return true;
        out = labelKey(s);
        chunk.labels.emplace(out, std::string(s));
        return true;
    }
    return readInt(v, out);
}

// Raw text of any value (3.0's value has raw_json() only through object/array).
bool rawJson(od::value v, std::string_view& out) {
    od::json_type type;
    if (v.type().get(type)) return false;
    if (type == od::json_type::object) {
        od::object o;
        return !v.get_object().get(o) && !o.raw_json().get(out);
    }
    if (type == od::json_type::array) {
        od::array a;
        return !v.get_array().get(a) && !a.raw_json().get(out);
    }
    out = v.raw_json_token();
    return true;
}

// Compares with a literal of known length: inlined, where string_view's == calls memcmp (keys
// are compared several times per event).
template <size_t N>
inline bool equals(std::string_view text, const char (&literal)[N]) {
    return text.size() == N - 1 && std::memcmp(text.data(), literal, N - 1) == 0;
}

// Per-event args keys that are stored in columns or are unique per event: kept out of the shared
// args text so identical args are stored once (memory per event stays bounded).
bool isPerEventArg(std::string_view key) {
    return equals(key, "correlation") || equals(key, "External id") || equals(key, "Ev Idx") ||
           equals(key, "Record function id") || equals(key, "queued") || equals(key, "submitted") ||
           equals(key, "Sequence number") || equals(key, "Fwd thread id");
}

struct ParsedArgs {
    int64_t correlation = 0;
    int64_t device = -1;
    int64_t stream = -1;
    int64_t queuedNs = 0;
    int64_t submittedNs = 0;
    std::string compact;  // remaining args as compact JSON
    std::string name;     // M events: args.name / args.labels
    int64_t sortIndex = 0;
    bool hasSortIndex = false;
    bool hasName = false;
    std::vector<std::pair<std::string, double>> counterValues;  // C events

    // Back to the state of a new ParsedArgs, keeping the buffers (one per parser, reused).
    void clear() {
        correlation = 0;
        device = stream = -1;
        queuedNs = submittedNs = 0;
        compact.clear();
        name.clear();
        sortIndex = 0;
        hasSortIndex = hasName = false;
        counterValues.clear();
    }
};

// The fields of an event that the importer reads. Keys are told apart on their raw text, without
// the copy that unescaped_key() makes: `raw` starts after the opening quote and stage 1 has found
// the closing one, and the buffer is padded, so comparing a few bytes past a short key is safe.
enum class EventKey : uint8_t { Other, Ph, Name, Cat, Pid, Tid, Ts, Dur, Id, BindId, Bp, Args };

template <size_t N>
inline bool rawKeyIs(const char* raw, const char (&literal)[N]) {
    return std::memcmp(raw, literal, N - 1) == 0 && raw[N - 1] == '"';
}

EventKey eventKey(const char* raw) {
    switch (raw[0]) {
    case 'p': return rawKeyIs(raw, "ph") ? EventKey::Ph : rawKeyIs(raw, "pid") ? EventKey::Pid : EventKey::Other;
    case 'n': return rawKeyIs(raw, "name") ? EventKey::Name : EventKey::Other;
    case 'c': return rawKeyIs(raw, "cat") ? EventKey::Cat : EventKey::Other;
    case 't': return rawKeyIs(raw, "ts") ? EventKey::Ts : rawKeyIs(raw, "tid") ? EventKey::Tid : EventKey::Other;
    case 'd': return rawKeyIs(raw, "dur") ? EventKey::Dur : EventKey::Other;
    case 'i': return rawKeyIs(raw, "id") ? EventKey::Id : EventKey::Other;
    case 'b': return rawKeyIs(raw, "bp") ? EventKey::Bp : rawKeyIs(raw, "bind_id") ? EventKey::BindId : EventKey::Other;
    case 'a': return rawKeyIs(raw, "args") ? EventKey::Args : EventKey::Other;
    default: return EventKey::Other;
    }
}

// The same for an unescaped key (one written with escapes, such as "p\u0068").
EventKey eventKey(std::string_view key) {
    return equals(key, "ph") ? EventKey::Ph : equals(key, "pid") ? EventKey::Pid : equals(key, "name") ? EventKey::Name
         : equals(key, "cat") ? EventKey::Cat : equals(key, "ts") ? EventKey::Ts : equals(key, "tid") ? EventKey::Tid
         : equals(key, "dur") ? EventKey::Dur : equals(key, "id") ? EventKey::Id : equals(key, "bp") ? EventKey::Bp
         : equals(key, "bind_id") ? EventKey::BindId : equals(key, "args") ? EventKey::Args : EventKey::Other;
}

// Reads one field of an event: its key (see EventKey) and value; false when it is malformed.
bool readEventField(simdjson::simdjson_result<od::field> result, EventKey& key, od::value& value) {
    od::field field;
    if (std::move(result).get(field)) return false;
    const char* raw = field.key().raw();
    key = eventKey(raw);
    if (key == EventKey::Other) {
        // An unknown key is ignored, unless escapes spell a known one: look for a backslash.
        size_t n = 0;
        while (raw[n] != '"' && raw[n] != '\\') ++n;
        if (raw[n] == '\\') {
            std::string_view unescaped;
            if (field.unescaped_key().get(unescaped)) return false;
            key = eventKey(unescaped);
        }
    }
    value = field.value();
    return true;
}

bool parseArgs(od::value v, char phase, ParsedArgs& out) {
    od::object obj;
    if (v.get_object().get(obj)) return false;
    std::string& c = out.compact;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        const std::string_view keyCopy = key;  // valid until the parser reads the next event
        od::value value;
        if (field.value().get(value)) return false;
        if (phase == 'M') {
            if (equals(keyCopy, "name") || equals(keyCopy, "labels")) {
                std::string_view s;
                if (!value.get_string().get(s)) {
                    out.name = s;
                    out.hasName = true;
                }
                continue;
            }
            if (equals(keyCopy, "sort_index")) {
                out.hasSortIndex = readInt(value, out.sortIndex);
                continue;
            }
        }
        if (phase == 'C') {
            double d;
            if (!value.get_double().get(d)) out.counterValues.emplace_back(std::string(keyCopy), d);
            continue;
        }
        if (equals(keyCopy, "correlation")) {
            readInt(value, out.correlation);
            continue;
        }
        if (equals(keyCopy, "device")) {
            readInt(value, out.device);
        } else if (equals(keyCopy, "stream")) {
            readInt(value, out.stream);
        } else if (equals(keyCopy, "queued") || equals(keyCopy, "submitted")) {
            int64_t ns = 0;
            if (readInt(value, ns) && ns >= -kMaxAbsTimeNs && ns <= kMaxAbsTimeNs)
                (equals(keyCopy, "queued") ? out.queuedNs : out.submittedNs) = ns;
            continue;
        }
        std::string_view raw;
        if (!rawJson(value, raw)) return false;
        if (isPerEventArg(keyCopy)) continue;
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
            raw.remove_suffix(1);
        c += c.empty() ? "{" : ",";
        c += '"';
        c += keyCopy;  // unescaped key: re-escape quotes and backslashes
        if (std::any_of(keyCopy.begin(), keyCopy.end(), [](char ch) { return ch == '"' || ch == '\\'; })) {
            c.resize(c.size() - keyCopy.size());
            for (char ch : keyCopy) {
                if (ch == '"' || ch == '\\') c += '\\';
                c += ch;
            }
        }
        c += "\":";
        c += raw;
    }
    if (!c.empty()) c += '}';
    return true;
}

// Replaces each byte that is not part of a well-formed UTF-8 sequence with '?'.
void replaceInvalidUtf8(std::string& s) {
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool good = len > 0 && i + len <= n;
        for (size_t k = 1; good && k < len; ++k) good = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (good && len > 1) {
            // Overlong forms, surrogates and code points past U+10FFFF are invalid too.
            uint32_t cp = c & (0xFF >> (len + 1));
            for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
            const uint32_t minimum[5] = {0, 0, 0x80, 0x800, 0x10000};
            good = cp >= minimum[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
        }
        if (!good) {
            s[i++] = '?';
            continue;
        }
        i += len;
    }
}

// ---------------------------------------------------------------------------------------------

struct ChunkParser {
    od::parser parser;
    std::string padded;  // for events too close to the end of the buffer to over-read
    std::string repaired;  // for events with invalid UTF-8
    ParsedArgs argsScratch;  // the args of the event being parsed
    od::parser runParser;    // runs of events (parseRange)
    std::string runText;     // a run as a JSON array, padded

    void parse(const TextWindow& window, const json::EventSlice& slice, ChunkState& chunk, char forcedPhase = 0) {
        const char* data = window.data + slice.offset;
        size_t capacity = window.readable - slice.offset;
        const size_t at = static_cast<size_t>(window.start + slice.offset);  // for messages
        if (capacity < slice.length + simdjson::SIMDJSON_PADDING) {
            padded.assign(data, slice.length);
            padded.append(simdjson::SIMDJSON_PADDING, ' ');
            data = padded.data();
            capacity = padded.size();
        }
        od::document doc;
        simdjson::error_code error = parser.iterate(data, slice.length, capacity).get(doc);
        if (error == simdjson::UTF8_ERROR) {
            // A stray byte in a name (Latin-1 text, a multi-byte character cut short) should not
            // cost the whole event: parse a copy with each invalid byte replaced by '?'.
            repaired.assign(data, slice.length);
            replaceInvalidUtf8(repaired);
            repaired.append(simdjson::SIMDJSON_PADDING, ' ');
            data = repaired.data();
            error = parser.iterate(data, slice.length, repaired.size()).get(doc);
            if (!error && !forcedPhase) ++chunk.utf8Repaired;
        }
        if (error) {
            chunk.skip(error == simdjson::UTF8_ERROR ? "not valid UTF-8" : "not valid JSON", at);
            return;
        }
        od::object obj;
        if (doc.get_object().get(obj)) {
            chunk.skip("event is not an object", at);
            return;
        }
        parseEvent(obj, window, slice, chunk, forcedPhase, false);
    }

    // Parses events [lo, hi) of `window` into `chunk`. Runs of events are parsed as one JSON array
    // each (one simdjson document for a few hundred events: its per-document cost, stage 1 above
    // all, dwarfs a 250-byte event's own). Anything unusual in a run (a malformed event, a field of
    // the wrong type, invalid UTF-8, "args" before "ph") drops what the range added and reads its
    // events one by one as parse() does, so the result is the same either way.
    void parseRange(const TextWindow& window, const std::vector<json::EventSlice>& events, size_t lo, size_t hi,
                    ChunkState& chunk) {
        constexpr size_t kRunBytes = 256u << 10;  // stage 1's output stays in cache
        for (size_t first = lo; first < hi;) {
            size_t last = first + 1;
            const size_t begin = events[first].offset;
            while (last < hi && events[last].offset + events[last].length - begin <= kRunBytes) ++last;
            if (!parseRun(window, events, first, last, chunk)) {
                chunk = ChunkState();
                for (size_t i = lo; i < hi; ++i) parse(window, events[i], chunk);
                return;
            }
            first = last;
        }
    }

    bool parseRun(const TextWindow& window, const std::vector<json::EventSlice>& events, size_t first, size_t last,
                  ChunkState& chunk) {
        const size_t begin = events[first].offset, end = events[last - 1].offset + events[last - 1].length;
        runText.clear();
        runText.reserve(end - begin + 2 + simdjson::SIMDJSON_PADDING);
        runText += '[';
        runText.append(window.data + begin, end - begin);
        runText += ']';
        const size_t length = runText.size();
        runText.append(simdjson::SIMDJSON_PADDING, ' ');
        od::document doc;
        od::array array;
        if (runParser.iterate(runText.data(), length, runText.size()).get(doc) || doc.get_array().get(array))
            return false;
        size_t i = first;
        for (auto element : array) {
            od::object obj;
            if (i == last || element.get_object().get(obj)) return false;
            if (!parseEvent(obj, window, events[i], chunk, 0, true)) return false;
            ++i;
        }
        return i == last;
    }

    // One event's fields. `inRun`: the event is an element of a run (parseRange): instead of
    // skipping it, give up (false) so that the run is read event by event.
    bool parseEvent(od::object obj, const TextWindow& window, const json::EventSlice& slice, ChunkState& chunk,
                    char forcedPhase, bool inRun) {
        const size_t at = static_cast<size_t>(window.start + slice.offset);  // for messages
        std::string_view ph, bp;
        std::string_view nameStore, catStore;  // in the parser's string buffer, valid for this event
        char phaseChar = forcedPhase;
        char argsParsedAs = 0;
        bool hasArgs = false;
        int64_t pid = 0, tid = 0;
        TimeNs ts = 0, dur = 0;
        bool hasTs = false, hasDur = false;
        uint64_t flowId = 0;
        bool hasId = false;
        ParsedArgs& args = argsScratch;
        args.clear();
        for (auto field : obj) {
            EventKey key;
            od::value value;
            if (!readEventField(field, key, value)) {
                if (inRun) return false;
                chunk.skip("malformed event", at);
                return true;
            }
            bool good = true;
            const char* keyName = "";  // for the message when the value has the wrong type
            switch (key) {
            case EventKey::Ph:
                keyName = "ph";
                good = !value.get_string().get(ph);
                if (good && !forcedPhase) phaseChar = ph.size() == 1 ? ph[0] : '?';
                break;
            case EventKey::Name: {
                keyName = "name";
                std::string_view s;
                good = !value.get_string().get(s);
                if (good) nameStore = s;
                break;
            }
            case EventKey::Cat: {
                keyName = "cat";
                std::string_view s;
                good = !value.get_string().get(s);
                if (good) catStore = s;
                break;
            }
            case EventKey::Pid:
                keyName = "pid";
                good = readId(value, pid, chunk);
                break;
            case EventKey::Tid:
                keyName = "tid";
                good = readId(value, tid, chunk);
                break;
            case EventKey::Ts:
                keyName = "ts";
                good = parseMicrosToNs(trim(value.raw_json_token()), ts);
                hasTs = good;
                break;
            case EventKey::Dur:
                keyName = "dur";
                good = parseMicrosToNs(trim(value.raw_json_token()), dur) && dur <= kMaxDurationNs;
                hasDur = good;
                break;
            case EventKey::Id:
            case EventKey::BindId: {
                int64_t id = 0;
                std::string_view s;
                if (readInt(value, id)) {
                    flowId = static_cast<uint64_t>(id);
                    hasId = true;
                } else if (!value.get_string().get(s)) {
                    flowId = static_cast<uint64_t>(labelKey(s));
                    hasId = true;
                }
                break;
            }
            case EventKey::Bp: {
                std::string_view s;
                if (!value.get_string().get(s)) bp = s.size() == 1 && s[0] == 'e' ? "e" : "";
                break;
            }
            case EventKey::Args: {
                keyName = "args";
                od::json_type type;
                if (!value.type().get(type) && type == od::json_type::object) {
                    hasArgs = true;
                    argsParsedAs = phaseChar;
                    good = parseArgs(value, phaseChar, args);
                }  // args that are not an object are ignored, not fatal
                break;
            }
            case EventKey::Other: break;
            }
            if (!good) {
                if (inRun) return false;
                chunk.skip("field \"" + std::string(keyName) + "\" has the wrong type", at);
                return true;
            }
        }
        const char phase = phaseChar;
        if (hasArgs && (phase == 'M' || phase == 'C') && argsParsedAs != phase && !forcedPhase) {
            // "args" came before "ph": read the event again now that its phase is known.
            if (inRun) return false;
            parse(window, slice, chunk, phase);
            return true;
        }
        if (phase == 0) {
            chunk.skip("event has no \"ph\"", at);
            return true;
        }
        const TrackKey key{pid, tid};
        switch (phase) {
        case 'X': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            if (!hasDur || dur < 0) dur = 0;
            chunk.lastEnd = std::max(chunk.lastEnd, ts + dur);
            addSlice(chunk, key, ts, dur, nameStore, catStore, args);
            break;
        }
        case 'B':
        case 'E': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            chunk.lastEnd = std::max(chunk.lastEnd, ts);
            chunk.beginEnds.push_back({key, phase == 'B', ts, chunk.strings.intern(nameStore),
                                       chunk.strings.intern(catStore),
                                       args.compact.empty() ? 0 : chunk.argTexts.intern(args.compact), at});
            ++chunk.events;
            break;
        }
        case 'i':
        case 'I':
        case 'R': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            chunk.lastEnd = std::max(chunk.lastEnd, ts);
            LocalTrack& t = chunk.track(key);
            appendEvent(t.columns, ts, 0, chunk.strings.intern(nameStore), chunk.strings.intern(catStore),
                        EventKind::Instant, 0, args.compact.empty() ? 0 : chunk.argTexts.intern(args.compact));
            ++chunk.events;
            break;
        }
        case 'C': {
            if (!hasTs) {
                chunk.skip("event has no \"ts\"", at);
                return true;
            }
            for (auto& [series, value] : args.counterValues)
                chunk.counters.push_back({key, args.counterValues.size() == 1 ? std::string(nameStore) : std::string(nameStore) + "." + series,
                                          ts, value});
            ++chunk.events;
            break;
        }
        case 'M': {
            MetaRecord m{key, MetaKind::ProcessName, args.name, args.sortIndex};
            if (nameStore == "process_name") m.kind = MetaKind::ProcessName;
            else if (nameStore == "process_labels") m.kind = MetaKind::ProcessLabels;
            else if (nameStore == "process_sort_index") m.kind = MetaKind::ProcessSort;
            else if (nameStore == "thread_name") m.kind = MetaKind::ThreadName;
            else if (nameStore == "thread_sort_index") m.kind = MetaKind::ThreadSort;
            else break;  // other metadata (e.g. process_uptime) carries nothing we show
            const bool sort = m.kind == MetaKind::ProcessSort || m.kind == MetaKind::ThreadSort;
            if (sort ? !args.hasSortIndex : !args.hasName) break;  // a name that is not a string, ...
            chunk.metas.push_back(std::move(m));
            break;
        }
        case 's':
        case 't':
        case 'f': {
            if (!hasTs || !hasId) {
                chunk.skip("flow event without \"ts\" or \"id\"", at);
                return true;
            }
            chunk.flows.push_back({key, ts, flowId, phase, phase != 'f' || !bp.empty(),
                                   chunk.strings.intern(catStore), chunk.strings.intern(nameStore)});
            break;
        }
        default:
            ++chunk.unknownPhases[json::printable(std::string_view(&phase, 1))];
            break;
        }
        return true;
    }

    static std::string_view trim(std::string_view s) {
        while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
            s.remove_suffix(1);
        return s;
    }

    static void appendEvent(Track& t, TimeNs ts, TimeNs dur, StringId name, StringId cat, EventKind kind,
                            int64_t correlation, StringId args) {
        t.start.push_back(ts);
        t.dur.push_back(dur);
        t.nameId.push_back(name);
        t.category.push_back(cat);
        t.kind.push_back(kind);
        t.correlation.push_back(correlation);
        t.args.push_back(args);
    }

    static void addSlice(ChunkState& chunk, TrackKey key, TimeNs ts, TimeNs dur, std::string_view name,
                         std::string_view cat, const ParsedArgs& args) {
        EventKind kind;
        const StringId category = chunk.category(cat, kind);
        LocalTrack& t = chunk.track(key);
        appendEvent(t.columns, ts, dur, chunk.strings.intern(name), category, kind, args.correlation,
                    args.compact.empty() ? 0 : chunk.argTexts.intern(args.compact));
        if (isGpuWork(kind) || kind == EventKind::GpuUserRange || kind == EventKind::GpuSync) {
            t.gpuHint = true;
            if (args.device >= 0) t.device = static_cast<int32_t>(args.device);
            // latency columns only on tracks that have GPU work
            if (t.columns.queued.size() + 1 < t.columns.size()) {
                t.columns.queued.resize(t.columns.size() - 1, 0);
                t.columns.submitted.resize(t.columns.size() - 1, 0);
            }
            t.columns.queued.push_back(args.queuedNs);
            t.columns.submitted.push_back(args.submittedNs);
        }
        ++chunk.events;
    }
};

// ---------------------------------------------------------------------------------------------
// Merging chunks of one file into the trace.

struct FileContext {
    uint32_t fileIndex = 0;
    int64_t correlationOffset = 0;
    TimeNs baseNs = 0;   // baseTimeNanoseconds: ts are relative to it
    std::unordered_map<int64_t, uint32_t> processByPid;
    std::unordered_map<TrackKey, uint32_t, TrackKeyHash> trackByKey;
    std::unordered_map<TrackKey, std::vector<BeginEnd>, TrackKeyHash> openBegins;
    std::unordered_map<int64_t, std::string> labels;
    // Global string ids, track keys of this file; kept as the chunks' vectors (no copy, no growth).
    std::vector<std::vector<PendingFlow>> flows;
    std::map<std::string, CounterSeries*> counterByName;
};

struct ResolvedFlow {
    uint32_t track;
    TimeNs ts;
    uint64_t id;
    char phase;
    bool bindEnclosing;
    StringId category, name;
};

// Events of one track in file order, kept as the pieces they were read in until the file is read:
// the columns a chunk parsed (string ids still the chunk's, with the tables that map them to the
// trace's), or events the merge made itself (B/E pairs, with the trace's ids). Once the file is
// read, each column of each track is copied once into an allocation of its exact size, on all
// threads: no column grows by doubling and is shrunk again afterwards.
struct TrackPiece {
    Track columns;
    std::shared_ptr<const std::vector<StringId>> names, argIds;  // null: ids are the trace's already
};

class Merger {
public:
    Merger(Trace& trace, FileContext& file) : trace_(trace), file_(file) {}

    uint32_t process(int64_t pid) {
        auto it = file_.processByPid.find(pid);
        if (it != file_.processByPid.end()) return it->second;
        const uint32_t p = trace_.addProcess(pid, {}, file_.fileIndex);
        if (auto l = file_.labels.find(pid); l != file_.labels.end())
            trace_.processes[p].pidLabel = l->second.empty() ? "(global)" : l->second;
        file_.processByPid.emplace(pid, p);
        return p;
    }

    uint32_t track(TrackKey key) {
        auto it = file_.trackByKey.find(key);
        if (it != file_.trackByKey.end()) return it->second;
        const uint32_t p = process(key.pid);
        const uint32_t t = trace_.addTrack(p, TrackKind::CpuThread, key.tid, {});
        if (auto l = file_.labels.find(key.tid); l != file_.labels.end()) trace_.tracks[t].tidLabel = l->second;
        file_.trackByKey.emplace(key, t);
        return t;
    }

    void merge(ChunkState& chunk) {
        for (auto& [k, v] : chunk.labels) file_.labels.emplace(k, v);
        auto namesTable = std::make_shared<std::vector<StringId>>(chunk.strings.size(), 0);
        auto argsTable = std::make_shared<std::vector<StringId>>(chunk.argTexts.size(), 0);
        std::vector<StringId>& names = *namesTable;
        std::vector<StringId>& argIds = *argsTable;
        for (StringId i = 1; i < chunk.strings.size(); ++i) names[i] = trace_.strings.intern(chunk.strings.str(i));
        for (StringId i = 1; i < chunk.argTexts.size(); ++i) argIds[i] = trace_.argTexts.intern(chunk.argTexts.str(i));

        for (LocalTrack& lt : chunk.tracks) {
            const uint32_t ti = track(lt.key);
            if (lt.gpuHint) {
                gpuTracks_.push_back(ti);
                if (lt.device >= 0) trace_.tracks[ti].device = lt.device;
            }
            if (lt.columns.empty()) continue;
            pieces(ti).push_back({std::move(lt.columns), namesTable, argsTable});
        }
        for (MetaRecord& m : chunk.metas) applyMeta(m);
        for (BeginEnd& be : chunk.beginEnds) {
            be.name = names[be.name];
            be.category = names[be.category];
            be.args = argIds[be.args];
            pairBeginEnd(be);
        }
        for (PendingFlow& f : chunk.flows) {
            f.category = names[f.category];
            f.name = names[f.name];
        }
        if (!chunk.flows.empty()) file_.flows.push_back(std::move(chunk.flows));
        for (CounterSample& s : chunk.counters) {
            const std::string key = std::to_string(s.key.pid) + "\x1f" + s.series;
            auto it = file_.counterByName.find(key);
            if (it == file_.counterByName.end()) {
                trace_.counters.push_back({process(s.key.pid), s.series, {}, {}});
                it = file_.counterByName.emplace(key, nullptr).first;
                counterIndex_[key] = trace_.counters.size() - 1;
            }
            CounterSeries& series = trace_.counters[counterIndex_[key]];
            series.time.push_back(s.ts);
            series.value.push_back(s.value);
        }
    }

    // Closes B events left open at the end of the file at the file's last timestamp.
    uint64_t closeOpenBegins(TimeNs lastTs) {
        uint64_t n = 0;
        for (auto& [key, stack] : file_.openBegins)
            for (const BeginEnd& b : stack) {
                emit(key, b, std::max(lastTs, b.ts));
                ++n;
            }
        file_.openBegins.clear();
        return n;
    }

    // Copies the pieces of each track into its columns, with `threads` threads (see TrackPiece),
    // and runs `alongside` as one more job.
    void assemble(unsigned threads, const std::function<void()>& alongside);

    uint64_t unmatchedEnds = 0;
    std::vector<uint32_t> gpuTracks_;

private:
    void applyMeta(MetaRecord m) {
        // Kineto pads some names ("stream 7 "): trailing blanks carry nothing.
        while (!m.text.empty() && m.text.back() == ' ') m.text.pop_back();
        switch (m.kind) {
        case MetaKind::ProcessName: trace_.processes[process(m.key.pid)].name = m.text; break;
        case MetaKind::ProcessLabels: trace_.processes[process(m.key.pid)].labels = m.text; break;
        case MetaKind::ProcessSort:
            trace_.processes[process(m.key.pid)].sortIndex = static_cast<int32_t>(m.number);
            break;
        case MetaKind::ThreadName: trace_.tracks[track(m.key)].name = m.text; break;
        case MetaKind::ThreadSort: trace_.tracks[track(m.key)].sortIndex = static_cast<int32_t>(m.number); break;
        }
    }

    void pairBeginEnd(const BeginEnd& be) {
        auto& stack = file_.openBegins[be.key];
        if (be.begin) {
            stack.push_back(be);
            return;
        }
        if (stack.empty()) {
            ++unmatchedEnds;
            return;
        }
        BeginEnd b = stack.back();
        stack.pop_back();
        if (b.args == 0) b.args = be.args;
        emit(be.key, b, be.ts);
    }

    void emit(TrackKey key, const BeginEnd& b, TimeNs endTs) {
        const uint32_t ti = track(key);
        const EventKind kind = eventKindFromCategory(trace_.strings.str(b.category));
        std::vector<TrackPiece>& list = pieces(ti);
        if (list.empty() || list.back().names) list.emplace_back();
        Track& t = list.back().columns;
        t.start.push_back(b.ts);
        t.dur.push_back(std::max<TimeNs>(0, endTs - b.ts));
        t.nameId.push_back(b.name);
        t.category.push_back(b.category);
        t.kind.push_back(kind);
        t.correlation.push_back(0);
        t.args.push_back(b.args);
    }

    std::vector<TrackPiece>& pieces(uint32_t ti) {
        if (ti >= pieces_.size()) pieces_.resize(ti + 1);
        return pieces_[ti];
    }

    Trace& trace_;
    FileContext& file_;
    std::vector<std::vector<TrackPiece>> pieces_;  // by trace track index
    std::map<std::string, size_t> counterIndex_;
};

void Merger::assemble(unsigned threads, const std::function<void()>& alongside) {
    // Sizes first: the jobs below change the pieces (each frees what it copied).
    struct Sizes {
        size_t total = 0;
        bool latency = false;
        std::vector<size_t> pieces;
    };
    std::vector<Sizes> sizes(pieces_.size());
    // One job per column of a track that has pieces: columns are independent, and the few big
    // tracks (the main thread, the busy streams) then spread over the threads too.
    enum Column : uint8_t { Start, Dur, Kind, Correlation, Name, Category, Args, Latency, kColumns };
    std::vector<std::pair<uint32_t, Column>> jobs;
    for (uint32_t ti = 0; ti < pieces_.size(); ++ti) {
        if (pieces_[ti].empty()) continue;
        Sizes& z = sizes[ti];
        z.total = trace_.tracks[ti].size();
        z.latency = !trace_.tracks[ti].queued.empty();
        for (const TrackPiece& p : pieces_[ti]) {
            z.pieces.push_back(p.columns.size());
            z.total += p.columns.size();
            z.latency = z.latency || !p.columns.queued.empty();
        }
        for (uint8_t c = 0; c < kColumns; ++c) jobs.push_back({ti, static_cast<Column>(c)});
    }
    const int64_t correlationOffset = file_.correlationOffset;
    auto copyColumn = [&](uint32_t ti, Column column) {
        Track& t = trace_.tracks[ti];
        std::vector<TrackPiece>& list = pieces_[ti];
        const Sizes& z = sizes[ti];
        auto plain = [&](auto& out, auto member) {
            out.reserve(z.total);
            for (TrackPiece& p : list) {
                auto& in = p.columns.*member;
                out.insert(out.end(), in.begin(), in.end());
                std::remove_reference_t<decltype(in)>().swap(in);
            }
        };
        auto mapped = [&](std::vector<StringId>& out, std::vector<StringId> Track::*member, bool args) {
            out.reserve(z.total);
            for (TrackPiece& p : list) {
                std::vector<StringId>& in = p.columns.*member;
                const std::vector<StringId>* table = args ? p.argIds.get() : p.names.get();
                if (!table) out.insert(out.end(), in.begin(), in.end());
                else
                    for (StringId id : in) out.push_back((*table)[id]);
                std::vector<StringId>().swap(in);
            }
        };
        switch (column) {
        case Start: plain(t.start, &Track::start); break;
        case Dur: plain(t.dur, &Track::dur); break;
        case Kind: plain(t.kind, &Track::kind); break;
        case Correlation: {
            const size_t base = t.correlation.size();
            plain(t.correlation, &Track::correlation);
            for (size_t i = base; i < t.correlation.size(); ++i)
                if (t.correlation[i] != 0) t.correlation[i] += correlationOffset;
            break;
        }
        case Name: mapped(t.nameId, &Track::nameId, false); break;
        case Category: mapped(t.category, &Track::category, false); break;
        case Args: mapped(t.args, &Track::args, true); break;
        case Latency:
            // Latency columns stay as long as the others once any piece has them (a batch may hold
            // only CPU-side events of a track with GPU work): zeros where a piece has none.
            if (!z.latency) break;
            for (auto member : {&Track::queued, &Track::submitted}) {
                std::vector<TimeNs>& out = t.*member;
                out.reserve(z.total);
                out.resize(z.total - std::accumulate(z.pieces.begin(), z.pieces.end(), size_t(0)), 0);
                for (size_t k = 0; k < list.size(); ++k) {
                    std::vector<TimeNs>& in = list[k].columns.*member;
                    out.insert(out.end(), in.begin(), in.end());
                    out.resize(out.size() + (z.pieces[k] - in.size()), 0);
                    std::vector<TimeNs>().swap(in);
                }
            }
            break;
        default: break;
        }
    };
    // Job 0 is `alongside`, the others copy one column each.
    runJobs(jobs.size() + 1, threads, [&](size_t j) {
        if (j == 0) alongside();
        else copyColumn(jobs[j - 1].first, jobs[j - 1].second);
    });
    pieces_.clear();
}

// Track kinds, decided once all events of the file are in.
void classifyTracks(Trace& trace, const FileContext& file, const std::vector<uint32_t>& gpuTracks) {
    for (auto& [key, ti] : file.trackByKey) {
        Track& t = trace.tracks[ti];
        const Process& p = trace.processes[t.process];
        if (std::find(gpuTracks.begin(), gpuTracks.end(), ti) != gpuTracks.end()) {
            t.trackKind = TrackKind::GpuStream;
            if (t.device < 0) t.device = static_cast<int32_t>(p.pid >= 0 && p.pid < 1024 ? p.pid : 0);
            if (t.name.empty()) t.name = "stream " + std::to_string(t.tid);
        } else if (p.pid == -1 || (!t.empty() && std::all_of(t.kind.begin(), t.kind.end(), [](EventKind k) {
                                       return k == EventKind::Overhead;
                                   }))) {
            t.trackKind = TrackKind::Overhead;
            if (t.name.empty()) t.name = "CUPTI overhead";
        } else if (!p.pidLabel.empty()) {
            t.trackKind = TrackKind::Other;
        }
        if (t.name.empty()) t.name = t.tidLabel.empty() ? "thread " + std::to_string(t.tid) : t.tidLabel;
    }
}

// Drops tracks with no events and processes with no tracks (Kineto lists all 8 GPUs of a node).
void dropEmpty(Trace& trace) {
    std::vector<uint32_t> trackMap(trace.tracks.size(), EventRef::kNone);
    std::vector<Track> tracks;
    for (uint32_t i = 0; i < trace.tracks.size(); ++i)
        if (!trace.tracks[i].empty()) {
            trackMap[i] = static_cast<uint32_t>(tracks.size());
            tracks.push_back(std::move(trace.tracks[i]));
        }
    std::vector<uint32_t> processMap(trace.processes.size(), EventRef::kNone);
    std::vector<Process> processes;
    std::vector<bool> used(trace.processes.size(), false);
    for (const Track& t : tracks) used[t.process] = true;
    for (const CounterSeries& c : trace.counters) used[c.process] = true;
    for (uint32_t i = 0; i < trace.processes.size(); ++i)
        if (used[i]) {
            processMap[i] = static_cast<uint32_t>(processes.size());
            processes.push_back(std::move(trace.processes[i]));
            processes.back().tracks.clear();
        }
    for (uint32_t i = 0; i < tracks.size(); ++i) {
        tracks[i].process = processMap[tracks[i].process];
        processes[tracks[i].process].tracks.push_back(i);
    }
    for (CounterSeries& c : trace.counters) c.process = processMap[c.process];
    trace.tracks = std::move(tracks);
    trace.processes = std::move(processes);
}

struct FlowEndpoints {
    std::vector<ResolvedFlow> all;
};

// The event a flow endpoint binds to: the innermost slice enclosing ts (bindEnclosing), else the
// first slice starting at or after ts.
EventRef bindFlow(const Trace& trace, uint32_t ti, TimeNs ts, bool enclosing) {
    const Track& t = trace.tracks[ti];
    auto it = std::upper_bound(t.start.begin(), t.start.end(), ts);
    if (enclosing && it != t.start.begin()) {
        uint32_t i = static_cast<uint32_t>(it - t.start.begin() - 1);
        while (true) {
            if (t.start[i] <= ts && ts <= t.end(i)) return {ti, i};
            if (t.parent[i] == EventRef::kNone) break;
            i = t.parent[i];
        }
    }
    auto first = std::lower_bound(t.start.begin(), t.start.end(), ts);
    if (first != t.start.end()) return {ti, static_cast<uint32_t>(first - t.start.begin())};
    return {};
}

void shrinkColumns(Track& t) {
    t.start.shrink_to_fit();
    t.dur.shrink_to_fit();
    t.nameId.shrink_to_fit();
    t.category.shrink_to_fit();
    t.kind.shrink_to_fit();
    t.correlation.shrink_to_fit();
    t.args.shrink_to_fit();
    t.queued.shrink_to_fit();
    t.submitted.shrink_to_fit();
}

// Text is read in windows of this size (.gz: inflated; plain files are mapped whole) and parsed in
// batches of a quarter of it: what is in memory at once besides the model.
constexpr size_t kDefaultWindowBytes = 32u << 20;

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

// ---------------------------------------------------------------------------------------------

namespace {

// ImportOptions::alignFilesAtStart: moves one file's events, latency timestamps, counters and flow
// endpoints so that its earliest event starts at *alignAt (set by the first file that has events).
void alignFileStart(Trace& trace, uint32_t fileIndex, const std::unordered_map<TrackKey, uint32_t, TrackKeyHash>& tracks,
                    std::vector<ResolvedFlow>& flows, size_t fileFlowsBegin, std::optional<TimeNs>& alignAt) {
    TimeNs first = std::numeric_limits<TimeNs>::max();
    for (const auto& [key, ti] : tracks)
        for (TimeNs s : trace.tracks[ti].start) first = std::min(first, s);
    if (first == std::numeric_limits<TimeNs>::max()) return;  // no events
    if (!alignAt) alignAt = first;
    const TimeNs shift = *alignAt - first;
    if (shift == 0) return;
    for (const auto& [key, ti] : tracks) {
        Track& t = trace.tracks[ti];
        for (TimeNs& s : t.start) s += shift;
        for (TimeNs& q : t.queued) q = q ? q + shift : 0;
        for (TimeNs& q : t.submitted) q = q ? q + shift : 0;
    }
    for (CounterSeries& c : trace.counters)
        if (trace.processes[c.process].file == fileIndex)
            for (TimeNs& x : c.time) x += shift;
    for (size_t i = fileFlowsBegin; i < flows.size(); ++i) flows[i].ts += shift;
}

// ImportOptions::alignFilesAtStart: runs recorded one after another on the same GPU now overlap in
// time; analysed as one device their busy time and gaps would mix. A device number that an earlier
// file already uses gets the next free one; the GPU process's name says which it was.
void separateAlignedDevices(Trace& trace, const std::string& path,
                            const std::unordered_map<TrackKey, uint32_t, TrackKeyHash>& tracks,
                            std::vector<int32_t>& devicesOfEarlierFiles, std::vector<std::string>& warnings) {
    std::map<int32_t, int32_t> renumbered;  // this file's device -> its number in the trace
    for (const auto& [key, ti] : tracks) {
        const Track& t = trace.tracks[ti];
        if (t.device >= 0) renumbered.emplace(t.device, t.device);
    }
    auto used = [&](int32_t d) {
        return std::find(devicesOfEarlierFiles.begin(), devicesOfEarlierFiles.end(), d) != devicesOfEarlierFiles.end();
    };
    int32_t next = 0;
    for (int32_t d : devicesOfEarlierFiles) next = std::max(next, d + 1);
    for (auto& [own, shown] : renumbered)
        if (used(own)) shown = next++;
    const std::string file = std::filesystem::path(path).filename().string();
    for (const auto& [own, shown] : renumbered) {
        devicesOfEarlierFiles.push_back(shown);
        if (own == shown) continue;
        warnings.push_back(path + ": GPU " + std::to_string(own) + " is shown and analysed as GPU " +
                           std::to_string(shown) + ", apart from the other files' GPU " + std::to_string(own) +
                           " (files aligned at their start)");
    }
    std::vector<bool> renamed(trace.processes.size(), false);
    for (const auto& [key, ti] : tracks) {
        Track& t = trace.tracks[ti];
        if (t.device < 0 || renumbered.at(t.device) == t.device) continue;
        const int32_t own = t.device;
        t.device = renumbered.at(own);
        if (renamed[t.process]) continue;
        renamed[t.process] = true;
        Process& p = trace.processes[t.process];
        const std::string was = file + ": GPU " + std::to_string(own);
        const bool plain = p.name.empty() || p.name == "GPU " + std::to_string(own);
        p.name = "GPU " + std::to_string(t.device) + " (" + (plain ? was : was + ", " + p.name) + ")";
    }
}

}  // namespace

ImportResult importTraces(const std::vector<std::string>& paths, Trace& trace, const ImportOptions& options) {
    ImportResult result;
    result.ok = false;
    std::vector<ResolvedFlow> flows;
    std::optional<TimeNs> alignAt;  // alignFilesAtStart: where every file's first event goes
    std::vector<int32_t> devicesOfEarlierFiles;  // alignFilesAtStart: device numbers taken so far
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = options.threads ? options.threads : hw;
    bool anyFile = false;
    std::vector<std::string> errors;
    std::vector<ChunkParser> parsers(threads);  // one per thread, reused across batches and files
    const size_t kWindowBytes = options.windowBytes ? options.windowBytes : kDefaultWindowBytes;
    const size_t kBatchBytes = std::max<size_t>(1, kWindowBytes / 4);

    for (size_t fileIndex = 0; fileIndex < paths.size(); ++fileIndex) {
        const std::string& path = paths[fileIndex];
        InputBuffer input;
        std::string status = input.open(path);
        TextWindow window;
        if (status.empty()) status = input.next(window, 0, kWindowBytes);
        auto noteStatus = [&](const std::string& s) {
            if (s.empty()) return;
            result.warnings.push_back(s.rfind("warning:", 0) == 0 ? s.substr(8) : s);
            result.truncated = true;
        };
        if (!status.empty() && status.rfind("warning:", 0) != 0) {
            errors.push_back(status);
            continue;
        }
        noteStatus(status);

        FileContext file;
        file.fileIndex = static_cast<uint32_t>(fileIndex);
        file.correlationOffset = static_cast<int64_t>(fileIndex) << 40;
        Merger merger(trace, file);
        json::TraceScanner scanner;
        size_t pos = 0;            // scanner position in `window`
        uint64_t lastEventEnd = 0; // end of the last complete event, in the whole text

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
        uint64_t skipped = 0, utf8Repaired = 0;
        std::string firstSkip;
        std::map<std::string, uint64_t> unknownPhases;
        TimeNs lastTs = 0;
        auto mergeBatch = [&](Batch& b) {
            for (ChunkState& chunk : b.pieces) {
                lastTs = std::max(lastTs, chunk.lastEnd);
                merger.merge(chunk);
                result.eventsRead += chunk.events;
                if (chunk.skipped && firstSkip.empty())
                    firstSkip = chunk.firstSkip + " at byte " + std::to_string(chunk.firstSkipOffset);
                skipped += chunk.skipped;
                utf8Repaired += chunk.utf8Repaired;
                for (auto& [ph, count] : chunk.unknownPhases) unknownPhases[ph] += count;
                chunk = ChunkState();
            }
        };
        auto cancelled = [&] { return options.cancel && options.cancel->load(); };
        auto parseSome = [&](Batch& b, ChunkParser& parser) {
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
            auto step = [&](ChunkParser& parser) {
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
        // Cancelled: what was merged so far is kept and finished like a whole file; later files
        // are not read.
        const bool stop = cancelled();
        if (stop) result.warnings.push_back(path + ": import cancelled");

        const uint64_t textEnd = window.start + window.size;
        if (!scanner.error().empty() && scanner.eventCount() == 0) {
            errors.push_back(path + ": " + scanner.error() + " at byte " + std::to_string(scanner.errorOffset()));
            continue;
        }
        if (scanner.truncated()) {
            if (scanner.eventCount() == 0) {
                errors.push_back(path + ": truncated JSON: the file ends at byte " + std::to_string(textEnd) +
                                 " before any complete event");
                continue;
            }
            result.warnings.push_back(path + ": truncated JSON: the file ends at byte " + std::to_string(textEnd) +
                                      "; read the " + std::to_string(scanner.eventCount()) +
                                      " complete events before byte " + std::to_string(lastEventEnd));
            result.truncated = true;
        } else if (!scanner.error().empty()) {
            result.warnings.push_back(path + ": " + scanner.error() + " at byte " +
                                      std::to_string(scanner.errorOffset()) + "; events before it were read");
        } else if (const size_t extra = json::skipWhitespace(window.text(), pos);
                   scanner.done() && extra < window.size) {
            result.warnings.push_back(path + ": ignored text after the end of the trace at byte " +
                                      std::to_string(window.start + extra));
        }
        anyFile = true;
        trace.sourcePaths.push_back(path);

        nlohmann::json meta = nlohmann::json::object();
        for (const auto& [key, raw] : scanner.otherMembers()) {
            if (raw.size() > (1u << 20)) continue;  // only small metadata documents
            meta[key] = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, false);
        }
        if (meta.contains("baseTimeNanoseconds") && meta["baseTimeNanoseconds"].is_number_integer()) {
            const auto& base = meta["baseTimeNanoseconds"];
            const int64_t ns = base.is_number_unsigned() && base.get<uint64_t>() > uint64_t(kMaxAbsTimeNs)
                                   ? kMaxAbsTimeNs + 1
                                   : base.get<int64_t>();
            if (ns >= -kMaxAbsTimeNs && ns <= kMaxAbsTimeNs) file.baseNs = ns;
            else result.warnings.push_back(path + ": ignored baseTimeNanoseconds out of range");
        }
        // Several files: "files" is indexed like Process::file (null where a file could not be read).
        if (paths.size() == 1) trace.metadata = meta;
        else trace.metadata["files"][fileIndex] = std::move(meta);

        const uint64_t unclosed = merger.closeOpenBegins(lastTs);
        // Flow endpoints of this file onto trace tracks, while the columns are assembled: all tracks
        // exist by now, and neither touches what the other writes.
        auto resolveFlows = [&] {
            size_t fileFlows = 0;
            for (const std::vector<PendingFlow>& piece : file.flows) fileFlows += piece.size();
            flows.reserve(flows.size() + fileFlows);
            for (const std::vector<PendingFlow>& piece : file.flows) {
                for (const PendingFlow& f : piece) {
                    auto it = file.trackByKey.find(f.key);
                    if (it == file.trackByKey.end()) continue;
                    flows.push_back({it->second, f.ts + file.baseNs, f.id + (static_cast<uint64_t>(fileIndex) << 48),
                                     f.phase, f.bindEnclosing, f.category, f.name});
                }
            }
        };
        const size_t fileFlowsBegin = flows.size();
        merger.assemble(threads, resolveFlows);
        if (skipped) {
            result.eventsSkipped += skipped;
            result.warnings.push_back(path + ": skipped " + std::to_string(skipped) + " malformed event" +
                                      (skipped == 1 ? "" : "s") + " (first: " + firstSkip + ")");
        }
        if (utf8Repaired)
            result.warnings.push_back(path + ": replaced bytes that are not UTF-8 with '?' in " +
                                      std::to_string(utf8Repaired) + " event" + (utf8Repaired == 1 ? "" : "s"));
        for (auto& [ph, count] : unknownPhases)
            result.warnings.push_back(path + ": ignored " + std::to_string(count) + " event" + (count == 1 ? "" : "s") +
                                      " of unknown phase '" + ph + "'");
        if (merger.unmatchedEnds)
            result.warnings.push_back(path + ": ignored " + std::to_string(merger.unmatchedEnds) +
                                      " 'E' events with no matching 'B'");
        if (unclosed)
            result.warnings.push_back(path + ": closed " + std::to_string(unclosed) +
                                      " 'B' events left open at the end of the trace");
        classifyTracks(trace, file, merger.gpuTracks_);

        // Times of this file: relative to baseTimeNanoseconds where given (Kineto), so add it to
        // make them absolute and line up with other files. Latency timestamps are absolute already.
        for (auto& [key, ti] : file.trackByKey) {
            Track& t = trace.tracks[ti];
            if (file.baseNs)
                for (TimeNs& s : t.start) s += file.baseNs;
        }
        if (file.baseNs)
            for (CounterSeries& c : trace.counters)
                if (trace.processes[c.process].file == file.fileIndex)
                    for (TimeNs& x : c.time) x += file.baseNs;
        if (options.alignFilesAtStart) {
            alignFileStart(trace, file.fileIndex, file.trackByKey, flows, fileFlowsBegin, alignAt);
            separateAlignedDevices(trace, path, file.trackByKey, devicesOfEarlierFiles, result.warnings);
        }
        if (stop) break;
    }

    if (!anyFile) {
        result.error = errors.empty() ? "no input file" : errors.front();
        for (size_t i = 1; i < errors.size(); ++i) result.warnings.push_back(errors[i]);
        trace.finalize();
        return result;
    }
    for (const std::string& e : errors) result.warnings.push_back(e);
    result.ok = true;

    // Empty tracks go before finalize; flows refer to tracks by index, so remap them too.
    {
        std::vector<uint32_t> remap(trace.tracks.size(), EventRef::kNone);
        uint32_t next = 0;
        for (uint32_t i = 0; i < trace.tracks.size(); ++i)
            if (!trace.tracks[i].empty()) remap[i] = next++;
        dropEmpty(trace);
        size_t kept = 0;
        for (const ResolvedFlow& f : flows)
            if (remap[f.track] != EventRef::kNone) {
                flows[kept] = f;
                flows[kept++].track = remap[f.track];
            }
        flows.resize(kept);
    }
    // Columns were assembled at their exact size (Merger::assemble); any slack left, such as from
    // several files on one track, is given back here (memory per event).
    for (Track& t : trace.tracks) shrinkColumns(t);
    const TimeNs originBefore = trace.originAbsNs;
    trace.finalize(true, threads);
    const TimeNs shift = trace.originAbsNs - originBefore;

    // Latency timestamps are absolute ns, and finalize has moved them to trace time with the
    // starts. A track whose activities carry none (Kineto writes "queued": 0 unless latency
    // timestamps were on) keeps no latency columns.
    for (Track& t : trace.tracks) {
        if (std::all_of(t.queued.begin(), t.queued.end(), [](TimeNs q) { return q == 0; }) &&
            std::all_of(t.submitted.begin(), t.submitted.end(), [](TimeNs q) { return q == 0; })) {
            std::vector<TimeNs>().swap(t.queued);
            std::vector<TimeNs>().swap(t.submitted);
        }
    }
    // Flows: bind endpoints to events. ac2g flows (launch -> GPU) become launch links when the
    // events carry no correlation id of their own; other flows are kept as flows.
    std::unordered_map<uint64_t, std::pair<EventRef, const ResolvedFlow*>> starts;
    uint64_t unmatchedFlows = 0;
    bool linksChanged = false;
    // Starts first, then the other endpoints, each in file order.
    size_t flowStarts = 0;
    for (const ResolvedFlow& f : flows) flowStarts += f.phase == 's';
    starts.reserve(flowStarts);
    auto bindOne = [&](const ResolvedFlow& f) {
        const EventRef e = bindFlow(trace, f.track, f.ts - shift, f.bindEnclosing);
        if (!e.valid()) {
            ++unmatchedFlows;
            return;
        }
        if (f.phase == 's') {
            starts[f.id] = {e, &f};
            return;
        }
        auto it = starts.find(f.id);
        if (it == starts.end()) {
            ++unmatchedFlows;
            return;
        }
        const EventRef from = it->second.first;
        Track& ft = trace.tracks[from.track];
        Track& tt = trace.tracks[e.track];
        const bool launch = isApiCall(ft.kind[from.index]) && isGpuWork(tt.kind[e.index]);
        if (launch) {
            if (ft.correlation[from.index] == 0 && tt.correlation[e.index] == 0) {
                const int64_t synthetic = static_cast<int64_t>(f.id | (1ull << 62));
                ft.correlation[from.index] = synthetic;
                tt.correlation[e.index] = synthetic;
                linksChanged = true;
            }
        } else if (trace.strings.str(f.category) != "ac2g") {
            trace.flows.push_back({from, e, f.id, f.category, f.name});
        }
        if (f.phase == 'f') starts.erase(it);
    };
    for (const ResolvedFlow& f : flows)
        if (f.phase == 's') bindOne(f);
    for (const ResolvedFlow& f : flows)
        if (f.phase != 's') bindOne(f);
    if (linksChanged) trace.resolveLinks();
#if defined(__GLIBC__)
    // The batches' buffers and the flow tables were freed while the model grew: hand the free heap
    // back to the system so that resident memory is the model's, not the peak of the import. Last,
    // once nothing of the import is left (a trim that ran beside the flow binding left ~10 B/event
    // of freed heap resident on 2 threads).
    std::unordered_map<uint64_t, std::pair<EventRef, const ResolvedFlow*>>().swap(starts);
    std::vector<ResolvedFlow>().swap(flows);
    ::malloc_trim(0);
#endif
    (void)unmatchedFlows;  // Kineto writes flow ends for calls that launched nothing: not worth a warning
    if (const uint64_t shared = trace.sharedLaunchCorrelations(); shared > 0)
        result.warnings.push_back((paths.size() == 1 ? paths.front() + ": " : std::string()) + std::to_string(shared) +
                                  " launch call" + (shared == 1 ? " reuses" : "s reuse") +
                                  " the correlation id of an earlier call; GPU work with that id links to the earlier one");
    return result;
}

ImportResult importChromeTrace(const std::string& path, Trace& trace, uint32_t, const ImportOptions& options) {
    return importTraces({path}, trace, options);
}

}  // namespace gaplens
