// What one of torch's op ranges costs through the route torch's ITT mode takes to a collector:
// per op, __itt_string_handle_create(name), __itt_task_begin and __itt_task_end, called through
// function pointers into a loaded library, as ittnotify calls them. Measured alone (a tight loop)
// and between bursts of other memory traffic (512 cache lines at a stride through 16 MB, about as
// long as a small torch op), where a range's memory is no longer in the caches and its first writes
// to fresh memory fault; each figure is the median over 101 pairs of blocks of the difference
// between a block with ranges and a block without. Every collector is measured in a process of its
// own (forked), the collectors in turn, over several rounds.
//   itt_route_cost [--rounds N] [--names schema|owned] NAME=COLLECTOR.so[:record|:record-tsc] ...
// --names says where the name's text lives. `schema` (the default): in the op's schema, the same
// pointer on every call, as for aten ops. `owned`: copied into the caller's own buffer on every
// call, one buffer whatever the name, as for torch's ranges named by a string the RecordFunction
// owns (autograd's backward nodes, `autograd::engine::evaluate_function: ...`, record_function
// ranges): the pointer repeats while the text changes.
// A collector that exports itt_recording_collector_record (bench/capture/itt_recording_collector)
// records with ":record" (CUPTI's timestamp) or ":record-tsc" (the time-stamp counter) and only
// looks its handles up without either; any other collector, such as
// bench/capture/itt_null_collector, is called as is.
#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench/capture/BetweenOtherWork.h"

namespace {

struct IttIdLike {
    unsigned long long d1 = 0, d2 = 0, d3 = 0;
};
using DomainCreate = void* (*)(const char*);
using StringHandleCreate = void* (*)(const char*);
using TaskBegin = void (*)(const void*, IttIdLike, IttIdLike, void*);
using TaskEnd = void (*)(const void*);
using Record = void (*)(int);

const char* const kOps[] = {"aten::add", "aten::mul", "aten::view", "aten::empty", "aten::mm", "aten::addmm",
                            "aten::t", "aten::relu", "aten::copy_", "aten::_to_copy", "aten::layer_norm",
                            "aten::native_layer_norm"};

struct Variant {
    std::string name, path;
    int record = 0;  // the argument of itt_recording_collector_record
};

bool g_ownedNames = false;  // --names owned

constexpr const char* kUsage = "usage: itt_route_cost [--rounds N] [--names schema|owned] NAME=COLLECTOR.so[:record|:record-tsc] ...\n";

double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

// Measures one collector in this process: {tight ns, between other work ns}, or {-1, -1}.
std::pair<double, double> measure(const Variant& v) {
    void* lib = dlopen(v.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        std::fprintf(stderr, "itt_route_cost: %s\n", dlerror());
        return {-1, -1};
    }
    auto domainCreate = reinterpret_cast<DomainCreate>(dlsym(lib, "__itt_domain_create"));
    auto handleCreate = reinterpret_cast<StringHandleCreate>(dlsym(lib, "__itt_string_handle_create"));
    auto taskBegin = reinterpret_cast<TaskBegin>(dlsym(lib, "__itt_task_begin"));
    auto taskEnd = reinterpret_cast<TaskEnd>(dlsym(lib, "__itt_task_end"));
    auto record = reinterpret_cast<Record>(dlsym(lib, "itt_recording_collector_record"));
    if (!domainCreate || !handleCreate || !taskBegin || !taskEnd) {
        std::fprintf(stderr, "itt_route_cost: %s is not an ITT collector\n", v.path.c_str());
        return {-1, -1};
    }
    if (record) record(v.record);
    void* domain = domainCreate("PyTorch");
    char owned[64] = {};  // a RecordFunction's own std::string, reused from op to op
    auto range = [&](int i) {  // torch's itt_range_push and itt_range_pop
        const char* name = kOps[i % 12];
        if (g_ownedNames) {
            std::strncpy(owned, name, sizeof owned - 1);
            name = owned;
        }
        void* handle = handleCreate(name);
        taskBegin(domain, {}, {}, handle);
        taskEnd(domain);
    };
    auto added = [&](int lines) { return gaplens::bench::costBetweenOtherWork(lines, 101, range).addedNs; };
    const double tight = added(0);
    const double between = added(512);
    return {tight, between};
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 5;
    std::vector<Variant> variants;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--rounds" && i + 1 < argc) {
            rounds = std::max(1, std::atoi(argv[++i]));
            continue;
        }
        if (arg == "--names" && i + 1 < argc) {
            const std::string names = argv[++i];
            if (names != "schema" && names != "owned") {
                std::fprintf(stderr, "itt_route_cost: --names is schema or owned, not %s\n", names.c_str());
                return 1;
            }
            g_ownedNames = names == "owned";
            continue;
        }
        const size_t eq = arg.find('=');
        if (eq == std::string::npos) {
            std::fputs(kUsage, stderr);
            return 1;
        }
        Variant v{arg.substr(0, eq), arg.substr(eq + 1)};
        for (const auto& [suffix, mode] : {std::pair<std::string, int>{":record", 1}, {":record-tsc", 2}})
            if (v.path.size() > suffix.size() && v.path.compare(v.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
                v.record = mode;
                v.path.resize(v.path.size() - suffix.size());
            }
        variants.push_back(v);
    }
    if (variants.empty()) {
        std::fputs(kUsage, stderr);
        return 1;
    }
    std::map<std::string, std::vector<double>> tight, between;
    for (int round = 0; round < rounds; ++round) {
        for (const Variant& v : variants) {
            int fds[2];
            if (pipe(fds) != 0) return 1;
            const pid_t child = fork();
            if (child == 0) {
                close(fds[0]);
                const auto [t, b] = measure(v);
                const double both[2] = {t, b};
                (void)!write(fds[1], both, sizeof both);
                _exit(0);
            }
            close(fds[1]);
            double both[2] = {-1, -1};
            (void)!read(fds[0], both, sizeof both);
            close(fds[0]);
            waitpid(child, nullptr, 0);
            if (both[0] < -0.5 && both[1] < -0.5) return 1;
            tight[v.name].push_back(both[0]);
            between[v.name].push_back(both[1]);
        }
    }
    std::printf("ns per torch op range through an ITT collector, names %s; median of %d processes each (min..max)\n",
                g_ownedNames ? "in a buffer of the caller's, copied per call" : "from the op's schema", rounds);
    std::printf("%-24s %26s %30s\n", "collector", "tight loop", "between other work");
    for (const Variant& v : variants) {
        const auto& t = tight[v.name];
        const auto& b = between[v.name];
        std::printf("%-24s %10.1f (%6.1f..%6.1f) %14.1f (%6.1f..%6.1f)\n", v.name.c_str(), median(t),
                    *std::min_element(t.begin(), t.end()), *std::max_element(t.begin(), t.end()), median(b),
                    *std::min_element(b.begin(), b.end()), *std::max_element(b.begin(), b.end()));
    }
    return 0;
}
