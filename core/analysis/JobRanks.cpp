#include "core/analysis/JobRanks.h"

#include <algorithm>
#include <map>
#include <set>

namespace gaplens {

namespace {

const nlohmann::json kNull;

bool severalFiles(const Trace& trace) {
    const auto it = trace.metadata.find("files");
    return it != trace.metadata.end() && it->is_array();
}

// An integer member of an object, or `fallback`.
int intMember(const nlohmann::json& object, const char* key, int fallback) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return fallback;
    const int64_t v = it->get<int64_t>();
    return v >= 0 && v < (int64_t(1) << 30) ? int(v) : fallback;
}

std::string hostOf(const nlohmann::json& meta) {
    if (!meta.is_object()) return {};
    if (auto g = meta.find("gaplens"); g != meta.end() && g->is_object())
        if (auto h = g->find("host"); h != g->end() && h->is_string()) return h->get<std::string>();
    if (auto h = meta.find("hostname"); h != meta.end() && h->is_string()) return h->get<std::string>();
    return {};
}

}  // namespace

const nlohmann::json& fileMetadata(const Trace& trace, uint32_t file) {
    if (!severalFiles(trace)) return file == 0 ? trace.metadata : kNull;
    const nlohmann::json& files = trace.metadata["files"];
    return file < files.size() ? files[file] : kNull;
}

std::string filePath(const Trace& trace, uint32_t file) {
    if (!severalFiles(trace)) return file == 0 && !trace.sourcePaths.empty() ? trace.sourcePaths[0] : std::string();
    // sourcePaths holds the files read, in file order; "files" has an object for each of them.
    const nlohmann::json& files = trace.metadata["files"];
    size_t read = 0;
    for (uint32_t i = 0; i < files.size() && i < file; ++i) read += files[i].is_object();
    if (file >= files.size() || !files[file].is_object()) return {};
    return read < trace.sourcePaths.size() ? trace.sourcePaths[read] : std::string();
}

JobRanks findJobRanks(const Trace& trace) {
    JobRanks out;
    std::map<uint32_t, std::set<int>> devicesOfFile;
    for (const Process& p : trace.processes) {
        std::set<int>& devices = devicesOfFile[p.file];
        for (uint32_t t : p.tracks)
            if (trace.tracks[t].isGpu() && !trace.tracks[t].empty()) devices.insert(trace.tracks[t].device);
    }
    bool anyInfo = false;
    for (const auto& [file, devices] : devicesOfFile) {
        RankFile r;
        r.file = file;
        r.path = filePath(trace, file);
        const nlohmann::json& meta = fileMetadata(trace, file);
        const auto info = meta.is_object() ? meta.find("distributedInfo") : meta.end();
        if (meta.is_object() && info != meta.end() && info->is_object()) {
            const int rank = intMember(*info, "rank", -1);
            if (rank >= 0) {
                r.rank = rank;
                r.fromMetadata = true;
                anyInfo = true;
            }
            r.worldSize = intMember(*info, "world_size", 0);
        }
        r.host = hostOf(meta);
        r.devices.assign(devices.begin(), devices.end());
        out.ranks.push_back(std::move(r));
    }
    std::vector<int> claimed;
    for (const RankFile& r : out.ranks) claimed.push_back(r.fromMetadata ? r.rank : -1);
    std::string warning;
    const std::vector<int> numbers = numberRanks(claimed, &warning);
    if (!warning.empty()) out.warnings.push_back(warning);
    for (size_t i = 0; i < out.ranks.size(); ++i) {
        out.ranks[i].fromMetadata = out.ranks[i].fromMetadata && out.ranks[i].rank == numbers[i];
        out.ranks[i].rank = numbers[i];
    }
    std::stable_sort(out.ranks.begin(), out.ranks.end(), [](const RankFile& a, const RankFile& b) { return a.rank < b.rank; });
    out.job = out.ranks.size() > 1 && anyInfo;
    if (out.job) {
        int world = 0;
        for (const RankFile& r : out.ranks) world = std::max(world, r.worldSize);
        if (world > int(out.ranks.size()))
            out.warnings.push_back(std::to_string(out.ranks.size()) + " of the job's " + std::to_string(world) +
                                   " ranks are given: collectives are matched among those given");
    }
    return out;
}

std::vector<int> numberRanks(const std::vector<int>& claimed, std::string* warning) {
    std::set<int> taken;
    bool duplicate = false;
    for (int c : claimed)
        if (c >= 0 && !taken.insert(c).second) duplicate = true;
    std::vector<int> out(claimed.size());
    if (duplicate) {
        if (warning) *warning = "several files claim the same rank: ranks taken in file order instead";
        for (size_t i = 0; i < out.size(); ++i) out[i] = int(i);
        return out;
    }
    for (size_t i = 0; i < out.size(); ++i) {
        if (claimed[i] >= 0) {
            out[i] = claimed[i];
            continue;
        }
        int n = int(i);
        while (taken.count(n)) ++n;
        taken.insert(n);
        out[i] = n;
    }
    return out;
}

std::string rankLabel(const RankFile& rank) {
    std::string s = "rank " + std::to_string(rank.rank);
    for (size_t i = 0; i < rank.devices.size(); ++i)
        s += (i ? ", " : " \xC2\xB7 GPU ") + std::to_string(rank.devices[i]);
    return s;
}

void shiftFileTimes(Trace& trace, const std::vector<std::pair<uint32_t, TimeNs>>& fileDeltas) {
    std::map<uint32_t, TimeNs> deltaOf;
    for (const auto& [file, delta] : fileDeltas)
        if (delta != 0) deltaOf[file] = delta;
    if (deltaOf.empty()) return;
    auto deltaOfProcess = [&](uint32_t process) {
        const auto it = deltaOf.find(trace.processes[process].file);
        return it == deltaOf.end() ? TimeNs(0) : it->second;
    };
    for (Track& t : trace.tracks) {
        const TimeNs delta = deltaOfProcess(t.process);
        if (delta == 0) continue;
        for (TimeNs& s : t.start) s += delta;
        for (TimeNs& q : t.queued) if (q != 0) q += delta;
        for (TimeNs& q : t.submitted) if (q != 0) q += delta;
    }
    for (CounterSeries& c : trace.counters)
        if (const TimeNs delta = deltaOfProcess(c.process); delta != 0)
            for (TimeNs& x : c.time) x += delta;
    trace.finalize();
}

}  // namespace gaplens
