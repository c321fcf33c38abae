#pragma once
// The report's findings as annotation tracks for the Perfetto JSON export: one track of idle gaps
// per device and cause ("GPU 0 gaps: host-overhead") and one of dead windows, so a teammate who
// opens the export in Perfetto UI sees where and why the GPU sat idle without gaplens.
#include <vector>

#include "core/io/PerfettoJsonExporter.h"
#include "core/report/Report.h"

namespace gaplens {

// Listed gaps (>= the report's min gap) and the dead windows of range instances with GPU work.
std::vector<AnnotationTrack> findingsAnnotations(const Report& report);

}  // namespace gaplens
