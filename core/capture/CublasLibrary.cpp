#include "core/capture/CublasLibrary.h"

#include <dlfcn.h>

#include <cuda_runtime.h>

namespace gaplens::capture {

namespace {

#define GAPLENS_STR2(x) #x
#define GAPLENS_STR(x) GAPLENS_STR2(x)
constexpr const char* kSoname = "libcublas.so." GAPLENS_STR(CUBLAS_VER_MAJOR);

struct Loaded {
    CublasLibrary table;
    std::string error;
};

template <typename F>
bool bind(void* handle, const char* name, F& out, std::string& error) {
    out = reinterpret_cast<F>(::dlsym(handle, name));
    if (!out && error.empty()) error = std::string(kSoname) + " has no " + name + " (a cuBLAS older than the headers?)";
    return out != nullptr;
}

Loaded load() {
    Loaded l;
    // The search path first (the build's runpath, LD_LIBRARY_PATH, ld.so.conf), then the folder
    // of the libcudart this program was linked with: the same toolkit's lib folder.
    void* handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
    std::string firstError = handle ? "" : ::dlerror();
    if (!handle) {
        Dl_info info{};
        if (::dladdr(reinterpret_cast<void*>(&cudaGetDeviceCount), &info) && info.dli_fname) {
            std::string path = info.dli_fname;
            path = path.substr(0, path.find_last_of('/') + 1) + kSoname;
            handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        }
    }
    if (!handle) {
        l.error = "cannot load " + std::string(kSoname) + " (cuBLAS, for the built-in workloads): " + firstError;
        return l;
    }
    CublasLibrary& t = l.table;
    bind(handle, "cublasCreate_v2", t.create, l.error);
    bind(handle, "cublasDestroy_v2", t.destroy, l.error);
    bind(handle, "cublasSetStream_v2", t.setStream, l.error);
    bind(handle, "cublasSetWorkspace_v2", t.setWorkspace, l.error);
    bind(handle, "cublasGetStatusName", t.statusName, l.error);
    bind(handle, "cublasGetStatusString", t.statusString, l.error);
    bind(handle, "cublasGemmEx", t.gemmEx, l.error);
    bind(handle, "cublasGemmStridedBatchedEx", t.gemmStridedBatchedEx, l.error);
    return l;  // the library stays loaded for the life of the process
}

}  // namespace

const CublasLibrary* cublasLibrary(std::string* error) {
    static const Loaded loaded = load();
    if (!loaded.error.empty()) {
        if (error) *error = loaded.error;
        return nullptr;
    }
    return &loaded.table;
}

}  // namespace gaplens::capture
