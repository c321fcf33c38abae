#include "core/report/RankReportReader.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unordered_map>

#include <simdjson.h>

#include "core/model/ParallelJobs.h"

namespace gaplens {

namespace {

namespace od = simdjson::ondemand;

TimeNs nsOf(double us) {
    if (!std::isfinite(us) || std::fabs(us) > 9.2e15) throw std::runtime_error("time out of range");
    return TimeNs(std::llround(us * 1000.0));
}

std::string stringOf(od::value v) {
    if (v.is_null()) return {};
    std::string_view s = v.get_string();
    return std::string(s);
}

// Index of `s` in `list`, with a one-entry cache: a rank's collectives mostly repeat one name.
struct Interned {
    std::vector<std::string>* list = nullptr;
    std::unordered_map<std::string, uint32_t> index;
    uint32_t last = UINT32_MAX;
    uint32_t of(std::string_view s) {
        if (last != UINT32_MAX && (*list)[last] == s) return last;
        auto [it, added] = index.emplace(std::string(s), uint32_t(list->size()));
        if (added) list->push_back(it->first);
        return last = it->second;
    }
};

// One entry of "collectives".
void readCollective(od::object o, RankCollectives& rank, Interned& groups, Interned& names) {
    CollectiveKernel k;
    bool haveStart = false, haveGroup = false, haveName = false;
    for (auto field : o) {
        const std::string_view key = field.unescaped_key();
        od::value v = field.value();
        if (key == "name") {
            k.name = names.of(v.get_string());
            haveName = true;
        } else if (key == "group") {
            if (!v.is_null()) {
                k.group = groups.of(v.get_string());
                haveGroup = true;
            }
        } else if (key == "stream") k.stream = int32_t(int64_t(v.get_int64()));
        else if (key == "start_us_abs") k.startAbsNs = nsOf(v.get_double()), haveStart = true;
        else if (key == "dur_us") k.durNs = nsOf(v.get_double());
        else if (key == "alone_us") k.aloneNs = nsOf(v.get_double());
    }
    if (!haveStart) throw std::runtime_error("a collective without start_us_abs");
    if (!haveGroup) k.group = groups.of("stream " + std::to_string(k.stream));
    if (!haveName) k.name = names.of("");
    k.durNs = std::max<TimeNs>(0, k.durNs);
    k.aloneNs = std::clamp<TimeNs>(k.aloneNs, 0, k.durNs);
    rank.kernels.push_back(k);
}

RankCollectives readRank(od::object o) {
    RankCollectives r;
    bool haveRank = false, haveList = false;
    Interned groups, names;
    groups.list = &r.groups;
    names.list = &r.names;
    for (auto field : o) {
        const std::string_view key = field.unescaped_key();
        od::value v = field.value();
        if (key == "rank") {
            haveRank = true;
            r.rankKnown = !v.is_null();
            if (r.rankKnown) r.rank = int(v.get_int64());
        }
        else if (key == "world_size") r.worldSize = int(v.get_int64());
        else if (key == "file") r.path = stringOf(v);
        else if (key == "host") r.host = stringOf(v);
        else if (key == "devices") for (auto d : v.get_array()) r.devices.push_back(int(int64_t(d.get_int64())));
        else if (key == "busy_us") r.busyNs = nsOf(v.get_double());
        else if (key == "span_us") r.spanNs = nsOf(v.get_double());
        else if (key == "overlap_us") r.overlapNs = nsOf(v.get_double());
        else if (key == "collectives") {
            haveList = true;
            for (auto c : v.get_array()) readCollective(c.get_object(), r, groups, names);
        }
    }
    if (!haveRank) throw std::runtime_error("a rank without its \"rank\" number");
    if (!haveList)
        throw std::runtime_error("rank " + std::to_string(r.rank) +
                                 " has no \"collectives\" list (a job summary, not a per-rank report?)");
    // In start order, numbered per group.
    std::stable_sort(r.kernels.begin(), r.kernels.end(),
                     [](const CollectiveKernel& a, const CollectiveKernel& b) { return a.startAbsNs < b.startAbsNs; });
    std::vector<uint32_t> next(r.groups.size(), 0);
    for (CollectiveKernel& k : r.kernels) {
        k.seq = next[k.group]++;
        r.collectiveNs += k.durNs;
    }
    return r;
}

void readRanks(od::value v, std::vector<RankCollectives>& out) {
    for (auto r : v.get_array()) out.push_back(readRank(r.get_object()));
}

std::string readDocument(od::parser& parser, simdjson::padded_string_view text, const std::string& path,
                         std::vector<RankCollectives>& out) {
    const size_t before = out.size();
    try {
        od::document doc = parser.iterate(text);
        bool found = false;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            if (key == "ranks") {
                found = true;
                readRanks(field.value(), out);
            } else if (key == "reports") {
                for (auto report : field.value().get_array())
                    for (auto inner : report.get_object())
                        if (std::string_view(inner.unescaped_key()) == "ranks") {
                            found = true;
                            readRanks(inner.value(), out);
                        }
            }
        }
        if (!found)
            return path + ": no \"ranks\" section (make it with gaplens report --format json on a rank's trace: one "
                          "with distributedInfo or NCCL kernels)";
    } catch (const simdjson::simdjson_error& e) {
        out.resize(before);
        return path + ": not a gaplens report JSON (" + e.what() + ")";
    } catch (const std::exception& e) {
        out.resize(before);
        return path + ": " + e.what();
    }
    for (size_t i = before; i < out.size(); ++i)
        if (out[i].path.empty()) out[i].path = path;
    return {};
}

}  // namespace

