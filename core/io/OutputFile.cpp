#include "core/io/OutputFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <unistd.h>
#include <zlib.h>

namespace gaplens {

struct OutputFile::Impl {
    std::string tmpPath;
    FILE* plain = nullptr;
    gzFile gz = nullptr;
    bool committed = false;
    bool direct = false;  // writing straight to a device or fifo
};

namespace {
bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

OutputFile::OutputFile(std::string path, bool gzip) : impl_(std::make_unique<Impl>()), path_(std::move(path)) {
    // A device or fifo (/dev/null, /dev/stdout) is written directly: renaming a temp file over it
    // would replace the device with a regular file.
    std::error_code ec;
    const auto status = std::filesystem::status(path_, ec);
    impl_->direct = !ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
                    !std::filesystem::is_directory(status);
    impl_->tmpPath = impl_->direct ? path_ : path_ + ".tmp-" + std::to_string(::getpid());
    if (gzip) {
        impl_->gz = gzopen(impl_->tmpPath.c_str(), "wb6");
        if (!impl_->gz) error_ = path_ + ": cannot write: " + std::strerror(errno);
    } else {
        impl_->plain = std::fopen(impl_->tmpPath.c_str(), "wb");
        if (!impl_->plain) error_ = path_ + ": cannot write: " + std::strerror(errno);
    }
}

OutputFile OutputFile::forPath(const std::string& path) { return OutputFile(path, endsWith(path, ".gz")); }

OutputFile::OutputFile(OutputFile&& other) noexcept
    : impl_(std::move(other.impl_)), path_(std::move(other.path_)), error_(std::move(other.error_)) {}

OutputFile::~OutputFile() {
    if (!impl_) return;
    if (impl_->plain) std::fclose(impl_->plain);
    if (impl_->gz) gzclose(impl_->gz);
    if (!impl_->committed && !impl_->direct) std::remove(impl_->tmpPath.c_str());
}

void OutputFile::write(std::string_view bytes) {
    if (!ok() || bytes.empty()) return;
    if (impl_->gz) {
        // gzwrite takes an unsigned length: feed large buffers in pieces.
        while (!bytes.empty()) {
            const unsigned n = static_cast<unsigned>(std::min<size_t>(bytes.size(), 1u << 30));
            if (gzwrite(impl_->gz, bytes.data(), n) != static_cast<int>(n)) {
                error_ = path_ + ": write failed (compression)";
                return;
            }
            bytes.remove_prefix(n);
        }
    } else if (std::fwrite(bytes.data(), 1, bytes.size(), impl_->plain) != bytes.size()) {
        error_ = path_ + ": write failed: " + std::strerror(errno);
    }
}

bool OutputFile::commit() {
    if (!impl_ || impl_->committed) return ok();
    if (impl_->gz) {
        if (gzclose(impl_->gz) != Z_OK && ok()) error_ = path_ + ": write failed (closing)";
        impl_->gz = nullptr;
    }
    if (impl_->plain) {
        if ((std::fflush(impl_->plain) != 0 || (!impl_->direct && ::fsync(fileno(impl_->plain)) != 0)) && ok())
            error_ = path_ + ": write failed: " + std::strerror(errno);
        if (std::fclose(impl_->plain) != 0 && ok()) error_ = path_ + ": write failed: " + std::strerror(errno);
        impl_->plain = nullptr;
    }
    if (!ok()) return false;
    if (impl_->direct) {
        impl_->committed = true;
        return true;
    }
    if (std::rename(impl_->tmpPath.c_str(), path_.c_str()) != 0) {
        error_ = path_ + ": cannot rename temp file: " + std::strerror(errno);
        return false;
    }
    impl_->committed = true;
    return true;
}

std::string OutputFile::checkWritable(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path p(path);
    if (fs::is_directory(p, ec)) return path + ": is a directory";
    fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec)) return path + ": folder " + dir.string() + " does not exist";
    if (::access(dir.c_str(), W_OK) != 0) return path + ": folder " + dir.string() + " is not writable";
    if (fs::exists(p, ec) && ::access(p.c_str(), W_OK) != 0) return path + ": file is not writable";
    return {};
}

std::string writeFileAtomically(const std::string& path, std::string_view contents) {
    OutputFile out = OutputFile::forPath(path);
    out.write(contents);
    out.commit();
    return out.error();
}

}  // namespace gaplens
