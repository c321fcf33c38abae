#include "core/report/RankReportReader.h"

#include <cmath>
#include <limits>
#include <cstring>
#include <thread>
#include <unordered_map>

#include <simdjson.h>

#include "core/analysis/Prefault.h"
#include "core/io/InputBuffer.h"
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
        else if (key == "collective_count") {
            // Comes before "collectives" (keys are sorted): room for them at once, mapped in one call
            // (thousands of ranks' arrays would otherwise fault in page by page).
            const int64_t n = v.get_int64();
            if (n > 0 && n < (int64_t(1) << 26)) reservePrefaulted(r.kernels, size_t(n), 16 << 10);
        }
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
        if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
            throw std::runtime_error("text after the end of the JSON document");
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

// Where the last `"ranks":` starts in `text` (npos if none), searched from the end: memrchr finds the
// rare 'k' with SIMD, where std::string_view::rfind would compare at every byte of the section.
size_t lastRanksKey(std::string_view text) {
    static constexpr std::string_view kKey = "\"ranks\":";
    size_t end = text.size();
    while (end > 0) {
        const void* hit = ::memrchr(text.data(), 'k', end);
        if (!hit) return std::string_view::npos;
        const size_t k = size_t(static_cast<const char*>(hit) - text.data());  // the 'k' of "ranks"
        if (k >= 4 && text.substr(k - 4, kKey.size()) == kKey) return k - 4;
        end = k;
    }
    return std::string_view::npos;
}

// The text of one report, mapped (a .gz inflated) through InputBuffer; parsed where it lies when
// the mapping leaves simdjson's padding after it, else copied into `buffer` (kept by the caller and
// reused). "" or the error.
std::string readReport(const std::string& path, od::parser& parser, std::string& buffer,
                       std::vector<RankCollectives>& out) {
    InputBuffer input;
    TextWindow window;
    std::string status = input.open(path);
    if (status.empty()) {
        input.prefetch(0, size_t(input.fileBytes()));
        status = input.next(window, 0, std::numeric_limits<size_t>::max());
    }
    if (!status.empty() && status.rfind("warning:", 0) != 0) return status;
    if (!status.empty()) return path + ":" + status.substr(8);  // a cut .gz: no whole report
    // A report's keys are sorted, so its "ranks" section is the last but for "trace": parse from
    // there (prefixed with "{") and leave the rest of the report unread. Anything else (a report of
    // several files, another writer's order) fails that parse and is read whole.
    const std::string_view text(window.data, window.size);
    if (const size_t at = lastRanksKey(text); at != std::string_view::npos && at > 0) {
        const size_t length = 1 + text.size() - at;
        if (buffer.size() < length + simdjson::SIMDJSON_PADDING) buffer.resize(length + simdjson::SIMDJSON_PADDING);
        buffer[0] = '{';
        std::memcpy(buffer.data() + 1, text.data() + at, text.size() - at);
        std::memset(buffer.data() + length, 0, simdjson::SIMDJSON_PADDING);
        std::vector<RankCollectives> tail;
        if (readDocument(parser, simdjson::padded_string_view(buffer.data(), length, buffer.size()), path, tail).empty()) {
            for (RankCollectives& r : tail) out.push_back(std::move(r));
            return {};
        }
    }
    if (window.readable >= window.size + simdjson::SIMDJSON_PADDING)
        return readDocument(parser, simdjson::padded_string_view(window.data, window.size, window.readable), path, out);
    if (buffer.size() < window.size + simdjson::SIMDJSON_PADDING) buffer.resize(window.size + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer.data(), window.data, window.size);
    std::memset(buffer.data() + window.size, 0, simdjson::SIMDJSON_PADDING);
    return readDocument(parser, simdjson::padded_string_view(buffer.data(), window.size, buffer.size()), path, out);
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
        errors[i] = readReport(paths[i], parser, buffer, perFile[i]);
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
