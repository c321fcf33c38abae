#pragma once
// gaplens as an ITT collector, for the framework context: torch's ITT mode (the mode behind
// torch.autograd.profiler.emit_itt) calls __itt_string_handle_create(op name) and
// __itt_task_begin/__itt_task_end on the "PyTorch" domain around every op and record_function.
// `gaplens capture` names libgaplens_inject.so in INTEL_LIBITTNOTIFY64 (with the "structure" group
// in INTEL_ITTNOTIFY_GROUPS), so the ittnotify copy inside libtorch loads it at `import torch` and
// calls the handlers here; they record into the NVTX recorder's per-thread stacks.
//
// Why ITT and not torch's NVTX mode: in NVTX mode torch formats "name, seq = N, op_id = M" into a
// new string for every op, and the recorder splits it again and looks the name up by content. In
// ITT mode torch passes the op's own name, a pointer that stays the same from call to call: a
// string handle is found by that pointer in a per-thread cache (checked against the text, since a
// pointer may be reused for another name), and a push is a table index. What torch's ITT mode does
// not carry is the sequence number and the RecordFunction id; the analyses read neither.
//
// The structs are ittnotify's ABI (ittnotify.h, API version 3, unchanged since): the caller reads
// a domain's `flags` (zero: calls on that domain are skipped before they reach us) and hands string
// handles back to us. Domains other than "PyTorch" (oneDNN's, MKL's) created here get flags 0 and
// cost nothing.
//
// ittnotify loads its collector lazily, at the first task rather than at domain creation: torch's
// "PyTorch" domain, created when libtorch loads, is ittnotify's own struct, so it is recognised by
// its name; and a string handle made before the load is ittnotify's too, so handles made here carry
// a mark (extra1, the collector's field) and others are looked up by their text. The Python hook
// makes that first task itself (torch._C._itt.mark) before it asks whether ITT reached gaplens.
#include <cstdint>
#include <string>

namespace gaplens::capture {

#pragma pack(push, 8)
struct IttDomain {  // __itt_domain
    volatile int flags = 0;
    const char* nameA = nullptr;
    void* nameW = nullptr;
    int extra1 = 0;
    void* extra2 = nullptr;
    IttDomain* next = nullptr;
};
struct IttStringHandle {  // __itt_string_handle, then gaplens' own fields
    const char* strA = nullptr;
    void* strW = nullptr;
    int extra1 = 0;
    void* extra2 = nullptr;
    IttStringHandle* next = nullptr;
    uint32_t index = 0;  // the name's process-wide index (NvtxRecorder::nameIndex)
    std::string name;
};
struct IttId {  // __itt_id: passed by value, so it must have ittnotify's size
    unsigned long long d1 = 0, d2 = 0, d3 = 0;
};
#pragma pack(pop)

namespace itt {

// The domain of that name, created once; "PyTorch" is the one recorded (flags 1), the rest are off.
IttDomain* domainCreate(const char* name);
// The handle of that text, created once per distinct text; never freed (callers keep handles).
IttStringHandle* stringHandleCreate(const char* text);
void taskBegin(const IttDomain* domain, IttStringHandle* name);
void taskEnd(const IttDomain* domain);
// Whether torch's ittnotify has reached this collector (the "PyTorch" domain was created here, or
// a task on it arrived): the Python hook uses ITT only then, NVTX otherwise.
bool frameworkDomainSeen();

// Fork (ForkSafety.h): the registry's lock, held across a fork.
void lockForFork();
void unlockAfterFork();

}  // namespace itt
}  // namespace gaplens::capture
