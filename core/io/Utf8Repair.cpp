#include "core/io/Utf8Repair.h"

#include <cstdint>

namespace gaplens::importer {

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

}  // namespace gaplens::importer
