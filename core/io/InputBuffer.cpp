#include "core/io/InputBuffer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gaplens {

namespace {
constexpr size_t kReadBytes = 1 << 20;  // compressed bytes read at a time
size_t pageSize() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)); }
}  // namespace

InputBuffer::~InputBuffer() {
    if (map_) ::munmap(const_cast<char*>(map_), mapLength_);
    if (zsOpen_) inflateEnd(&zs_);
    if (fd_ >= 0) ::close(fd_);
}

std::string InputBuffer::open(const std::string& path) {
    path_ = path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return path + ": cannot open: " + std::strerror(errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return path + ": not a regular file";
    }
    fileBytes_ = static_cast<uint64_t>(st.st_size);
    if (st.st_size == 0) {
        ::close(fd);
        return path + ": empty file";
    }
    unsigned char magic[2] = {0, 0};
    compressed_ = ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (compressed_) {
        fd_ = fd;
        // 15 + 32: gzip or zlib header, detected; concatenated gzip members are read one by one.
        if (inflateInit2(&zs_, 15 + 32) != Z_OK) return path + ": cannot read compressed file";
        zsOpen_ = true;
        return {};
    }
    const size_t length = static_cast<size_t>(st.st_size);
    void* m = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (m == MAP_FAILED) return path + ": cannot map: " + std::strerror(errno);
    ::madvise(m, length, MADV_SEQUENTIAL);
    map_ = static_cast<const char*>(m);
    mapLength_ = length;
    // Bytes up to the end of the last page are mapped (zero-filled) and safe to over-read.
    const size_t page = pageSize();
    mapReadable_ = (length + page - 1) / page * page;
    return {};
}

uint64_t InputBuffer::fileBytesRead() const {
    if (!compressed_) return mappedUpTo_;
    return inputRead_ - zs_.avail_in;
}

std::string InputBuffer::next(TextWindow& window, size_t from, size_t minBytes) {
    const uint64_t start = window.start + std::min(from, window.size);
    if (!compressed_) {
        // The window is the rest of the mapping: nothing is copied, pages load as they are read.
        const size_t pos = static_cast<size_t>(std::min<uint64_t>(start, mapLength_));
        window.data = map_ + pos;
        window.size = mapLength_ - pos;
        window.readable = mapReadable_ - pos;
        window.start = pos;
        window.last = true;
        window.storage.reset();
        mappedUpTo_ = pos;
        return {};
    }
    // A fresh buffer per window: batches still being parsed keep the previous one alive.
    auto text = std::make_shared<std::string>();
    const size_t tail = from < window.size ? window.size - from : 0;
    text->reserve(tail + std::max(minBytes, tail) + kPadding);
    if (tail) text->append(window.data + from, tail);
    const size_t want = std::max(minBytes, tail) > tail ? std::max(minBytes, tail) - tail : 0;
    std::string status = inflateMore(*text, std::max<size_t>(want, 1));
    window.last = finished_ || !status.empty();
    window.size = text->size();
    text->append(kPadding, ' ');
    window.readable = text->size();
    window.data = text->data();
    window.start = start;
    window.storage = std::move(text);
    if (!status.empty()) {
        if (inflated_ == 0) return status;
        return "warning:" + status;
    }
    if (window.last && inflated_ == 0) return path_ + ": compressed file holds no data";
    return {};
}

std::string InputBuffer::inflateMore(std::string& out, size_t want) {
    size_t added = 0;
    while (added < want) {
        if (zs_.avail_in == 0 && !inputEnd_) {
            input_.resize(kReadBytes);
            ssize_t n;
            do n = ::read(fd_, input_.data(), input_.size());
            while (n < 0 && errno == EINTR);
            if (n < 0) return path_ + ": cannot read: " + std::strerror(errno);
            if (n == 0) inputEnd_ = true;
            inputRead_ += static_cast<uint64_t>(n);
            zs_.next_in = reinterpret_cast<Bytef*>(input_.data());
            zs_.avail_in = static_cast<uInt>(n);
        }
        if (streamEnd_) {
            // One gzip member ended. Another may follow (concatenated .gz); anything else after it
            // is ignored, as gzip does.
            if (zs_.avail_in == 0) {
                if (inputEnd_) {
                    finished_ = true;
                    return {};
                }
                continue;
            }
            if (zs_.next_in[0] != 0x1f) {
                finished_ = true;
                return {};
            }
            inflateReset(&zs_);
            streamEnd_ = false;
        }
        if (zs_.avail_in == 0 && inputEnd_)
            return path_ + ": compressed file is cut short after " + std::to_string(inflated_) + " bytes of JSON";
        const size_t old = out.size();
        const size_t room = std::min<size_t>(std::max<size_t>(want - added, 1 << 16), 1 << 22);
        out.resize(old + room);
        zs_.next_out = reinterpret_cast<Bytef*>(out.data() + old);
        zs_.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&zs_, Z_NO_FLUSH);
        const size_t produced = room - zs_.avail_out;
        out.resize(old + produced);
        added += produced;
        inflated_ += produced;
        if (rc == Z_STREAM_END) {
            streamEnd_ = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return path_ + ": compressed data is corrupt or cut short (" + (zs_.msg ? zs_.msg : "?") + ") after " +
                   std::to_string(inflated_) + " bytes";
        }
    }
    return {};
}

void InputBuffer::prefetch(uint64_t position, size_t bytes) {
#if defined(MADV_POPULATE_READ)
    if (!map_ || position >= mapLength_) return;
    const size_t page = pageSize();
    const uint64_t from = std::max<uint64_t>(position / page * page, prefetched_);
    const uint64_t to = std::min<uint64_t>(position + bytes, mapLength_);
    if (to <= from) return;
    // Older kernels do not know the advice: then pages simply fault in as they are read.
    ::madvise(const_cast<char*>(map_) + from, to - from, MADV_POPULATE_READ);
    prefetched_ = to;
#else
    (void)position;
    (void)bytes;
#endif
}

void InputBuffer::release(uint64_t position) {
    if (!map_) return;
    const size_t page = pageSize();
    const uint64_t upTo = std::min<uint64_t>(position, mapLength_) / page * page;
    if (upTo <= released_) return;
    ::madvise(const_cast<char*>(map_) + released_, upTo - released_, MADV_DONTNEED);
    released_ = upTo;
}

}  // namespace gaplens
