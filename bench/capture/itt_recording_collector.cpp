// gaplens' ITT collector and range recorder (core/capture/IttCollector.h, NvtxRecorder.h) as a
// module of their own, with recording switched by itt_recording_collector_record() rather than by
// a running capture: so bench/capture/itt_route_cost can measure what a torch op's range costs
// through the route torch takes (a loaded library, reached through function pointers, thread-local
// state looked up through the dynamic linker) on a machine with no GPU.
#include "core/capture/IttCollector.h"
#include "core/capture/NvtxRecorder.h"

using namespace gaplens::capture;

#define COLLECTOR_API extern "C" __attribute__((visibility("default")))

COLLECTOR_API const char* __itt_api_version(void) { return "gaplens-bench"; }
COLLECTOR_API IttDomain* __itt_domain_create(const char* name) { return itt::domainCreate(name); }
COLLECTOR_API IttStringHandle* __itt_string_handle_create(const char* text) { return itt::stringHandleCreate(text); }
COLLECTOR_API void __itt_task_begin(const IttDomain* domain, IttId, IttId, IttStringHandle* name) {
    itt::taskBegin(domain, name);
}
COLLECTOR_API void __itt_task_end(const IttDomain* domain) { itt::taskEnd(domain); }
COLLECTOR_API void itt_recording_collector_record(int on) { NvtxRecorder::instance().setEnabled(on != 0); }
