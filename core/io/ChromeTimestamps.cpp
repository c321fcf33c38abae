#include "core/io/ChromeTimestamps.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace gaplens::importer {

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
            } else if (fracDigits == 3) {
                if (text[i] >= '5') ++frac;  // the sub-ns digit rounds; later digits are not looked at
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

}  // namespace gaplens::importer
