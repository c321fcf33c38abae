// Fingerprints of the model that the importer builds, to check that a change leaves it as it was
// (see core/model/TraceDigest.h and docs/import-checks.md).
//
//   model_digest [--threads N] [--window BYTES] [--align] FILE [FILE...]
//       Imports the files onto one timeline (as `gaplens` does with several files) and prints the
//       model's digest and a fingerprint of the import result (ok, error, warnings, counts).
//   model_digest --each [--threads N] [--window BYTES] FILE [FILE...]
//       The same for each file on its own, one line per file.
//
// The digest covers the file paths as given: compare runs made from the same directory.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/io/ChromeTraceImporter.h"
#include "core/model/TraceDigest.h"

using namespace gaplens;

namespace {

uint64_t fnv(std::string_view text, uint64_t h = 14695981039346656037ull) {
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    return h;
}

// The import result as text: what a user is told.
std::string resultText(const ImportResult& r) {
    std::string s = std::string(r.ok ? "ok" : "failed") + "\n" + r.error + "\n";
    for (const std::string& w : r.warnings) s += w + "\n";
    s += std::to_string(r.eventsRead) + " " + std::to_string(r.eventsSkipped) + " " + (r.truncated ? "1" : "0");
    return s;
}

void digestLine(const std::vector<std::string>& paths, const ImportOptions& options) {
    Trace trace;
    const ImportResult r = importTraces(paths, trace, options);
    std::string name = paths.front();
    if (paths.size() > 1) name += " (+" + std::to_string(paths.size() - 1) + " files)";
    std::printf("%s: model %s; result %016llx (%s, %llu events, %llu skipped, %zu warnings)\n", name.c_str(),
                digestOf(trace).text().c_str(), (unsigned long long)fnv(resultText(r)), r.ok ? "ok" : "failed",
                (unsigned long long)r.eventsRead, (unsigned long long)r.eventsSkipped, r.warnings.size());
}

}  // namespace

int main(int argc, char** argv) {
    ImportOptions options;
    bool each = false;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--each") each = true;
        else if (a == "--align") options.alignFilesAtStart = true;
        else if (a == "--threads" && i + 1 < argc) options.threads = unsigned(std::atoi(argv[++i]));
        else if (a == "--window" && i + 1 < argc) options.windowBytes = size_t(std::atoll(argv[++i]));
        else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "model_digest: unknown option '%s'\n", a.c_str());
            return 1;
        } else paths.push_back(a);
    }
    if (paths.empty()) {
        std::fprintf(stderr, "usage: model_digest [--each] [--threads N] [--window BYTES] [--align] FILE...\n");
        return 1;
    }
    if (each)
        for (const std::string& p : paths) digestLine({p}, options);
    else
        digestLine(paths, options);
    return 0;
}
