#include "core/report/JobReport.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/model/TimeText.h"
#include "core/report/Report.h"
#include "core/report/TextColumns.h"

namespace gaplens {



namespace {

double us(TimeNs ns) { return double(ns) / 1000.0; }

std::string baseName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// Ranks listed in text and Markdown: all of a small job; of a large one those last to arrive most.
constexpr size_t kRankLines = 32;
constexpr size_t kSkewLines = 10;

std::vector<size_t> ranksShown(const JobCollectives& job) {
    std::vector<size_t> order(job.ranks.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (order.size() <= kRankLines) return order;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return job.figures[a].lastToArrive > job.figures[b].lastToArrive;
    });
    order.resize(kRankLines / 2);
    std::sort(order.begin(), order.end());
    return order;
}

std::vector<size_t> largestSkews(const JobCollectives& job, size_t n) {
    std::vector<size_t> order;
    for (size_t i = 0; i < job.instances.size(); ++i)
        if (job.instances[i].arrivalCount > 1 && job.instances[i].skewNs() > 0) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return job.instances[a].skewNs() > job.instances[b].skewNs();
    });
    if (order.size() > n) order.resize(n);
    return order;
}

std::string devicesText(const std::vector<int>& devices) {
    std::string s;
    for (size_t i = 0; i < devices.size(); ++i) s += (i ? "," : "") + std::to_string(devices[i]);
    return s.empty() ? "-" : s;
}

std::string pctText(double x) { return fmt("%.1f%%", x); }

double share(TimeNs part, TimeNs whole) { return whole > 0 ? 100.0 * double(part) / double(whole) : 0.0; }

// "2 ranks (world size 2), 32 collectives in 1 group"
std::string headline(const JobCollectives& job) {
    int world = 0;
    for (const RankCollectives& r : job.ranks) world = std::max(world, r.worldSize);
    std::string s = std::to_string(job.ranks.size()) + " ranks";
    if (world > 0) s += " (world size " + std::to_string(world) + ")";
    s += ", " + std::to_string(job.instances.size()) + " collectives in " + std::to_string(job.groups.size()) +
         (job.groups.size() == 1 ? " group" : " groups");
    if (!job.groups.empty() && job.groups.size() <= 4) {
        s += " (";
        for (size_t i = 0; i < job.groups.size(); ++i) s += (i ? ", " : "") + job.groups[i];
        s += ")";
    }
    return s;
}

std::string arrivalText(const JobCollectives& job, const CollectiveInstance& inst, size_t most) {
    std::string s;
    const std::vector<Arrival> order = job.arrivalOrder(inst);
    for (size_t i = 0; i < order.size() && i < most; ++i)
        s += (i ? ", " : "") + std::to_string(job.ranks[order[i].rank].rank);
    if (order.size() > most) s += ", ...";
    return s;
}

std::string activityText(const RankActivity& act) {
    std::string s = "its GPU was " + pctText(share(act.gpuBusyNs, act.intervalNs)) + " busy";
    auto list = [](const std::vector<NamedTime>& v) {
        std::string o;
        for (size_t i = 0; i < v.size(); ++i) o += (i ? ", " : "") + cut(v[i].name, 60) + " " + formatDuration(v[i].ns);
        return o;
    };
    if (!act.kernels.empty()) s += "; kernels: " + list(act.kernels);
    if (!act.ops.empty()) s += "; host: " + list(act.ops);
    return s;
}

std::string stragglerText(const JobCollectives& job) {
    const Straggler& s = *job.straggler;
    const RankCollectives& r = job.ranks[s.rank];
    TimeNs waited = 0;
    for (const auto& [a, b] : s.waited) waited += b - a;
    std::string o = "rank " + std::to_string(r.rank) + " arrived last at " + std::to_string(s.lastCount) + " of " +
                    std::to_string(s.instances) + " collectives; the other ranks waited " +
                    formatDuration(s.othersWaitNs) + " in them (waiting for it over " + formatDuration(waited) +
                    " of its own time)";
    return o;
}

}  // namespace

