#include "core/io/JsonEventTokenizer.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gaplens::json {

size_t skipWhitespace(std::string_view text, size_t pos) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t'))
        ++pos;
    return pos;
}

namespace {

// The scanner touches every byte of the file once, so the searches below look at 16 bytes at a
// time (SSE2 is part of every x86-64 CPU; elsewhere a plain loop does the same).

// First position at or after `i` holding '"' or '\\', or n.
inline size_t findQuoteOrBackslash(const char* d, size_t i, size_t n) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
        const int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        if (m) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(m)));
    }
#endif
    while (i < n && d[i] != '"' && d[i] != '\\') ++i;
    return i;
}

// Position after the closing quote of the string whose opening quote is at `pos`, or kNotFound.
size_t skipString(std::string_view text, size_t pos) {
    const char* d = text.data();
    const size_t n = text.size();
    size_t i = pos + 1;
    while (true) {
        i = findQuoteOrBackslash(d, i, n);
        if (i >= n) return kNotFound;
        if (d[i] == '"') return i + 1;
        i += 2;  // skip the escaped character
    }
}


// Bytes of `d` that continue a container walk one at a time: the exact rules of the block walk
// below, for blocks holding a backslash (escapes are rare) and for the last bytes of the text.
// Returns the position after the closing bracket, or kNotFound when the bytes run out first.
struct ContainerWalk {
    int depth = 0;
    bool inString = false;
    bool escapeNext = false;  // the previous byte was a backslash inside a string

    size_t bytes(const char* d, size_t from, size_t to) {
        for (size_t j = from; j < to; ++j) {
            const char ch = d[j];
            if (escapeNext) {
                escapeNext = false;
            } else if (inString) {
                if (ch == '\\') escapeNext = true;
                else if (ch == '"') inString = false;
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                ++depth;
            } else if ((ch == '}' || ch == ']') && --depth == 0) {
                return j + 1;
            }
        }
        return kNotFound;
    }
};

// Bit i of the result is the parity of bits 0..i of x. Applied to the quote bits of a block, it marks
// the bytes inside strings (opening quote included, closing quote excluded).
inline uint64_t prefixXor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

// Position after the object or array that opens at `pos`, or kNotFound. The scanner reads every
// byte of the file on one thread, ahead of the parallel parse, so this walks 64 bytes at a time:
// bit masks of quotes and brackets, strings masked out with a prefix xor of the quotes, and only
// the few brackets left looked at one by one.
size_t skipContainer(std::string_view text, size_t pos) {
    const char* d = text.data();
    const size_t n = text.size();
    ContainerWalk walk;
    size_t i = pos;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), open = _mm_set1_epi8('{'),
                  close = _mm_set1_epi8('}'), lower = _mm_set1_epi8(0x20);
    for (; i + 64 <= n; i += 64) {
        uint64_t quotes = 0, backslashes = 0, opens = 0, closes = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + 16 * k));
            const __m128i folded = _mm_or_si128(v, lower);  // '[' -> '{', ']' -> '}'
            const int shift = 16 * k;
            quotes |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))) << shift;
            backslashes |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash))))
                           << shift;
            opens |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(folded, open)))) << shift;
            closes |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(folded, close))))
                      << shift;
        }
        if (backslashes || walk.escapeNext) {
            const size_t end = walk.bytes(d, i, i + 64);
            if (end != kNotFound) return end;
            continue;
        }
        const uint64_t inString = prefixXor(quotes) ^ (walk.inString ? ~0ull : 0ull);
        walk.inString = (inString >> 63) != 0;
        uint64_t brackets = (opens | closes) & ~inString;
        while (brackets) {
            const int bit = __builtin_ctzll(brackets);
            brackets &= brackets - 1;
            if ((opens >> bit) & 1) ++walk.depth;
            else if (--walk.depth == 0) return i + static_cast<size_t>(bit) + 1;
        }
    }
#endif
    return walk.bytes(d, i, n);
}

}  // namespace

size_t skipValue(std::string_view text, size_t pos) {
    pos = skipWhitespace(text, pos);
    if (pos >= text.size()) return kNotFound;
    const char c = text[pos];
    if (c == '"') return skipString(text, pos);
    if (c == '{' || c == '[') return skipContainer(text, pos);
    // number or literal: up to the next delimiter
    size_t i = pos;
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ' ' &&
           text[i] != '\n' && text[i] != '\r' && text[i] != '\t')
        ++i;
    return i == pos ? kNotFound : i;
}

