#pragma once
// cuBLAS, loaded when a built-in workload first needs it instead of when gaplens starts. Linked
// the usual way, libcublas and the libcublasLt it pulls in (~600 MB of libraries) made every
// `gaplens` command start at ~220 MB resident, `gaplens report` on a 400-event trace included,
// where all the rest of gaplens needs ~10 MB: their relocations and static initialisers run at
// load. Only the built-in workloads (Workloads.cu) call cuBLAS, through this table.
#include <string>

#include <cublas_v2.h>

namespace gaplens::capture {

struct CublasLibrary {
    decltype(&cublasCreate_v2) create = nullptr;
    decltype(&cublasDestroy_v2) destroy = nullptr;
    decltype(&cublasSetStream_v2) setStream = nullptr;
    decltype(&cublasSetWorkspace_v2) setWorkspace = nullptr;
    decltype(&cublasGetStatusName) statusName = nullptr;
    decltype(&cublasGetStatusString) statusString = nullptr;
    // cublasGemmEx and cublasGemmStridedBatchedEx are overloaded in C++: the C functions' types.
    cublasStatus_t (*gemmEx)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void*,
                             const void*, cudaDataType, int, const void*, cudaDataType, int, const void*, void*,
                             cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t) = nullptr;
    cublasStatus_t (*gemmStridedBatchedEx)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                                           const void*, const void*, cudaDataType, int, long long, const void*,
                                           cudaDataType, int, long long, const void*, void*, cudaDataType, int,
                                           long long, int, cublasComputeType_t, cublasGemmAlgo_t) = nullptr;
};

// The library of the CUDA toolkit gaplens was built with (libcublas.so.<major>), loaded on the
// first call; later calls return the same table. Null, with a one-line `error`, when it cannot be
// loaded. Thread-safe.
const CublasLibrary* cublasLibrary(std::string* error = nullptr);

}  // namespace gaplens::capture