JobReport makeJobReport(JobCollectives job) {
    JobReport r;
    r.job = std::move(job);
    if (auto a = adviseStraggler(r.job)) r.advice.push_back(std::move(*a));
    return r;
}

nlohmann::json rankToJson(const RankCollectives& rank, const RankFigures* figures, bool withCollectives) {
    using nlohmann::json;
    // The per-rank step of a file without distributedInfo does not know its number: null.
    json j = {{"rank", rank.rankKnown || figures ? json(rank.rank) : json(nullptr)},
              {"world_size", rank.worldSize},
              {"file", rank.path},
              {"host", rank.host.empty() ? json(nullptr) : json(rank.host)},
              {"devices", rank.devices},
              {"busy_pct", rank.busyPct()},
              {"busy_us", us(rank.busyNs)},
              {"span_us", us(rank.spanNs)},
              {"collective_us", us(rank.collectiveNs)},
              {"overlap_pct", rank.overlapPct()},
              {"overlap_us", us(rank.overlapNs)},
              {"collective_count", rank.kernels.size()}};
    if (figures) {
        j["wait_us"] = us(figures->waitNs);
        j["transfer_us"] = us(figures->transferNs);
        j["busy_excl_wait_us"] = us(figures->busyExclWaitNs);
        j["last_to_arrive"] = figures->lastToArrive;
        j["offset_us"] = us(figures->offsetNs);
    } else {
        for (const char* k : {"wait_us", "transfer_us", "busy_excl_wait_us", "last_to_arrive"}) j[k] = nullptr;
    }
    if (withCollectives) {
        json list = json::array();
        for (const CollectiveKernel& k : rank.kernels)
            list.push_back({{"seq", k.seq},
                            {"name", rank.names[k.name]},
                            {"stream", k.stream},
                            {"group", rank.groups[k.group]},
                            {"start_us_abs", us(k.startAbsNs)},
                            {"dur_us", us(k.durNs)},
                            {"alone_us", us(k.aloneNs)}});
        j["collectives"] = std::move(list);
    }
    return j;
}

std::string jobToText(const JobReport& report) {
    const JobCollectives& job = report.job;
    std::string o = "Job: " + headline(job) + "\n";
    o += "  " + job.clockNote + "\n";
    for (const std::string& w : job.warnings) o += "  warning: " + w + "\n";
    const TimeNs collective = job.totalCollectiveNs(), wait = job.totalWaitNs();
    o += "  collective time " + formatDuration(collective) + ", of which waiting for the last rank " +
         formatDuration(wait) + " (" + pctText(share(wait, collective)) + ")\n";

    o += "\n  " + padLeft("rank", 5) + padLeft("GPU", 6) + padLeft("busy %", 9) + padLeft("collective", 12) +
         padLeft("wait", 11) + padLeft("transfer", 11) + padLeft("busy excl. wait", 17) + padLeft("last", 6) +
         padLeft("overlap", 9) + (job.clockAligned ? padLeft("clock shift", 13) : std::string()) + "  file\n";
    const std::vector<size_t> shown = ranksShown(job);
    for (size_t i : shown) {
        const RankCollectives& r = job.ranks[i];
        const RankFigures& f = job.figures[i];
        o += "  " + padLeft(std::to_string(r.rank), 5) + padLeft(devicesText(r.devices), 6) + padLeft(pctText(r.busyPct()), 9) +
             padLeft(formatDuration(r.collectiveNs), 12) + padLeft(formatDuration(f.waitNs), 11) +
             padLeft(formatDuration(f.transferNs), 11) +
             padLeft(pctText(share(f.busyExclWaitNs, r.spanNs)), 17) +
             padLeft(std::to_string(f.lastToArrive), 6) + padLeft(pctText(r.overlapPct()), 9) +
             (job.clockAligned ? padLeft((f.offsetNs < 0 ? "-" : "+") + formatDuration(std::abs(f.offsetNs)), 13) : std::string()) +
             "  " + baseName(r.path) + "\n";
    }
    if (shown.size() < job.ranks.size())
        o += "  ... " + std::to_string(job.ranks.size() - shown.size()) +
             " more ranks (those last to arrive most are listed; --format json lists all)\n";

    const std::vector<size_t> skews = largestSkews(job, kSkewLines);
    o += "\nLargest skews (last - first arrival), " + std::to_string(skews.size()) + " of " +
         std::to_string(job.instances.size()) + " collectives\n";
    for (size_t i : skews) {
        const CollectiveInstance& c = job.instances[i];
        o += "  " + padRight(job.groups[c.group] + " #" + std::to_string(c.seq), 14) + padLeft(formatDuration(c.skewNs()), 10) +
             "  last rank " + padRight(std::to_string(job.ranks[c.lastRank].rank), 5) + " waits " +
             padLeft(formatDuration(c.waitNs), 10) + "  " + cut(job.names[c.name], 50) + "  (arrival: " +
             arrivalText(job, c, 8) + ")\n";
    }

    o += "\nStraggler\n";
    if (!job.straggler) {
        o += "  none: no rank arrived last at a collective that others waited for\n";
    } else {
        o += "  " + stragglerText(job) + "\n";
        if (job.straggler->activity)
            o += "  meanwhile " + activityText(*job.straggler->activity) + "\n";
        else
            o += "  what it ran meanwhile: run gaplens report on its trace (" +
                 baseName(job.ranks[job.straggler->rank].path) + ") together with the others\n";
    }

    o += "\nJob advice\n" + adviceToText(report.advice);
    return o;
}

