#pragma once
// What a record (a range, a recorded CUDA call) costs the thread that makes it when the thread does
// other work in between, as a program does: in a tight loop the recorder's memory stays in the
// core's caches and its fresh pages fault rarely per record, which is not how a training process
// sees it. The other work touches `lines` cache lines at a stride through 16 MB (512 lines take
// about as long as a small torch op), so what a record touches has left the L1 and L2 caches by the
// next one. Blocks of 2000 records with the work, and of the work alone, take turns; the figure is
// the median over the pairs of the blocks' difference, as the other work's own time drifts more
// than a record costs. Used by range_record_cost and itt_route_cost.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace gaplens::bench {

struct CostBetweenOtherWork {
    double addedNs = 0;      // per record, over the other work alone
    double otherWorkNs = 0;  // the other work alone, per record
};

template <class Record>
CostBetweenOtherWork costBetweenOtherWork(int lines, int pairs, Record&& record) {
    std::vector<uint64_t> otherMemory((16u << 20) / sizeof(uint64_t), 1);
    size_t cursor = 0;
    auto block = [&](bool withRecord, int base) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = base; i < base + 2000; ++i) {
            for (int k = 0; k < lines; ++k) {
                cursor = (cursor + 4099 * 8) % otherMemory.size();  // 8 words = one line, and 4099 lines on
                otherMemory[cursor] += 1;
            }
            if (withRecord) record(i);
        }
        return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / 2000;
    };
    std::vector<double> added, alone;
    for (int pair = 0; pair < pairs; ++pair) {
        const bool recordFirst = pair % 2 == 1;
        const double first = block(recordFirst, pair * 4000), second = block(!recordFirst, pair * 4000 + 2000);
        added.push_back(recordFirst ? first - second : second - first);
        alone.push_back(recordFirst ? second : first);
    }
    const size_t mid = added.size() / 2;
    std::nth_element(added.begin(), added.begin() + mid, added.end());
    std::nth_element(alone.begin(), alone.begin() + mid, alone.end());
    return {added[mid], alone[mid]};
}

}  // namespace gaplens::bench
