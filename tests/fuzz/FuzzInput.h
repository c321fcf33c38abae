#pragma once
// Hands fuzzer bytes to the importer as a file without touching the disk: a memfd, opened through
// /proc/self/fd like any path (it is a regular file, so it is mapped like one).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace gaplens::fuzz {

class MemoryFile {
public:
    MemoryFile(const uint8_t* data, size_t size) {
        fd_ = ::memfd_create("gaplens-fuzz", MFD_CLOEXEC);
        size_t done = 0;
        while (fd_ >= 0 && done < size) {
            const ssize_t n = ::write(fd_, data + done, size - done);
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
    }
    ~MemoryFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    bool ok() const { return fd_ >= 0; }
    std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

private:
    int fd_ = -1;
};

}  // namespace gaplens::fuzz
