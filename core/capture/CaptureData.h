#pragma once
// What one capture recorded, in compact form: the CUPTI activity records the collector decoded,
// plus the user ranges (gaplens::Range, built-in workloads, NVTX). Timestamps are CUPTI's: ns on
// the CLOCK_REALTIME scale, so they align with Kineto traces and with other processes.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/StringTable.h"

namespace gaplens::capture {

// A CUDA runtime or driver API call on a host thread.
struct ApiRecord {
    uint64_t start = 0;
    uint64_t end = 0;
    uint32_t pid = 0;
    uint32_t tid = 0;
    uint32_t correlation = 0;
    uint32_t cbid = 0;
    StringId name = 0;
    bool driver = false;
};

enum class GpuRecordKind : uint8_t { Kernel, Memcpy, Memset };

// Work on a GPU stream. queued/submitted are 0 when CUPTI did not measure them.
struct GpuRecord {
    GpuRecordKind kind = GpuRecordKind::Kernel;
    uint64_t start = 0;
    uint64_t end = 0;
    uint64_t queued = 0;     // the launch was put in the stream's queue (host side)
    uint64_t submitted = 0;  // the launch was handed to the GPU
    uint32_t device = 0;
    uint32_t context = 0;
    uint32_t stream = 0;
    uint32_t correlation = 0;
    StringId name = 0;       // kernel name, or "Memcpy HtoD (Pageable -> Device)", "Memset (Device)"
    int32_t grid[3] = {0, 0, 0};
    int32_t block[3] = {0, 0, 0};
    uint32_t registers = 0;
    uint32_t sharedMemory = 0;  // static + dynamic bytes
    uint64_t bytes = 0;         // memcpy/memset size
    uint64_t graphNodeId = 0;
};

// A range on a host thread: gaplens::Range, a built-in workload iteration, or an NVTX range; with
// the framework context, torch's ops and record_function ranges too (`framework`), through ITT
// (IttCollector.h) or NVTX (the name already stripped of torch's ids: TorchRangeName.h).
struct RangeRecord {
    uint64_t start = 0;
    uint64_t end = 0;
    uint32_t pid = 0;
    uint32_t tid = 0;
    StringId name = 0;
    bool framework = false;  // one of torch's ops or record_function ranges
    int64_t opId = -1;       // torch's RecordFunction handle, -1 when absent (torch's ITT ranges carry none)
    int64_t sequence = -1;   // torch's autograd sequence number, -1 when absent
};

// Time the driver or CUPTI spent on its own work (module loading, buffer flushes).
struct OverheadRecord {
    uint64_t start = 0;
    uint64_t end = 0;
    uint32_t pid = 0;
    uint32_t tid = 0;
    StringId name = 0;
};

// A blocking synchronization (stream/event/context sync) seen by CUPTI.
struct SyncRecord {
    uint64_t start = 0;
    uint64_t end = 0;
    uint32_t correlation = 0;
    uint32_t context = 0;
    uint32_t stream = 0;     // ~0u when the sync is not tied to a stream
    StringId name = 0;       // "Stream Sync", "Event Sync", "Context Sync", "Stream Wait Event"
};

struct DeviceInfo {
    uint32_t id = 0;
    std::string name;
    uint32_t smCount = 0;
    uint64_t globalMemory = 0;
    uint32_t computeMajor = 0;
    uint32_t computeMinor = 0;
};

struct CaptureData {
    StringTable strings;
    std::vector<ApiRecord> apis;
    std::vector<GpuRecord> gpu;
    std::vector<RangeRecord> ranges;
    std::vector<OverheadRecord> overheads;
    std::vector<SyncRecord> syncs;
    std::vector<DeviceInfo> devices;
    uint64_t droppedRecords = 0;   // records CUPTI reported dropped (buffers full)
    uint32_t detaches = 0;         // times CUPTI was detached while the capture was paused
    uint32_t openRanges = 0;       // NVTX ranges started but never ended (program exited inside them)
    uint32_t pid = 0;              // the captured process
    std::string processName;
    // Names of torch's record_function ranges (framework context): their NVTX ranges are written as
    // user_annotation, torch's other ranges as cpu_op (TorchRangeName.h).
    std::vector<std::string> frameworkUserRanges;
    // How torch's ranges reached the capture: "itt", "nvtx", "itt+nvtx", or "" when none did.
    std::string frameworkVia;

    bool empty() const { return apis.empty() && gpu.empty() && ranges.empty(); }
};

}  // namespace gaplens::capture