std::string jobToMarkdown(const JobReport& report) {
    const JobCollectives& job = report.job;
    std::string o = "# gaplens job: " + mdEscape(headline(job)) + "\n\n";
    const TimeNs collective = job.totalCollectiveNs(), wait = job.totalWaitNs();
    o += "Collective time " + formatDuration(collective) + ", of which waiting for the last rank " + formatDuration(wait) +
         " (" + pctText(share(wait, collective)) + "). " + mdEscape(job.clockNote) + ".\n";
    for (const std::string& w : job.warnings) o += "\n> warning: " + mdEscape(w) + "\n";

    o += adviceToMarkdown(report.advice);

    o += "\n## Ranks\n\n| rank | GPU | busy % | collective | wait | transfer | busy excl. wait | last to arrive | overlap |" +
         std::string(job.clockAligned ? " clock shift |" : "") + " file |\n|---|---|---|---|---|---|---|---|---|" +
         (job.clockAligned ? "---|" : "") + "---|\n";
    for (size_t i : ranksShown(job)) {
        const RankCollectives& r = job.ranks[i];
        const RankFigures& f = job.figures[i];
        o += "| " + std::to_string(r.rank) + " | " + devicesText(r.devices) + " | " + pctText(r.busyPct()) + " | " +
             formatDuration(r.collectiveNs) + " | " + formatDuration(f.waitNs) + " | " + formatDuration(f.transferNs) +
             " | " + pctText(share(f.busyExclWaitNs, r.spanNs)) + " | " + std::to_string(f.lastToArrive) + " | " +
             pctText(r.overlapPct()) + " | " +
             (job.clockAligned ? (f.offsetNs < 0 ? "-" : "+") + formatDuration(std::abs(f.offsetNs)) + " | " : "") +
             mdEscape(baseName(r.path)) + " |\n";
    }

    o += "\n## Largest skews\n\n| collective | skew | last rank | wait (all ranks) | kernel | arrival order |\n|---|---|---|---|---|---|\n";
    for (size_t i : largestSkews(job, kSkewLines)) {
        const CollectiveInstance& c = job.instances[i];
        o += "| " + mdEscape(job.groups[c.group]) + " #" + std::to_string(c.seq) + " | " + formatDuration(c.skewNs()) +
             " | " + std::to_string(job.ranks[c.lastRank].rank) + " | " + formatDuration(c.waitNs) + " | " +
             mdEscape(cut(job.names[c.name], 60)) + " | " + arrivalText(job, c, 8) + " |\n";
    }

    o += "\n## Straggler\n\n";
    if (!job.straggler) {
        o += "None: no rank arrived last at a collective that others waited for.\n";
    } else {
        o += mdEscape(stragglerText(job)) + ".\n";
        if (job.straggler->activity) o += "\nMeanwhile " + mdEscape(activityText(*job.straggler->activity)) + ".\n";
    }
    return o;
}

