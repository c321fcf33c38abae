// libFuzzer target for .json.gz input, read window by window. First byte even: the rest is JSON,
// gzip-compressed here (valid streams; the second byte sets the window size, so events straddle
// window edges at every offset). First byte odd: the rest is raw deflate data behind a gzip header
// (corrupt and cut-short streams).
#include <cstdlib>
#include <string>

#include <zlib.h>

#include "FuzzInput.h"
#include "core/io/ChromeTraceImporter.h"

namespace {

std::string gzip(const uint8_t* data, size_t size) {
    std::string out(compressBound(static_cast<uLong>(size)) + 64, '\0');
    z_stream zs{};
    deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = const_cast<Bytef*>(data);
    zs.avail_in = static_cast<uInt>(size);
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    std::string bytes;
    gaplens::ImportOptions options;
    options.threads = 1;
    if ((data[0] & 1) == 0) {
        bytes = gzip(data + 2, size - 2);
        options.windowBytes = 1 + data[1];
    } else {
        bytes = std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
        bytes.append(reinterpret_cast<const char*>(data + 2), size - 2);
        options.windowBytes = 1 + data[1];
    }
    gaplens::fuzz::MemoryFile file(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (!file.ok()) return 0;
    gaplens::Trace trace;
    const gaplens::ImportResult r = gaplens::importChromeTrace(file.path(), trace, 0, options);
    if (!r.ok && r.error.empty()) std::abort();
    if (r.error.find('\n') != std::string::npos) std::abort();
    return 0;
}
