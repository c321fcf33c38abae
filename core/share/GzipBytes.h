#pragma once
// In-memory gzip for the share page: the trace is embedded gzip-compressed (the browser inflates it
// with DecompressionStream('gzip')), so a file that is already .json.gz is embedded as it is.
#include <string>
#include <string_view>

namespace gaplens {

bool isGzip(std::string_view bytes);  // starts with the gzip magic 1f 8b
// gzip-compresses `bytes` (a single gzip member). Returns false (with error) on a zlib failure.
bool gzipCompress(std::string_view bytes, std::string& out, std::string& error);
// Inflates a gzip stream (all members). Returns false (with error) on corrupt data.
bool gzipDecompress(std::string_view bytes, std::string& out, std::string& error);

// Reads a whole file and returns it gzip-compressed (as it is when already gzip).
// Returns false with a one-line error naming the file.
bool readFileAsGzip(const std::string& path, std::string& out, std::string& error);

}  // namespace gaplens