nlohmann::json jobToJson(const JobReport& report) {
    using nlohmann::json;
    const JobCollectives& job = report.job;
    json ranks = json::array();
    for (size_t i = 0; i < job.ranks.size(); ++i) ranks.push_back(rankToJson(job.ranks[i], &job.figures[i], false));
    json collectives = json::array();
    for (const CollectiveInstance& c : job.instances)
        collectives.push_back({{"group", job.groups[c.group]},
                               {"seq", c.seq},
                               {"name", job.names[c.name]},
                               {"ranks", c.arrivalCount},
                               {"first_rank", job.ranks[c.firstRank].rank},
                               {"last_rank", job.ranks[c.lastRank].rank},
                               {"skew_us", us(c.skewNs())},
                               {"wait_us", us(c.waitNs)},
                               {"first_arrival_us_abs", us(c.firstArrivalNs)}});
    json offsets = json::object();
    for (size_t i = 0; i < job.ranks.size(); ++i) offsets[std::to_string(job.ranks[i].rank)] = us(job.figures[i].offsetNs);
    json j;
    j["ranks"] = std::move(ranks);
    j["collectives"] = std::move(collectives);
    j["clock"] = {{"aligned", job.clockAligned}, {"note", job.clockNote}, {"offsets_us", std::move(offsets)}};
    j["collective_us"] = us(job.totalCollectiveNs());
    j["wait_us"] = us(job.totalWaitNs());
    if (job.straggler) {
        const Straggler& s = *job.straggler;
        TimeNs waited = 0;
        for (const auto& [a, b] : s.waited) waited += b - a;
        json st = {{"rank", job.ranks[s.rank].rank},
                   {"last_to_arrive", s.lastCount},
                   {"instances", s.instances},
                   {"others_wait_us", us(s.othersWaitNs)},
                   {"waited_us", us(waited)}};
        if (s.activity) {
            auto list = [](const std::vector<NamedTime>& v) {
                json a = json::array();
                for (const NamedTime& x : v) a.push_back({{"name", x.name}, {"us", us(x.ns)}});
                return a;
            };
            st["activity"] = {{"interval_us", us(s.activity->intervalNs)},
                              {"gpu_busy_us", us(s.activity->gpuBusyNs)},
                              {"kernels", list(s.activity->kernels)},
                              {"ops", list(s.activity->ops)}};
        }
        j["straggler"] = std::move(st);
    } else {
        j["straggler"] = nullptr;
    }
    j["advice"] = adviceToJson(report.advice);
    j["warnings"] = job.warnings;
    return j;
}

std::string formatJobVerdictLine(const JobReport& report) {
    const JobCollectives& job = report.job;
    const TimeNs collective = job.totalCollectiveNs(), wait = job.totalWaitNs();
    std::string s = std::to_string(job.ranks.size()) + " ranks, " + std::to_string(job.instances.size()) +
                    " collectives, waiting " + formatDuration(wait) + " of " + formatDuration(collective) +
                    " collective time (" + pctText(share(wait, collective)) + ")";
    if (job.straggler)
        s += ", straggler rank " + std::to_string(job.ranks[job.straggler->rank].rank) + " (last at " +
             std::to_string(job.straggler->lastCount) + " of " + std::to_string(job.straggler->instances) + ")";
    return s;
}

}  // namespace gaplens