std::string printable(std::string_view text, size_t maxBytes) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= maxBytes) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c == 0x7F) {
            static const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else out += static_cast<char>(c);
    }
    return out;
}

void TraceScanner::fail(std::string what, uint64_t offset) {
    error_ = std::move(what);
    errorOffset_ = offset;
    state_ = State::Done;
}

void TraceScanner::stopTruncated() {
    truncated_ = true;
    state_ = State::Done;
}

size_t TraceScanner::scan(std::string_view text, size_t pos, bool final, std::vector<EventSlice>& events,
                          size_t maxEventBytes, uint64_t base) {
    size_t found = 0;
    // Where the text runs out inside an item: stop here and resume at `resume` once more text is
    // there, or, when no more will come, the input is truncated.
    auto needMore = [&](size_t resume) {
        if (final) stopTruncated();
        return resume;
    };
    size_t i = pos;
    while (true) {
        switch (state_) {
        case State::Done:
            return i;
        case State::Start: {
            i = skipWhitespace(text, i);
            if (i < text.size() && static_cast<unsigned char>(text[i]) == 0xEF) {  // UTF-8 byte order mark
                if (text.size() - i < 3 && !final) return i;
                if (text.substr(i, 3) == "\xEF\xBB\xBF") i = skipWhitespace(text, i + 3);
            }
            if (i >= text.size()) {
                if (final) fail("empty file", base + i);
                return i;
            }
            if (text[i] == '[') {
                arrayForm_ = true;
                sawEvents_ = true;
                state_ = State::Events;
                ++i;
                continue;
            }
            if (text[i] != '{') {
                fail("not a trace: expected '{' or '['", base + i);
                return i;
            }
            state_ = State::TopObject;
            ++i;
            continue;
        }
        case State::TopObject: {
            i = skipWhitespace(text, i);
            if (i >= text.size()) return needMore(i);
            if (text[i] == '}') {
                state_ = State::Done;
                if (!sawEvents_) fail("no \"traceEvents\" array", 0);
                return i + 1;
            }
            if (text[i] == ',') {
                ++i;
                continue;
            }
            if (text[i] != '"') {
                fail("expected a member name", base + i);
                return i;
            }
            const size_t keyEnd = skipString(text, i);
            if (keyEnd == kNotFound) return needMore(i);
            size_t v = skipWhitespace(text, keyEnd);
            if (v >= text.size()) return needMore(i);
            std::string key(text.substr(i + 1, keyEnd - i - 2));
            if (text[v] != ':') {
                fail("expected ':' after \"" + printable(key) + "\"", base + v);
                return v;
            }
            v = skipWhitespace(text, v + 1);
            if (v >= text.size()) return needMore(i);
            if (key == "traceEvents" && text[v] == '[' && !sawEvents_) {
                sawEvents_ = true;
                state_ = State::Events;
                i = v + 1;
                continue;
            }
            const size_t end = skipValue(text, v);
            if (end == kNotFound || (end == text.size() && !final)) return needMore(i);
            otherMembers_.emplace_back(std::move(key), std::string(text.substr(v, end - v)));
            i = end;
            continue;
        }
        case State::Events: {
            if (found >= maxEventBytes) return i;
            i = skipWhitespace(text, i);
            if (i >= text.size()) return needMore(i);
            if (text[i] == ']') {
                // Chrome allows the array form to end without ']' (a trace still being written);
                // with it, the document is complete.
                state_ = arrayForm_ ? State::Done : State::TopObject;
                ++i;
                continue;
            }
            if (text[i] == ',') {
                ++i;
                continue;
            }
            const size_t end = skipValue(text, i);
            if (end == kNotFound || (end == text.size() && !final)) return needMore(i);
            // A non-object element is reported by the parser as a bad event.
            events.push_back({i, end - i});
            ++eventCount_;
            found += end - i;
            i = end;
            continue;
        }
        }
    }
}

TraceLayout scanTraceLayout(std::string_view text) {
    TraceScanner scanner;
    TraceLayout out;
    scanner.scan(text, 0, true, out.events);
    out.arrayForm = scanner.arrayForm();
    out.truncated = scanner.truncated();
    out.error = scanner.error();
    out.errorOffset = scanner.errorOffset();
    out.otherMembers = scanner.otherMembers();
    return out;
}

}  // namespace gaplens::json
