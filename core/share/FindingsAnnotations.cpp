#include "core/share/FindingsAnnotations.h"

#include <algorithm>
#include <map>

#include "core/model/TimeText.h"

namespace gaplens {

std::vector<AnnotationTrack> findingsAnnotations(const Report& report) {
    std::vector<AnnotationTrack> tracks;
    // Gaps: one track per (device, cause), in cause precedence order, earliest gap first.
    std::map<std::pair<int, int>, AnnotationTrack> byCause;
    for (const Gap* g : listedGaps(report)) {
        AnnotationTrack& track = byCause[{g->device, int(g->cause)}];
        if (track.name.empty())
            track.name = "GPU " + std::to_string(g->device) + " gaps: " + std::string(gapCauseName(g->cause));
        AnnotationTrack::Item item;
        item.start = g->start;
        item.dur = g->dur;
        item.name = std::string(gapCauseName(g->cause)) + " " + formatDuration(g->dur);
        item.args = {{"cause", std::string(gapCauseName(g->cause))},
                     {"detail", std::string(report.gaps.detailOf(*g))},
                     {"dur_us", double(g->dur) / 1e3}};
        track.items.push_back(std::move(item));
    }
    for (auto& [key, track] : byCause) {
        std::sort(track.items.begin(), track.items.end(),
                  [](const AnnotationTrack::Item& a, const AnnotationTrack::Item& b) { return a.start < b.start; });
        tracks.push_back(std::move(track));
    }

    AnnotationTrack dead;
    dead.name = "Dead windows";
    for (const DeadWindow& w : report.deadWindows.windows) {
        if (!w.hasGpuWork || w.durNs <= 0) continue;
        AnnotationTrack::Item item;
        item.start = w.startNs;
        item.dur = w.durNs;
        const std::string& range = report.deadWindows.rangeNameOf(w);
        item.name = (w.cold ? "cold dead window " : "dead window ") + range + " " + formatDuration(w.durNs);
        nlohmann::json calls = nlohmann::json::array();
        for (const auto& c : report.deadWindows.oneTimeCallsOf(w)) calls.push_back(c);
        item.args = {{"range", range},
                     {"instance", w.instance},
                     {"host_us", double(w.hostNs) / 1e3},
                     {"launch_us", double(w.launchNs) / 1e3},
                     {"cold", w.cold},
                     {"one_time_calls", calls}};
        dead.items.push_back(std::move(item));
    }
    if (!dead.items.empty()) tracks.push_back(std::move(dead));
    return tracks;
}

}  // namespace gaplens
