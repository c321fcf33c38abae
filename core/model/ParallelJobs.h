#pragma once
// A small pool for independent jobs: the importer's column assembly and Trace::finalize's
// per-track work hand out jobs the same way.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace gaplens {

// Runs job(0) ... job(count - 1), each once, on up to `threads` threads (the calling one
// included), handed out in index order as threads come free. Returns when all are done.
template <typename Job>
void runJobs(size_t count, unsigned threads, const Job& job) {
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t j; (j = next.fetch_add(1)) < count;) job(j);
    };
    std::vector<std::thread> helpers;
    for (unsigned w = 1; w < std::min<size_t>(threads, count); ++w) helpers.emplace_back(work);
    work();
    for (std::thread& h : helpers) h.join();
}

}  // namespace gaplens
