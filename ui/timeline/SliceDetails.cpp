#include "ui/timeline/SliceDetails.h"


namespace gaplens {

SliceDetails describeSlice(const Trace& trace, EventRef e) {
    SliceDetails d;
    if (!e.valid() || e.track >= trace.tracks.size() || e.index >= trace.tracks[e.track].size()) return d;
    const Track& t = trace.tracks[e.track];
    d.event = e;
    d.name = std::string(trace.name(e));
    d.category = std::string(trace.strings.str(t.category[e.index]));
    d.kind = std::string(eventKindName(t.kind[e.index]));
    const Process& p = trace.processes[t.process];
    d.track = (p.name.empty() ? "pid " + std::to_string(p.pid) : p.name) + " / " + t.name;
    d.startNs = t.start[e.index];
    d.durNs = t.dur[e.index];
    d.depth = t.depth[e.index];
    if (t.args[e.index] != 0) d.args = std::string(trace.argTexts.str(t.args[e.index]));
    d.linked = t.link[e.index];
    if (d.linked.valid()) {
        d.linkedName = std::string(trace.name(d.linked));
        const bool gpuSide = isGpuWork(t.kind[e.index]);
        const TimeNs launch = gpuSide ? trace.start(d.linked) : d.startNs;
        const TimeNs gpuStart = gpuSide ? d.startNs : trace.start(d.linked);
        d.launchLatencyNs = gpuStart - launch;
    }
    return d;
}

std::string SliceDetails::toText() const {
    if (!event.valid()) return {};
    std::string s = name + "\n" + kind + " on " + track + "\nstart " + formatDuration(startNs) + ", duration " +
                    formatDuration(durNs);
    if (!args.empty()) s += "\nargs " + (args.size() > 300 ? args.substr(0, 300) + "..." : args);
    if (linked.valid()) {
        s += "\nlinked: " + linkedName;
        if (launchLatencyNs >= 0) s += "\nlaunch latency " + formatDuration(launchLatencyNs);
    }
    return s;
}

}  // namespace gaplens
