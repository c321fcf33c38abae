#pragma once
// The bytes of an input file: plain files are memory-mapped (never copied), .gz files are
// inflated into memory. Reads past the end by up to `kPadding` bytes must be avoided by callers:
// `safeEnd()` tells how far a parser that over-reads may look.
#include <cstddef>
#include <string>
#include <string_view>

namespace gaplens {

class InputBuffer {
public:
    InputBuffer() = default;
    ~InputBuffer();
    InputBuffer(const InputBuffer&) = delete;
    InputBuffer& operator=(const InputBuffer&) = delete;

    // Returns an empty string on success, else a one-line error naming the file. A message that
    // starts with "warning:" means a compressed file was cut short: the bytes before the cut are
    // usable and text() holds them.
    std::string open(const std::string& path);

    std::string_view text() const { return {data_, size_}; }
    size_t size() const { return size_; }
    bool compressed() const { return compressed_; }
    // Bytes readable from data() on: size() plus any padding that is safe to read.
    size_t readable() const { return readable_; }
    uint64_t fileBytes() const { return fileBytes_; }

private:
    const char* data_ = nullptr;
    size_t size_ = 0;
    size_t readable_ = 0;
    uint64_t fileBytes_ = 0;
    void* map_ = nullptr;
    size_t mapLength_ = 0;
    std::string owned_;
    bool compressed_ = false;
};

}  // namespace gaplens
