#include "core/model/EventKind.h"

#include <array>
#include <utility>

namespace gaplens {

EventKind eventKindFromCategory(std::string_view cat) {
    static constexpr std::array<std::pair<std::string_view, EventKind>, 18> table{{
        {"cpu_op", EventKind::CpuOp},
        {"operator", EventKind::CpuOp},
        {"user_annotation", EventKind::UserRange},
        {"nvtx", EventKind::UserRange},
        {"gaplens_range", EventKind::UserRange},
        {"python_function", EventKind::PythonFunction},
        {"cuda_runtime", EventKind::RuntimeApi},
        {"runtime", EventKind::RuntimeApi},
        {"cuda_driver", EventKind::DriverApi},
        {"driver", EventKind::DriverApi},
        {"kernel", EventKind::Kernel},
        {"gpu_memcpy", EventKind::Memcpy},
        {"memcpy", EventKind::Memcpy},
        {"gpu_memset", EventKind::Memset},
        {"memset", EventKind::Memset},
        {"gpu_user_annotation", EventKind::GpuUserRange},
        {"cuda_sync", EventKind::GpuSync},
        {"overhead", EventKind::Overhead},
    }};
    for (const auto& [name, kind] : table)
        if (name == cat) return kind;
    return cat.empty() ? EventKind::CpuOp : EventKind::Other;
}

std::string_view eventKindName(EventKind kind) {
    switch (kind) {
    case EventKind::CpuOp: return "cpu_op";
    case EventKind::UserRange: return "user_annotation";
    case EventKind::PythonFunction: return "python_function";
    case EventKind::RuntimeApi: return "cuda_runtime";
    case EventKind::DriverApi: return "cuda_driver";
    case EventKind::Kernel: return "kernel";
    case EventKind::Memcpy: return "gpu_memcpy";
    case EventKind::Memset: return "gpu_memset";
    case EventKind::GpuUserRange: return "gpu_user_annotation";
    case EventKind::GpuSync: return "cuda_sync";
    case EventKind::Overhead: return "overhead";
    case EventKind::Instant: return "instant";
    case EventKind::Other: return "other";
    }
    return "other";
}

}  // namespace gaplens
