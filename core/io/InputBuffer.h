#pragma once
// The text of an input file, handed out window by window so that memory stays bounded whatever the
// file's size: plain files are memory-mapped (never copied) and the pages already parsed are given
// back to the kernel; .gz files are inflated a window at a time, each window starting with the
// unparsed tail of the previous one. Parsers that over-read (simdjson) may read up to
// `TextWindow::readable` bytes from a window's data.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <zlib.h>

namespace gaplens {

struct TextWindow {
    const char* data = nullptr;
    size_t size = 0;
    size_t readable = 0;   // bytes that may be read from data (size plus padding that is safe to read)
    uint64_t start = 0;    // position of data[0] in the whole text
    bool last = false;     // the window reaches the end of the text
    std::shared_ptr<const std::string> storage;  // inflated text (.gz): kept alive by whoever reads it

    std::string_view text() const { return {data, size}; }
};

class InputBuffer {
public:
    static constexpr size_t kPadding = 64;  // simdjson reads up to this far past a document

    InputBuffer() = default;
    ~InputBuffer();
    InputBuffer(const InputBuffer&) = delete;
    InputBuffer& operator=(const InputBuffer&) = delete;

    // Returns an empty string on success, else a one-line error naming the file.
    std::string open(const std::string& path);

    // Moves `window` on: the new window starts at `from` (a position inside the current window;
    // 0 for the first call, with an empty window) and holds at least `minBytes` bytes where the
    // input has them. Returns an empty string, or a one-line error; an error that starts with
    // "warning:" means a compressed file is corrupt or cut short: the window then holds the text
    // before the damage and is the last.
    std::string next(TextWindow& window, size_t from, size_t minBytes);

    // The caller is done with the text before `position` (a position in the whole text): a mapped
    // file's pages before it leave resident memory (the file itself is never modified).
    void release(uint64_t position);

    // Maps in the pages of [position, position + bytes) of a mapped file in one go, ahead of the
    // scanner (one call instead of a page fault per few pages; a no-op for .gz).
    void prefetch(uint64_t position, size_t bytes);

    bool compressed() const { return compressed_; }
    uint64_t fileBytes() const { return fileBytes_; }
    // Bytes of the file read so far (the compressed bytes for .gz), for progress.
    uint64_t fileBytesRead() const;

private:
    std::string inflateMore(std::string& out, size_t want);

    std::string path_;
    uint64_t fileBytes_ = 0;
    bool compressed_ = false;
    // plain file
    const char* map_ = nullptr;
    size_t mapLength_ = 0;
    size_t mapReadable_ = 0;
    uint64_t released_ = 0;
    uint64_t prefetched_ = 0;
    uint64_t mappedUpTo_ = 0;
    // .gz
    int fd_ = -1;
    z_stream zs_{};
    bool zsOpen_ = false;
    bool streamEnd_ = false;  // the last gzip member ended and no input follows
    bool inputEnd_ = false;
    bool finished_ = false;   // all the text was inflated
    std::string input_;       // compressed bytes read but not yet inflated
    uint64_t inputRead_ = 0;
    uint64_t inflated_ = 0;   // text bytes produced so far
};

}  // namespace gaplens
