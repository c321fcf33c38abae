#include "core/share/GzipBytes.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include <zlib.h>

namespace gaplens {

bool isGzip(std::string_view bytes) {
    return bytes.size() >= 2 && uint8_t(bytes[0]) == 0x1f && uint8_t(bytes[1]) == 0x8b;
}

bool gzipCompress(std::string_view bytes, std::string& out, std::string& error) {
    z_stream zs{};
    // windowBits 15 + 16: write a gzip header and trailer instead of a zlib one.
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        error = "gzip: cannot initialise zlib";
        return false;
    }
    out.resize(deflateBound(&zs, static_cast<uLong>(bytes.size())) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        error = "gzip: compression failed";
        return false;
    }
    return true;
}

bool gzipDecompress(std::string_view bytes, std::string& out, std::string& error) {
    out.clear();
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK) {  // +32: detect gzip or zlib headers
        error = "gzip: cannot initialise zlib";
        return false;
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    char buffer[1 << 16];
    int rc = Z_OK;
    while (true) {
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof buffer;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - zs.avail_out);
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) break;
            inflateReset(&zs);  // concatenated gzip members
            continue;
        }
        if (rc != Z_OK) break;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        error = "gzip: corrupt or truncated data";
        return false;
    }
    return true;
}

bool readFileAsGzip(const std::string& path, std::string& out, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot read: " + std::strerror(errno);
        return false;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string bytes = std::move(buffer).str();
    if (isGzip(bytes)) {
        out = std::move(bytes);
        return true;
    }
    if (!gzipCompress(bytes, out, error)) {
        error = path + ": " + error;
        return false;
    }
    return true;
}

}  // namespace gaplens
