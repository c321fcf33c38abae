#include "core/io/ChromeTraceImporter.h"
namespace gaplens {
ImportResult importChromeTrace(const std::string& path, Trace&, uint32_t, const ImportOptions&) {
    ImportResult r; r.ok = false; r.error = path + ": importer not built yet"; return r;
}
ImportResult importTraces(const std::vector<std::string>& paths, Trace& trace, const ImportOptions& o) {
    ImportResult r; for (size_t i = 0; i < paths.size(); ++i) r = importChromeTrace(paths[i], trace, i, o);
    trace.finalize(); return r;
}
}  // namespace gaplens