std::string readRankReportText(const std::string& text, const std::string& path, std::vector<RankCollectives>& out) {
    od::parser parser;
    const simdjson::padded_string padded(text);
    return readDocument(parser, padded, path, out);
}

namespace {

// Reads a whole file into `buffer` (kept by the caller and reused: thousands of files cost no new
// memory each) with simdjson's padding after it. "" or the error.
std::string readPadded(const std::string& path, std::string& buffer, size_t& length) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return path + ": cannot read (" + std::strerror(errno) + ")";
    length = 0;
    while (true) {
        if (buffer.size() < length + (1 << 16) + simdjson::SIMDJSON_PADDING)
            buffer.resize(std::max(buffer.size() * 2, length + (1 << 16) + simdjson::SIMDJSON_PADDING));
        const size_t n = std::fread(buffer.data() + length, 1, buffer.size() - length - simdjson::SIMDJSON_PADDING, f);
        length += n;
        if (n == 0) break;
    }
    const bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) return path + ": cannot read (read error)";
    std::memset(buffer.data() + length, 0, simdjson::SIMDJSON_PADDING);
    return {};
}

}  // namespace

RankReports readRankReports(const std::vector<std::string>& paths, unsigned threads) {
    RankReports result;
    const unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::vector<RankCollectives>> perFile(paths.size());
    std::vector<std::string> errors(paths.size());
    runJobs(paths.size(), n, [&](size_t i) {
        thread_local od::parser parser;  // both reused for the files this thread reads
        thread_local std::string buffer;
        size_t length = 0;
        if (std::string error = readPadded(paths[i], buffer, length); !error.empty()) {
            errors[i] = std::move(error);
            return;
        }
        errors[i] = readDocument(parser, simdjson::padded_string_view(buffer.data(), length, buffer.size()), paths[i],
                                 perFile[i]);
    });
    size_t total = 0;
    for (const auto& v : perFile) total += v.size();
    result.ranks.reserve(total);
    for (size_t i = 0; i < paths.size(); ++i) {
        if (!errors[i].empty()) result.errors.push_back(std::move(errors[i]));
        for (RankCollectives& r : perFile[i]) result.ranks.push_back(std::move(r));
    }
    return result;
}

}  // namespace gaplens
