// An ITT collector that records nothing, for bench/capture/framework_op_cost.py: with it named in
// INTEL_LIBITTNOTIFY64, torch's ITT mode makes every call it makes under gaplens (a string handle
// per op, a task begin and end on the "PyTorch" domain), and each call returns at once. So the
// benchmark can tell what a collector's presence costs torch from what gaplens' recording costs.
// Same entry points as gaplens' collector (app/inject/Inject.cpp, core/capture/IttCollector.h).
#include <deque>
#include <mutex>

#include "core/capture/IttCollector.h"

using gaplens::capture::IttDomain;
using gaplens::capture::IttId;
using gaplens::capture::IttStringHandle;

namespace {
std::mutex domainsMutex;
std::deque<IttDomain> domains;
IttStringHandle theHandle;  // every name gets the same handle: nothing is recorded by name
}  // namespace

#define NULL_COLLECTOR_API extern "C" __attribute__((visibility("default")))

NULL_COLLECTOR_API const char* __itt_api_version(void) { return "gaplens-null-collector"; }
NULL_COLLECTOR_API IttDomain* __itt_domain_create(const char* name) {
    std::lock_guard lock(domainsMutex);
    IttDomain& d = domains.emplace_back();
    d.nameA = name;  // torch's domain name is a literal
    d.flags = 1;
    return &d;
}
NULL_COLLECTOR_API IttStringHandle* __itt_string_handle_create(const char*) { return &theHandle; }
NULL_COLLECTOR_API void __itt_task_begin(const IttDomain*, IttId, IttId, IttStringHandle*) {}
NULL_COLLECTOR_API void __itt_task_end(const IttDomain*) {}
