// The API-call recorder's store (no GPU needed: calls are appended as CUPTI's callback appends
// them): no call lost or kept twice while the drain and take() run beside the program's threads,
// and a program that keeps calling writes into the chunks it used before.
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "core/capture/ApiCallRecorder.h"
#include "core/capture/DrainThread.h"

using namespace gaplens::capture;

namespace {

ApiRecord call(uint32_t tid, uint32_t correlation) {
    return {uint64_t(correlation) * 10, uint64_t(correlation) * 10 + 5, 0, tid, correlation, 211, 0, false};
}

}  // namespace

TEST_CASE("API calls appended on two threads while the drain and take() run: none lost, none twice", "[gpu][capture]") {
    ApiCallRecorder& recorder = ApiCallRecorder::instance();
    (void)recorder.take();
    addToDrainThread(&ApiCallRecorder::drainInstance);
    constexpr uint32_t kPerThread = 50000;
    std::atomic<int> running{2};
    auto writer = [&](uint32_t tid, uint32_t first) {
        for (uint32_t i = 0; i < kPerThread; ++i) recorder.append(call(tid, first + i));
        --running;
    };
    std::thread a(writer, 1, 1), b(writer, 2, 1 + kPerThread);
    std::vector<ApiRecord> taken;
    while (running.load() > 0) {
        std::vector<ApiRecord> some = recorder.take();
        taken.insert(taken.end(), some.begin(), some.end());
    }
    a.join();
    b.join();
    std::vector<ApiRecord> rest = recorder.take();
    taken.insert(taken.end(), rest.begin(), rest.end());
    REQUIRE(taken.size() == 2 * kPerThread);
    std::set<uint32_t> correlations;
    size_t garbled = 0;  // a call whose fields do not belong together
    for (const ApiRecord& c : taken) {
        correlations.insert(c.correlation);
        garbled += c.tid != (c.correlation <= kPerThread ? 1u : 2u) || c.end != c.start + 5;
    }
    CHECK(correlations.size() == 2 * kPerThread);
    CHECK(garbled == 0);
}

TEST_CASE("a program that keeps making CUDA calls writes them into the chunks it used before", "[gpu][capture]") {
    ApiCallRecorder& recorder = ApiCallRecorder::instance();
    (void)recorder.take();
    const uint64_t before = recorder.chunksAllocated();
    size_t taken = 0;
    for (uint32_t round = 0; round < 20; ++round) {
        for (uint32_t i = 0; i < 12000; ++i) recorder.append(call(1, round * 12000 + i));  // about three chunks
        taken += recorder.take().size();  // drains, and keeps the chunks for the next calls
    }
    CHECK(taken == 240000);
    // Without chunks used again it would be 60: one per 4,096 calls.
    CHECK(recorder.chunksAllocated() - before <= 5);
}
