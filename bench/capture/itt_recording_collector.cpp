// gaplens' ITT collector and range recorder (core/capture/IttCollector.h, NvtxRecorder.h) as a
// module of their own, with recording switched by itt_recording_collector_record() rather than by
// a running capture: so bench/capture/itt_route_cost can measure what a torch op's range costs
// through the route torch takes (a loaded library, reached through function pointers, thread-local
// state looked up through the dynamic linker) on a machine with no GPU.
// itt_recording_collector_record(0) looks handles up only, (1) records with CUPTI's timestamp (the
// "cupti-clock" capture option), (2) records with the time-stamp counter (the default, TscClock.h).
#include "core/capture/IttEntryPoints.h"
#include "core/capture/NvtxRecorder.h"

extern "C" __attribute__((visibility("default"))) void itt_recording_collector_record(int on) {
    gaplens::capture::NvtxRecorder& recorder = gaplens::capture::NvtxRecorder::instance();
    recorder.setEnabled(false);
    recorder.setTscStamps(on == 2);
    recorder.setEnabled(on != 0);
}
