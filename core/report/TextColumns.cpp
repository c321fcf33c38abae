#include "core/report/TextColumns.h"

#include <cstdio>

namespace gaplens {

size_t displayWidth(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string padRight(std::string s, size_t w) {
    const size_t n = displayWidth(s);
    if (n < w) s.append(w - n, ' ');
    return s;
}

std::string padLeft(std::string s, size_t w) {
    const size_t n = displayWidth(s);
    if (n < w) s.insert(0, w - n, ' ');
    return s;
}

std::string cut(std::string_view s, size_t w) {
    return s.size() <= w ? std::string(s) : std::string(s.substr(0, w - 3)) + "...";
}

std::string mdEscape(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '|' || c == '*' || c == '_' || c == '<' || c == '>' || c == '`') o += '\\';
        o += c;
    }
    return o;
}

std::string fmt(const char* format, double x) {
    char b[64];
    std::snprintf(b, sizeof b, format, x);
    return b;
}

}  // namespace gaplens
