// gaplens as torch's ITT collector (framework context), without a GPU: domains, string handles,
// tasks recorded as torch's ranges, and the symbols ittnotify looks up in the injection library.
#include <cstring>
#include <string>

#include <catch2/catch.hpp>
#include <dlfcn.h>

#include "core/capture/IttCollector.h"
#include "core/capture/NvtxRecorder.h"
#include "tests/gpu/GpuTestSupport.h"

using namespace gaplens::capture;

TEST_CASE("ITT domains: PyTorch's is recorded, every other one is off", "[gpu][capture][framework]") {
    IttDomain* torch = itt::domainCreate("PyTorch");
    IttDomain* onednn = itt::domainCreate("dnnl");
    REQUIRE(torch);
    REQUIRE(onednn);
    CHECK(torch->flags != 0);
    CHECK(onednn->flags == 0);  // ittnotify's callers skip a domain whose flags are 0
    CHECK(std::string(torch->nameA) == "PyTorch");
    CHECK(itt::domainCreate("PyTorch") == torch);
    CHECK(itt::frameworkDomainSeen());
}

TEST_CASE("ITT string handles: one per text, whatever pointer brings it", "[gpu][capture][framework]") {
    char first[32], second[32];
    std::strcpy(first, "aten::mm");
    std::strcpy(second, "aten::mm");
    IttStringHandle* mm = itt::stringHandleCreate(first);
    CHECK(itt::stringHandleCreate(first) == mm);
    CHECK(itt::stringHandleCreate(second) == mm);
    CHECK(std::string(mm->strA) == "aten::mm");
    // The same pointer reused for another name (a record_function's string freed and reallocated).
    std::strcpy(first, "aten::add");
    IttStringHandle* add = itt::stringHandleCreate(first);
    CHECK(add != mm);
    CHECK(add->name == "aten::add");
    CHECK(add->index != mm->index);
}

TEST_CASE("ITT tasks on PyTorch's domain become torch's ranges, nested, on their thread", "[gpu][capture][framework]") {
    NvtxRecorder& recorder = NvtxRecorder::instance();
    IttDomain* torch = itt::domainCreate("PyTorch");
    IttDomain* other = itt::domainCreate("other library");
    recorder.setEnabled(true);
    itt::taskBegin(torch, itt::stringHandleCreate("ProfilerStep#3"));
    itt::taskBegin(other, itt::stringHandleCreate("ignored"));  // another library's task: not recorded
    itt::taskBegin(torch, itt::stringHandleCreate("aten::mm"));
    itt::taskEnd(torch);
    itt::taskEnd(other);
    recorder.push("my nvtx range");  // the program's own NVTX range shares the thread's stack
    recorder.pop();
    itt::taskEnd(torch);
    CaptureData data;
    recorder.take(data, 0);
    recorder.setEnabled(false);

    REQUIRE(data.ranges.size() == 3);
    auto find = [&](std::string_view name) { return gaplens::test::rangeNamed(data, name); };
    const RangeRecord* step = find("ProfilerStep#3");
    const RangeRecord* mm = find("aten::mm");
    const RangeRecord* own = find("my nvtx range");
    REQUIRE(step);
    REQUIRE(mm);
    REQUIRE(own);
    CHECK(step->framework);
    CHECK(mm->framework);
    CHECK(!own->framework);
    CHECK(mm->opId == -1);  // torch's ITT mode carries no RecordFunction id
    CHECK(step->start <= mm->start);
    CHECK(mm->end <= own->start);
    CHECK(own->end <= step->end);
    CHECK(step->tid == mm->tid);
    CHECK(data.frameworkVia == "itt");
    CHECK(data.openRanges == 0);
}

TEST_CASE("ITT: a domain and a handle that ittnotify made before it loaded gaplens", "[gpu][capture][framework]") {
    // ittnotify loads its collector at the first task: torch's "PyTorch" domain, created at load, and
    // handles created before that are ittnotify's own structs (extra1 0), not ours.
    IttDomain theirs;
    theirs.flags = 1;
    theirs.nameA = "PyTorch";
    IttDomain notTorch;
    notTorch.flags = 1;
    notTorch.nameA = "dnnl";
    IttStringHandle theirHandle;  // only ittnotify's fields set, as its own handles have
    theirHandle.strA = "aten::relu";
    NvtxRecorder& recorder = NvtxRecorder::instance();
    recorder.setEnabled(true);
    itt::taskBegin(&notTorch, &theirHandle);  // another library's domain: not recorded
    itt::taskEnd(&notTorch);
    itt::taskBegin(&theirs, &theirHandle);
    itt::taskEnd(&theirs);
    CaptureData data;
    recorder.take(data, 0);
    recorder.setEnabled(false);
    REQUIRE(data.ranges.size() == 1);
    CHECK(data.strings.str(data.ranges[0].name) == "aten::relu");
    CHECK(data.ranges[0].framework);
    CHECK(itt::frameworkDomainSeen());
}

TEST_CASE("the injection library exports what ittnotify looks up", "[gpu][capture][framework]") {
    void* lib = dlopen(GAPLENS_INJECT_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    INFO(dlerror());
    REQUIRE(lib);
    // __itt_api_version's presence makes ittnotify fill its API pointers from the library by name.
    for (const char* name : {"__itt_api_version", "__itt_domain_create", "__itt_string_handle_create",
                             "__itt_task_begin", "__itt_task_end", "gaplens_framework_itt_ready",
                             "gaplens_framework_pause_listener", "gaplens_framework_program_profiler"}) {
        INFO(name);
        CHECK(dlsym(lib, name) != nullptr);
    }
    using DomainCreate = IttDomain* (*)(const char*);
    auto domainCreate = reinterpret_cast<DomainCreate>(dlsym(lib, "__itt_domain_create"));
    auto ready = reinterpret_cast<int (*)()>(dlsym(lib, "gaplens_framework_itt_ready"));
    REQUIRE(domainCreate);
    REQUIRE(ready);
    CHECK(ready() == 0);
    CHECK(domainCreate("PyTorch")->flags == 1);
    CHECK(ready() == 1);
}
