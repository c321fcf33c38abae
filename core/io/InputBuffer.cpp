#include "core/io/InputBuffer.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace gaplens {

namespace {
constexpr size_t kOverRead = 64;  // simdjson reads up to this far past a document

std::string inflateGzip(const std::string& path, int fd, std::string& out, uint64_t fileBytes) {
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) return path + ": cannot read compressed file";
    gzbuffer(gz, 1 << 20);
    out.reserve(fileBytes * 6 + kOverRead);  // typical JSON ratio; grows if needed
    std::string chunk(1 << 20, '\0');
    while (true) {
        const int n = gzread(gz, chunk.data(), static_cast<unsigned>(chunk.size()));
        if (n > 0) {
            out.append(chunk.data(), static_cast<size_t>(n));
            continue;
        }
        if (n == 0) break;
        int errnum = 0;
        const char* msg = gzerror(gz, &errnum);
        std::string err = path + ": compressed data is corrupt or cut short (" + (msg ? msg : "?") +
                          ") after " + std::to_string(out.size()) + " bytes";
        gzclose(gz);
        // What was inflated so far is kept: the importer reads the events before the break.
        return out.empty() ? err : "warning:" + err;
    }
    // gzread returns 0 both at a clean end and at a truncated stream; gzclose tells them apart.
    const int rc = gzclose(gz);
    if (rc == Z_BUF_ERROR) {
        const std::string err = path + ": compressed file is cut short after " + std::to_string(out.size()) +
                                " bytes of JSON";
        return out.empty() ? err : "warning:" + err;
    }
    return {};
}
}  // namespace

InputBuffer::~InputBuffer() {
    if (map_) ::munmap(map_, mapLength_);
}

std::string InputBuffer::open(const std::string& path) {
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
    const bool gzip = ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (gzip) {
        compressed_ = true;
        std::string status = inflateGzip(path, fd, owned_, fileBytes_);  // closes fd
        if (!status.empty() && status.rfind("warning:", 0) != 0) return status;
        owned_.append(kOverRead, ' ');
        data_ = owned_.data();
        size_ = owned_.size() - kOverRead;
        readable_ = owned_.size();
        if (size_ == 0) return path + ": compressed file holds no data";
        return status;
    }
    const size_t length = static_cast<size_t>(st.st_size);
    void* m = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (m == MAP_FAILED) return path + ": cannot map: " + std::strerror(errno);
    ::madvise(m, length, MADV_SEQUENTIAL);
    map_ = m;
    mapLength_ = length;
    data_ = static_cast<const char*>(m);
    size_ = length;
    // Bytes up to the end of the last page are mapped (zero-filled) and safe to over-read.
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    readable_ = (length + page - 1) / page * page;
    return {};
}

}  // namespace gaplens
