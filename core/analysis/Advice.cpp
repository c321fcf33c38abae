#include "core/analysis/Advice.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "core/analysis/Percentiles.h"
#include "core/model/TimeText.h"

namespace gaplens {

namespace {

std::string pct(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.0f%%", x);
    return b;
}

// The host op named most often (by time) in the details of the gaps of one cause.
std::string topOpOf(const GapAnalysis& gaps, GapCause cause) {
    for (size_t i = 0; i < gaps.detailCount(); ++i) {  // longest first; later gaps have no detail
        const std::string detail(gaps.detailOf(i));
        if (gaps.gaps[i].cause == cause && !detail.empty()) {
            const std::string prefix = "host ops: ";
            std::string d = detail.substr(0, prefix.size()) == prefix ? detail.substr(prefix.size()) : detail;
            d = d.substr(0, d.find(", "));
            // "aten::add 10.0 µs" -> "aten::add": drop the duration (number and unit).
            for (int k = 0; k < 2; ++k) {
                const size_t sp = d.rfind(' ');
                if (sp == std::string::npos) break;
                d.resize(sp);
            }
            return d;
        }
    }
    return {};
}

TimeNs medianKernelNs(const Trace& trace) {
    std::vector<TimeNs> d;
    for (const Track& t : trace.tracks)
        if (t.isGpu())
            for (uint32_t i = 0; i < t.size(); ++i)
                if (t.kind[i] == EventKind::Kernel) d.push_back(t.dur[i]);
    return upperMedianOf(d);
}

}  // namespace

std::optional<Advice> adviseHostOverhead(const AdviceInput& in) {
    if (!in.gaps || !in.bound || !in.trace) return std::nullopt;
    const CauseTotal& host = in.gaps->total(GapCause::HostOverhead);
    // Many gaps, and most of the idle time of the steady window (the cold start, and the host
    // idling before and after the measured loop, would otherwise hide a loop the host limits).
    TimeNs idle = 0, hostIdle = 0;
    const bool windowed = in.bound->instances > 0;
    for (const Gap& g : in.gaps->gaps) {
        if (g.device != in.bound->device && windowed) continue;
        const TimeNs a = windowed ? std::max(g.start, in.bound->startNs) : g.start;
        const TimeNs b = windowed ? std::min(g.end(), in.bound->endNs) : g.end();
        if (b <= a || g.cause == GapCause::Setup) continue;
        idle += b - a;
        if (g.cause == GapCause::HostOverhead) hostIdle += b - a;
    }
    // Only where the GPU waits for the host: not when kernels or copies keep it busy.
    if (host.count < 3 || idle <= 0 || 2 * hostIdle < idle || in.bound->cls == BoundClass::ComputeBound ||
        in.bound->cls == BoundClass::CopyBound)
        return std::nullopt;
    const TimeNs medianKernel = medianKernelNs(*in.trace);
    Advice a;
    a.rule = "host-overhead";
    a.savingNs = host.totalNs;
    const double share = 100.0 * double(hostIdle) / double(idle);
    const std::string top = topOpOf(*in.gaps, GapCause::HostOverhead);
    a.text = "host overhead is " + pct(share) + " of the idle time" +
             (windowed ? std::string(" in the steady window") : std::string()) + ", across " + std::to_string(host.count) +
             " gaps between short kernels" + (top.empty() ? "" : ", top: `" + top + "`") +
             "; CUDA graphs, torch.compile, fused ops or batching remove the per-launch host cost";
    if (in.bound->instances > 0 && in.bound->cpuPerIterNs > 0)
        a.text += " and could cut the step from " + formatDuration(in.bound->cpuPerIterNs) + " toward the " +
                  formatDuration(in.bound->gpuPerIterNs) + " the GPU is busy";
    a.evidence = std::to_string(host.count) + " host-overhead gaps, " + formatDuration(host.totalNs) + "; " +
                 formatDuration(hostIdle) + " of " + formatDuration(idle) + " idle in the window; median kernel " + formatDuration(medianKernel) + "; " +
                 std::string(boundClassName(in.bound->cls));
    return a;
}

std::optional<Advice> adviseSync(const AdviceInput& in) {
    if (!in.gaps) return std::nullopt;
    const CauseTotal& sync = in.gaps->total(GapCause::Sync);
    if (sync.count == 0 || sync.totalNs < 100'000 || 20 * sync.totalNs < in.gaps->idleNs) return std::nullopt;
    Advice a;
    a.rule = "sync";
    a.savingNs = sync.totalNs;
    a.text = "the host waits on the GPU and then has to submit new work: remove per-step host syncs "
             "(`.item()`, `.cpu()`, blocking copies, cudaDeviceSynchronize) or move them out of the loop";
    std::string first;
    for (size_t i = 0; i < in.gaps->detailCount() && first.empty(); ++i)  // longest first
        if (in.gaps->gaps[i].cause == GapCause::Sync) first = in.gaps->detailOf(i);
    a.evidence = std::to_string(sync.count) + " sync gaps, " + formatDuration(sync.totalNs) +
                 (first.empty() ? "" : "; longest: " + first);
    return a;
}

std::optional<Advice> adviseSetup(const AdviceInput& in) {
    if (!in.gaps) return std::nullopt;
    const CauseTotal& setup = in.gaps->total(GapCause::Setup);
    if (setup.count == 0 || setup.totalNs < 1'000'000) return std::nullopt;
    Advice a;
    a.rule = "setup";
    a.savingNs = setup.totalNs;
    a.text = "one-time work (allocation, module loading, cold cuBLAS heuristics) leaves the GPU idle for " +
             formatDuration(setup.totalNs) +
             ": warm up (run an iteration) before the measured region, preallocate, load modules eagerly "
             "(CUDA_MODULE_LOADING=EAGER)";
    std::string first;
    for (size_t i = 0; i < in.gaps->detailCount() && first.empty(); ++i)  // longest first
        if (in.gaps->gaps[i].cause == GapCause::Setup) first = in.gaps->detailOf(i);
    a.evidence = std::to_string(setup.count) + " setup gaps" + (first.empty() ? "" : "; longest: " + first);
    return a;
}

std::optional<Advice> advisePageableMemcpy(const AdviceInput& in) {
    if (!in.trace) return std::nullopt;
    int64_t count = 0;
    TimeNs total = 0;
    for (const Track& t : in.trace->tracks) {
        if (!t.isGpu()) continue;
        for (uint32_t i = 0; i < t.size(); ++i) {
            if (t.kind[i] != EventKind::Memcpy) continue;
            // Kineto names them "Memcpy HtoD (Pageable -> Device)"; args may say "Pageable" too.
            const std::string_view name = in.trace->strings.str(t.nameId[i]);
            const std::string_view args = in.trace->argTexts.str(t.args[i]);
            if (name.find("Pageable") == std::string_view::npos && args.find("Pageable") == std::string_view::npos)
                continue;
            ++count;
            total += t.dur[i];
        }
    }
    if (count == 0 || total < 10'000) return std::nullopt;
    Advice a;
    a.rule = "pageable-memcpy";
    a.savingNs = total;
    a.text = "copies from pageable host memory are staged and cannot overlap compute: use pinned memory "
             "(`pin_memory=True`, cudaHostAlloc) and non_blocking copies";
    a.evidence = std::to_string(count) + " pageable memcpy, " + formatDuration(total);
    return a;
}

std::optional<Advice> adviseGpuBound(const AdviceInput& in) {
    if (!in.bound || !in.latency || in.bound->cls != BoundClass::ComputeBound) return std::nullopt;
    if (in.latency->queueP50Ns < 1'000'000 && in.latency->queueP50Ns <= 10 * std::max<TimeNs>(1, in.latency->dispatchP50Ns))
        return std::nullopt;
    Advice a;
    a.rule = "gpu-bound";
    // The time at stake is on the GPU: the kernel that takes most of it.
    std::string top;
    TimeNs topNs = 0;
    if (in.ops)
        for (const OpRow& r : in.ops->rows)
            if (r.onGpu && r.kind == EventKind::Kernel && r.selfGpuNs > topNs) {
                topNs = r.selfGpuNs;
                top = r.name;
            }
    a.savingNs = topNs;
    a.text = "the GPU is the limit (launches wait " + formatDuration(in.latency->queueP50Ns) +
             " in the queue at the median): host-side fixes will not help; look at the kernels" +
             (top.empty() ? std::string() : ", first `" + top.substr(0, 80) + "`");
    a.evidence = "busy " + pct(in.bound->busyPct) + ", queue wait p50 " + formatDuration(in.latency->queueP50Ns) +
                 ", dispatch p50 " + formatDuration(in.latency->dispatchP50Ns);
    return a;
}

std::optional<Advice> adviseCopyBound(const AdviceInput& in) {
    if (!in.bound || in.bound->cls != BoundClass::CopyBound) return std::nullopt;
    const BoundResult& b = *in.bound;
    int64_t pageable = 0;
    if (in.trace)
        for (const Track& t : in.trace->tracks)
            if (t.isGpu() && t.device == b.device)
                for (uint32_t i = 0; i < t.size(); ++i)
                    if (t.kind[i] == EventKind::Memcpy && t.start[i] < b.endNs && t.end(i) > b.startNs &&
                        in.trace->strings.str(t.nameId[i]).find("Pageable") != std::string_view::npos)
                        ++pageable;
    Advice a;
    a.rule = "copy-bound";
    a.savingNs = b.computeIdleWhileCopyingNs;
    a.text = "copies keep the copy engines busy " + pct(b.copyBusyPct) + " of the window while kernels run " +
             pct(b.computeBusyPct) + ": the SMs sit idle " + formatDuration(b.computeIdleWhileCopyingNs) +
             " while copies run. Copy from pinned memory (`pin_memory=True`, cudaHostAlloc: faster, and "
             "asynchronous), overlap the copies with compute on another stream, and copy less (keep data on the "
             "GPU, copy once, smaller types)";
    a.evidence = "copy busy " + formatDuration(b.copyBusyNs) + ", kernels " + formatDuration(b.computeBusyNs) +
                 ", compute idle while copying " + formatDuration(b.computeIdleWhileCopyingNs) + " in " + b.window +
                 (pageable ? "; " + std::to_string(pageable) + " pageable memcpy" : std::string());
    return a;
}

std::vector<Advice> computeAdvice(const AdviceInput& in) {
    std::vector<Advice> out;
    for (auto rule : {adviseHostOverhead, adviseSync, adviseSetup, advisePageableMemcpy, adviseGpuBound, adviseCopyBound})
        if (auto a = rule(in)) out.push_back(std::move(*a));
    std::stable_sort(out.begin(), out.end(), [](const Advice& a, const Advice& b) { return a.savingNs > b.savingNs; });
    return out;
}

std::optional<Advice> adviseStraggler(const JobCollectives& job) {
    if (!job.straggler) return std::nullopt;
    const Straggler& s = *job.straggler;
    const TimeNs collective = job.totalCollectiveNs();
    const TimeNs wait = job.totalWaitNs();
    const double share = wait > 0 ? double(s.othersWaitNs) / double(wait) : 0.0;
    const double fair = std::min(0.6, 1.5 / double(std::max<size_t>(1, job.ranks.size())));
    if (s.instances < 3 || collective <= 0 || 20 * s.othersWaitNs < collective || share < fair) return std::nullopt;
    const RankCollectives& rank = job.ranks[s.rank];
    const std::string who = "rank " + std::to_string(rank.rank);
    Advice a;
    a.rule = "straggler";
    a.savingNs = s.othersWaitNs;
    a.text = who + " arrives last at " + std::to_string(s.lastCount) + " of " + std::to_string(s.instances) +
             " collectives and the other ranks' GPUs wait " + formatDuration(s.othersWaitNs) +
             " in them: balance the work per rank (batch or sequence sizes, uneven layers or data) or speed up what " +
             who + " runs before its collectives";
    if (s.activity) {
        const RankActivity& act = *s.activity;
        const double busy = act.intervalNs > 0 ? 100.0 * double(act.gpuBusyNs) / double(act.intervalNs) : 0.0;
        a.text += "; meanwhile its GPU was " + pct(busy) + " busy";
        if (!act.kernels.empty()) a.text += ", top kernel `" + act.kernels.front().name.substr(0, 80) + "`";
        if (!act.ops.empty()) a.text += ", top host op `" + act.ops.front().name.substr(0, 80) + "`";
    }
    a.evidence = "last at " + std::to_string(s.lastCount) + "/" + std::to_string(s.instances) + " collectives; the wait it causes " +
                 formatDuration(s.othersWaitNs) + " is " + pct(100.0 * share) + " of all waiting and " +
                 pct(100.0 * double(s.othersWaitNs) / double(collective)) + " of " + formatDuration(collective) +
                 " collective time";
    return a;
}

}  // namespace gaplens
