#pragma once
// Writes a capture as Chrome trace JSON in the Kineto dialect (what torch.profiler's
// export_chrome_trace writes), so the file opens in Perfetto, HTA and gaplens alike:
//  - "baseTimeNanoseconds" at the top; every ts/dur is µs relative to it with 3 decimals (exact ns);
//  - host events on pid/tid of the process and system thread: cat user_annotation (ranges),
//    cuda_runtime, cuda_driver (args.cbid, args.correlation), overhead;
//  - GPU events on pid = device, tid = stream: cat kernel, gpu_memcpy, gpu_memset, cuda_sync with
//    args.device/context/stream/correlation, kernels also grid, block, and queued/submitted as
//    absolute CUPTI ns (0 when not measured), as Kineto writes them;
//  - launch links as ac2g flows: "s" on the API call, "f" (bp "e") on the GPU activity, id = correlation;
//  - M events naming processes and threads.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/capture/CaptureData.h"

namespace gaplens::capture {

struct TraceWriteOptions {
    // Absolute [begin, end) windows (CUPTI ns) to keep, e.g. a schedule's active steps; empty keeps all.
    // Kept: host events that start inside a window, GPU work launched by a kept API call, and GPU
    // work that starts inside a window with the call that launched it (wherever that call starts).
    std::vector<std::pair<uint64_t, uint64_t>> windows;
    std::string traceName;                 // "traceName" field (defaults to the output path)
    std::vector<std::pair<std::string, std::string>> metadata;  // extra "gaplens" keys: raw JSON values
    // Extra top-level keys, raw JSON values: e.g. Kineto's "distributedInfo" for a rank of a job.
    std::vector<std::pair<std::string, std::string>> topLevel;
};

// Returns "" or a one-line error; applies options.windows to `data` first. Written through OutputFile (temp + rename, gzip for .gz).
std::string writeChromeTrace(CaptureData& data, const std::string& path, const TraceWriteOptions& options = {});

// Keeps only what the windows select (see TraceWriteOptions::windows), in place. Exposed for tests.
void selectWindows(CaptureData& data, const std::vector<std::pair<uint64_t, uint64_t>>& windows);

// Quotes and escapes a string for JSON.
std::string jsonString(std::string_view text);

}  // namespace gaplens::capture
