#include "core/io/JsonEventTokenizer.h"

#include <cstring>

namespace gaplens::json {

size_t skipWhitespace(std::string_view text, size_t pos) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t'))
        ++pos;
    return pos;
}

namespace {

// Position after the closing quote of the string whose opening quote is at `pos`.
size_t skipString(std::string_view text, size_t pos) {
    const char* data = text.data();
    size_t i = pos + 1;
    while (i < text.size()) {
        // Jump to the next quote or backslash: strings are most of a trace's bytes.
        const void* q = std::memchr(data + i, '"', text.size() - i);
        if (!q) return kNotFound;
        size_t quote = static_cast<const char*>(q) - data;
        const void* b = std::memchr(data + i, '\\', quote - i);
        if (!b) return quote + 1;
        i = static_cast<size_t>(static_cast<const char*>(b) - data) + 2;  // skip the escaped char
    }
    return kNotFound;
}

}  // namespace

size_t skipValue(std::string_view text, size_t pos) {
    pos = skipWhitespace(text, pos);
    if (pos >= text.size()) return kNotFound;
    const char c = text[pos];
    if (c == '"') return skipString(text, pos);
    if (c == '{' || c == '[') {
        int depth = 0;
        size_t i = pos;
        while (i < text.size()) {
            const char ch = text[i];
            if (ch == '"') {
                i = skipString(text, i);
                if (i == kNotFound) return kNotFound;
                continue;
            }
            if (ch == '{' || ch == '[') ++depth;
            else if (ch == '}' || ch == ']') {
                if (--depth == 0) return i + 1;
            }
            ++i;
        }
        return kNotFound;
    }
    // number or literal: up to the next delimiter
    size_t i = pos;
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ' ' &&
           text[i] != '\n' && text[i] != '\r' && text[i] != '\t')
        ++i;
    return i == pos ? kNotFound : i;
}

namespace {

// Scans the array whose '[' is at `pos`; returns the position after ']' or kNotFound if cut short.
size_t scanEventsArray(std::string_view text, size_t pos, TraceLayout& out) {
    size_t i = pos + 1;
    while (true) {
        i = skipWhitespace(text, i);
        if (i >= text.size()) return kNotFound;
        if (text[i] == ']') return i + 1;
        if (text[i] == ',') {
            ++i;
            continue;
        }
        const size_t end = skipValue(text, i);
        if (end == kNotFound) return kNotFound;
        out.events.push_back({i, end - i});  // a non-object element is reported by the parser as a bad event
        i = end;
    }
}

}  // namespace

TraceLayout scanTraceLayout(std::string_view text) {
    TraceLayout out;
    size_t i = skipWhitespace(text, 0);
    if (i < text.size() && static_cast<unsigned char>(text[i]) == 0xEF) i = skipWhitespace(text, i + 3);  // BOM
    if (i >= text.size()) {
        out.error = "empty file";
        return out;
    }
    if (text[i] == '[') {
        out.arrayForm = true;
        // Chrome allows the array form to end without ']' (a trace still being written).
        if (scanEventsArray(text, i, out) == kNotFound) out.truncated = true;
        return out;
    }
    if (text[i] != '{') {
        out.error = "not a trace: expected '{' or '['";
        out.errorOffset = i;
        return out;
    }
    ++i;
    bool sawEvents = false;
    while (true) {
        i = skipWhitespace(text, i);
        if (i >= text.size()) {
            out.truncated = true;
            break;
        }
        if (text[i] == '}') break;
        if (text[i] == ',') {
            ++i;
            continue;
        }
        if (text[i] != '"') {
            out.error = "expected a member name";
            out.errorOffset = i;
            break;
        }
        const size_t keyEnd = skipString(text, i);
        if (keyEnd == kNotFound) {
            out.truncated = true;
            break;
        }
        const std::string key(text.substr(i + 1, keyEnd - i - 2));
        i = skipWhitespace(text, keyEnd);
        if (i >= text.size()) {
            out.truncated = true;
            break;
        }
        if (text[i] != ':') {
            out.error = "expected ':' after \"" + key + "\"";
            out.errorOffset = i;
            break;
        }
        i = skipWhitespace(text, i + 1);
        if (key == "traceEvents" && i < text.size() && text[i] == '[') {
            sawEvents = true;
            const size_t end = scanEventsArray(text, i, out);
            if (end == kNotFound) {
                out.truncated = true;
                break;
            }
            i = end;
            continue;
        }
        const size_t end = skipValue(text, i);
        if (end == kNotFound) {
            out.truncated = true;
            break;
        }
        out.otherMembers.emplace_back(key, text.substr(i, end - i));
        i = end;
    }
    if (!sawEvents && out.error.empty() && !out.truncated) {
        out.error = "no \"traceEvents\" array";
        out.errorOffset = 0;
    }
    return out;
}

}  // namespace gaplens::json
