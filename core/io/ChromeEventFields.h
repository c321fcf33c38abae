#pragma once
// The fields of one Chrome trace event, read from simdjson's on-demand values: which key a field
// is (told apart on its raw text, without unescaping), ids and counts that may come as integers,
// floats or strings, and `args`: the keys the model stores in columns (correlation, device, stream,
// CUPTI's queued/submitted times) are taken out, keys unique to each event are dropped, and the
// rest is kept as compact JSON text so that identical args are stored once. For the parser
// (ChromeEventParser) only: this header brings in simdjson. Defined here, inline: they run for
// every field of every event and the parser's loop needs them inlined (calls into another file
// made the whole import ~30% slower).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "core/io/ChromeTimestamps.h"
#include "core/io/ImportChunk.h"

namespace gaplens::importer {

namespace od = simdjson::ondemand;

inline bool readInt(od::value v, int64_t& out) {
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

// pid/tid: a number, or a string (kept as a label in the chunk).
inline bool readId(od::value v, int64_t& out, ChunkState& chunk) {
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
inline bool rawJson(od::value v, std::string_view& out) {
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
inline bool isPerEventArg(std::string_view key) {
    return equals(key, "correlation") || equals(key, "External id") || equals(key, "Ev Idx") ||
           equals(key, "Record function id") || equals(key, "queued") || equals(key, "submitted") ||
           equals(key, "Sequence number") || equals(key, "Fwd thread id");
}

// What parseArgs takes out of an event's args.
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

// The key of a raw (still escaped) key text.
inline EventKey eventKey(const char* raw) {
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
inline EventKey eventKey(std::string_view key) {
    return equals(key, "ph") ? EventKey::Ph : equals(key, "pid") ? EventKey::Pid : equals(key, "name") ? EventKey::Name
         : equals(key, "cat") ? EventKey::Cat : equals(key, "ts") ? EventKey::Ts : equals(key, "tid") ? EventKey::Tid
         : equals(key, "dur") ? EventKey::Dur : equals(key, "id") ? EventKey::Id : equals(key, "bp") ? EventKey::Bp
         : equals(key, "bind_id") ? EventKey::BindId : equals(key, "args") ? EventKey::Args : EventKey::Other;
}

// Reads one field of an event: its key (see EventKey) and value; false when it is malformed.
inline bool readEventField(simdjson::simdjson_result<od::field> result, EventKey& key, od::value& value) {
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

// Reads an args object into `out` (see the top of this file). `phase`: 'M' takes name/labels and
// sort_index, 'C' takes every number as a counter value. False when the object is malformed.
inline bool parseArgs(od::value v, char phase, ParsedArgs& out) {
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

}  // namespace gaplens::importer
