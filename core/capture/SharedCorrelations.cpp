#include "core/capture/SharedCorrelations.h"

#include <algorithm>
#include <numeric>

namespace gaplens::capture {

size_t keepOneCallPerCorrelation(std::vector<ApiRecord>& calls, const std::function<bool(const ApiRecord&)>& canLaunchWork) {
    // Indices ordered by id, then start: the calls of one id are neighbours, first call first.
    std::vector<size_t> order(calls.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return calls[a].correlation != calls[b].correlation ? calls[a].correlation < calls[b].correlation
                                                            : calls[a].start < calls[b].start;
    });
    size_t dropped = 0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && calls[order[j]].correlation == calls[order[i]].correlation) ++j;
        if (calls[order[i]].correlation != 0 && j - i > 1) {
            size_t keeper = i;
            for (size_t k = i; k < j; ++k)
                if (canLaunchWork(calls[order[k]])) {
                    keeper = k;
                    break;
                }
            for (size_t k = i; k < j; ++k)
                if (k != keeper) {
                    calls[order[k]].correlation = 0;
                    ++dropped;
                }
        }
        i = j;
    }
    return dropped;
}

bool isWorkLaunchingCall(std::string_view name) {
    for (std::string_view prefix : {"cudaLaunch", "cuLaunch", "cudaGraphLaunch", "cuGraphLaunch", "cudaMemcpy", "cuMemcpy",
                                    "cudaMemset", "cuMemset"})
        if (name.substr(0, prefix.size()) == prefix) return true;
    return false;
}

}  // namespace gaplens::capture
