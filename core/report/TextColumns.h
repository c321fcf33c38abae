#pragma once
// Small text helpers shared by the report renderers: fixed-width columns (UTF-8 aware: "µs" is one
// column), printf of one number, cutting long names, escaping Markdown.
#include <cstdio>
#include <string>
#include <string_view>

namespace gaplens::text {

inline std::string fmt(const char* f, double x) {
    char b[64];
    std::snprintf(b, sizeof b, f, x);
    return b;
}

// Width in characters of UTF-8 text ("µs" is one character, two bytes).
inline size_t displayWidth(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}
inline std::string padRight(std::string s, size_t w) {
    const size_t n = displayWidth(s);
    if (n < w) s.append(w - n, ' ');
    return s;
}
inline std::string padLeft(std::string s, size_t w) {
    const size_t n = displayWidth(s);
    if (n < w) s.insert(0, w - n, ' ');
    return s;
}
inline std::string cut(std::string_view s, size_t w) {
    return s.size() <= w ? std::string(s) : std::string(s.substr(0, w - 3)) + "...";
}

inline std::string mdEscape(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '|' || c == '*' || c == '_' || c == '<' || c == '>' || c == '`') o += '\\';
        o += c;
    }
    return o;
}

}  // namespace gaplens::text
