#include "core/io/ChunkMerger.h"

#include <algorithm>
#include <numeric>

#include "core/model/ParallelJobs.h"

namespace gaplens::importer {

uint32_t ChunkMerger::process(int64_t pid) {
    auto it = file_.processByPid.find(pid);
    if (it != file_.processByPid.end()) return it->second;
    const uint32_t p = trace_.addProcess(pid, {}, file_.fileIndex);
    if (auto l = file_.labels.find(pid); l != file_.labels.end())
        trace_.processes[p].pidLabel = l->second.empty() ? "(global)" : l->second;
    file_.processByPid.emplace(pid, p);
    return p;
}

uint32_t ChunkMerger::track(TrackKey key) {
    auto it = file_.trackByKey.find(key);
    if (it != file_.trackByKey.end()) return it->second;
    const uint32_t p = process(key.pid);
    const uint32_t t = trace_.addTrack(p, TrackKind::CpuThread, key.tid, {});
    if (auto l = file_.labels.find(key.tid); l != file_.labels.end()) trace_.tracks[t].tidLabel = l->second;
    file_.trackByKey.emplace(key, t);
    return t;
}

void ChunkMerger::merge(ChunkState& chunk) {
    for (auto& [k, v] : chunk.labels) file_.labels.emplace(k, v);
    // Processes and tracks in the order the file names them (ChunkState::appearances).
    for (const ChunkState::Appearance& a : chunk.appearances) {
        if (a.processOnly) process(a.key.pid);
        else track(a.key);
    }
    auto namesTable = std::make_shared<std::vector<StringId>>(chunk.strings.size(), 0);
    auto argsTable = std::make_shared<std::vector<StringId>>(chunk.argTexts.size(), 0);
    std::vector<StringId>& names = *namesTable;
    std::vector<StringId>& argIds = *argsTable;
    for (StringId i = 1; i < chunk.strings.size(); ++i) names[i] = trace_.strings.intern(chunk.strings.str(i));
    for (StringId i = 1; i < chunk.argTexts.size(); ++i) argIds[i] = trace_.argTexts.intern(chunk.argTexts.str(i));

    for (LocalTrack& lt : chunk.tracks) {
        const uint32_t ti = track(lt.key);
        if (lt.gpuHint) {
            gpuTracks.push_back(ti);
            if (lt.device >= 0) trace_.tracks[ti].device = lt.device;
        }
        if (lt.columns.empty()) continue;
        pieces(ti).push_back({std::move(lt.columns), namesTable, argsTable});
    }
    for (MetaRecord& m : chunk.metas) applyMeta(m);
    for (BeginEnd& be : chunk.beginEnds) {
        be.name = names[be.name];
        be.category = names[be.category];
        be.args = argIds[be.args];
        pairBeginEnd(be);
    }
    for (PendingFlow& f : chunk.flows) {
        f.category = names[f.category];
        f.name = names[f.name];
    }
    if (!chunk.flows.empty()) file_.flows.push_back(std::move(chunk.flows));
    for (CounterSample& s : chunk.counters) {
        const std::string key = std::to_string(s.key.pid) + "\x1f" + s.series;
        auto it = file_.counterByName.find(key);
        if (it == file_.counterByName.end()) {
            trace_.counters.push_back({process(s.key.pid), s.series, {}, {}});
            it = file_.counterByName.emplace(key, nullptr).first;
            counterIndex_[key] = trace_.counters.size() - 1;
        }
        CounterSeries& series = trace_.counters[counterIndex_[key]];
        series.time.push_back(s.ts);
        series.value.push_back(s.value);
    }
}

// Closes B events left open at the end of the file at the file's last timestamp.
uint64_t ChunkMerger::closeOpenBegins(TimeNs lastTs) {
    uint64_t n = 0;
    for (auto& [key, stack] : file_.openBegins)
        for (const BeginEnd& b : stack) {
            emit(key, b, std::max(lastTs, b.ts));
            ++n;
        }
    file_.openBegins.clear();
    return n;
}

void ChunkMerger::applyMeta(MetaRecord m) {
    // Kineto pads some names ("stream 7 "): trailing blanks carry nothing.
    while (!m.text.empty() && m.text.back() == ' ') m.text.pop_back();
    switch (m.kind) {
    case MetaKind::ProcessName: trace_.processes[process(m.key.pid)].name = m.text; break;
    case MetaKind::ProcessLabels: trace_.processes[process(m.key.pid)].labels = m.text; break;
    case MetaKind::ProcessSort:
        trace_.processes[process(m.key.pid)].sortIndex = static_cast<int32_t>(m.number);
        break;
    case MetaKind::ThreadName: trace_.tracks[track(m.key)].name = m.text; break;
    case MetaKind::ThreadSort: trace_.tracks[track(m.key)].sortIndex = static_cast<int32_t>(m.number); break;
    }
}

void ChunkMerger::pairBeginEnd(const BeginEnd& be) {
    auto& stack = file_.openBegins[be.key];
    if (be.begin) {
        stack.push_back(be);
        return;
    }
    if (stack.empty()) {
        ++unmatchedEnds;
        return;
    }
    BeginEnd b = stack.back();
    stack.pop_back();
    if (b.args == 0) b.args = be.args;
    emit(be.key, b, be.ts);
}

void ChunkMerger::emit(TrackKey key, const BeginEnd& b, TimeNs endTs) {
    const uint32_t ti = track(key);
    const EventKind kind = eventKindFromCategory(trace_.strings.str(b.category));
    std::vector<TrackPiece>& list = pieces(ti);
    if (list.empty() || list.back().names) list.emplace_back();
    Track& t = list.back().columns;
    t.start.push_back(b.ts);
    t.dur.push_back(std::max<TimeNs>(0, endTs - b.ts));
    t.nameId.push_back(b.name);
    t.category.push_back(b.category);
    t.kind.push_back(kind);
    t.correlation.push_back(0);
    t.args.push_back(b.args);
}

std::vector<TrackPiece>& ChunkMerger::pieces(uint32_t ti) {
    if (ti >= pieces_.size()) pieces_.resize(ti + 1);
    return pieces_[ti];
}

void ChunkMerger::assemble(unsigned threads, const std::function<void()>& alongside) {
    // Sizes first: the jobs below change the pieces (each frees what it copied).
    struct Sizes {
        size_t total = 0;
        bool latency = false;
        std::vector<size_t> pieces;
    };
    std::vector<Sizes> sizes(pieces_.size());
    // One job per column of a track that has pieces: columns are independent, and the few big
    // tracks (the main thread, the busy streams) then spread over the threads too.
    enum Column : uint8_t { Start, Dur, Kind, Correlation, Name, Category, Args, Latency, kColumns };
    std::vector<std::pair<uint32_t, Column>> jobs;
    for (uint32_t ti = 0; ti < pieces_.size(); ++ti) {
        if (pieces_[ti].empty()) continue;
        Sizes& z = sizes[ti];
        z.total = trace_.tracks[ti].size();
        z.latency = !trace_.tracks[ti].queued.empty();
        for (const TrackPiece& p : pieces_[ti]) {
            z.pieces.push_back(p.columns.size());
            z.total += p.columns.size();
            z.latency = z.latency || !p.columns.queued.empty();
        }
        for (uint8_t c = 0; c < kColumns; ++c) jobs.push_back({ti, static_cast<Column>(c)});
    }
    const int64_t correlationOffset = file_.correlationOffset;
    auto copyColumn = [&](uint32_t ti, Column column) {
        Track& t = trace_.tracks[ti];
        std::vector<TrackPiece>& list = pieces_[ti];
        const Sizes& z = sizes[ti];
        auto plain = [&](auto& out, auto member) {
            out.reserve(z.total);
            for (TrackPiece& p : list) {
                auto& in = p.columns.*member;
                out.insert(out.end(), in.begin(), in.end());
                std::remove_reference_t<decltype(in)>().swap(in);
            }
        };
        auto mapped = [&](std::vector<StringId>& out, std::vector<StringId> Track::*member, bool args) {
            out.reserve(z.total);
            for (TrackPiece& p : list) {
                std::vector<StringId>& in = p.columns.*member;
                const std::vector<StringId>* table = args ? p.argIds.get() : p.names.get();
                if (!table) out.insert(out.end(), in.begin(), in.end());
                else
                    for (StringId id : in) out.push_back((*table)[id]);
                std::vector<StringId>().swap(in);
            }
        };
        switch (column) {
        case Start: plain(t.start, &Track::start); break;
        case Dur: plain(t.dur, &Track::dur); break;
        case Kind: plain(t.kind, &Track::kind); break;
        case Correlation: {
            const size_t base = t.correlation.size();
            plain(t.correlation, &Track::correlation);
            for (size_t i = base; i < t.correlation.size(); ++i)
                if (t.correlation[i] != 0) t.correlation[i] += correlationOffset;
            break;
        }
        case Name: mapped(t.nameId, &Track::nameId, false); break;
        case Category: mapped(t.category, &Track::category, false); break;
        case Args: mapped(t.args, &Track::args, true); break;
        case Latency:
            // Latency columns stay as long as the others once any piece has them (a batch may hold
            // only CPU-side events of a track with GPU work): zeros where a piece has none.
            if (!z.latency) break;
            for (auto member : {&Track::queued, &Track::submitted}) {
                std::vector<TimeNs>& out = t.*member;
                out.reserve(z.total);
                out.resize(z.total - std::accumulate(z.pieces.begin(), z.pieces.end(), size_t(0)), 0);
                for (size_t k = 0; k < list.size(); ++k) {
                    std::vector<TimeNs>& in = list[k].columns.*member;
                    out.insert(out.end(), in.begin(), in.end());
                    out.resize(out.size() + (z.pieces[k] - in.size()), 0);
                    std::vector<TimeNs>().swap(in);
                }
            }
            break;
        default: break;
        }
    };
    // Job 0 is `alongside`, the others copy one column each.
    runJobs(jobs.size() + 1, threads, [&](size_t j) {
        if (j == 0) alongside();
        else copyColumn(jobs[j - 1].first, jobs[j - 1].second);
    });
    pieces_.clear();
}

}  // namespace gaplens::importer
