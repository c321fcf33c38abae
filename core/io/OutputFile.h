#pragma once
// Every output file gaplens writes goes through here: the bytes go to "<path>.tmp-<pid>" next to
// the target and are renamed over it only when complete, so a failed or interrupted write never
// leaves a half file and never clobbers the previous one. A name ending in .gz is gzip-compressed.
#include <memory>
#include <string>
#include <string_view>

namespace gaplens {

class OutputFile {
public:
    // Opens the temp file. Check ok()/error() before writing.
    explicit OutputFile(std::string path, bool gzip = false);
    static OutputFile forPath(const std::string& path);  // gzip when the name ends in .gz
    ~OutputFile();  // removes the temp file unless commit() succeeded
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    OutputFile(OutputFile&&) noexcept;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    const std::string& path() const { return path_; }

    void write(std::string_view bytes);
    OutputFile& operator<<(std::string_view bytes) { write(bytes); return *this; }
    // Flushes, closes and renames onto the target. False (with error()) if anything failed.
    bool commit();

    // Checks, before a long run, that `path` can be written (its folder exists and is writable).
    // Returns an empty string when fine, else a one-line reason.
    static std::string checkWritable(const std::string& path);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string path_;
    std::string error_;
};

// Convenience: writes a whole string atomically. Returns an empty string or a one-line error.
std::string writeFileAtomically(const std::string& path, std::string_view contents);

}  // namespace gaplens
