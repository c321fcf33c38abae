#pragma once
// Capture from your own C++ code:
//
//     gaplens::Session session("run.json");      // starts recording (CUPTI activity API)
//     for (...) {
//         gaplens::Range step("train_step");     // a user range, like record_function / NVTX
//         ...launch CUDA work...
//     }
//     // the destructor (or session.stop()) flushes and writes run.json (.json.gz when so named)
//
// One Session at a time per process (CUPTI has one activity client). A Range outside a running
// Session costs one clock read and records nothing.
#include <cstdint>
#include <string>
#include <string_view>

namespace gaplens {

class Session {
public:
    explicit Session(std::string outputPath);
    ~Session();  // stop() unless already stopped; errors go to stderr
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }  // one line: why recording did not start or the write failed
    // Waits for the GPU work in flight (cudaDeviceSynchronize), flushes, writes the file. Returns "" or the error.
    std::string stop();

private:
    std::string path_;
    std::string error_;
    bool running_ = false;
};

class Range {
public:
    explicit Range(std::string_view name);
    ~Range();
    Range(const Range&) = delete;
    Range& operator=(const Range&) = delete;

private:
    std::string name_;
    uint64_t start_ = 0;
};

}  // namespace gaplens
