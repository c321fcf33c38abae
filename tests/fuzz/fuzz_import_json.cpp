// libFuzzer target: any bytes as a plain Chrome trace JSON file. The import must return (ok or a
// one-line error), never crash, leak or hang. Batches are small so that inputs cross batch edges;
// one input in 16 runs with two threads so that the pipeline is exercised too (threads are slow to
// start under the sanitizers, so not all).
#include <cstdlib>

#include "FuzzInput.h"
#include "core/io/ChromeTraceImporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gaplens::fuzz::MemoryFile file(data, size);
    if (!file.ok()) return 0;
    gaplens::Trace trace;
    gaplens::ImportOptions options;
    options.threads = size % 16 == 1 ? 2 : 1;
    options.windowBytes = 1024;
    const gaplens::ImportResult r = gaplens::importChromeTrace(file.path(), trace, 0, options);
    if (!r.ok && r.error.empty()) std::abort();  // a failure must say why
    if (r.error.find('\n') != std::string::npos) std::abort();
    return 0;
}
