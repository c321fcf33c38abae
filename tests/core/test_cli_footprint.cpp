// What the gaplens CLI loads when it starts: every command pays for it, `gaplens report` on a
// small trace included. cuBLAS (libcublas and libcublasLt, ~215 MB resident once loaded) is for
// the built-in workloads only and is loaded when one runs (core/capture/CublasLibrary.h). The
// resident memory itself is measured by bench/bench_memory.
#include <catch2/catch.hpp>

#include <elf.h>

#include <algorithm>
#include <cstring>

#include "TestSupport.h"

using namespace gaplens::test;

namespace {

// The DT_NEEDED entries of a 64-bit ELF file: the shared libraries loaded with it.
std::vector<std::string> neededLibraries(const std::string& path) {
    const std::string file = readFile(path);
    std::vector<std::string> out;
    if (file.size() < sizeof(Elf64_Ehdr) || file.compare(0, 4, ELFMAG) != 0 || file[EI_CLASS] != ELFCLASS64) return out;
    Elf64_Ehdr eh;
    std::memcpy(&eh, file.data(), sizeof eh);
    auto section = [&](size_t i) {
        Elf64_Shdr sh{};
        const size_t at = eh.e_shoff + i * eh.e_shentsize;
        if (at + sizeof sh <= file.size()) std::memcpy(&sh, file.data() + at, sizeof sh);
        return sh;
    };
    for (size_t i = 0; i < eh.e_shnum; ++i) {
        const Elf64_Shdr dyn = section(i);
        if (dyn.sh_type != SHT_DYNAMIC) continue;
        const Elf64_Shdr str = section(dyn.sh_link);
        const size_t end = std::min<size_t>(dyn.sh_offset + dyn.sh_size, file.size());
        for (size_t at = dyn.sh_offset; at + sizeof(Elf64_Dyn) <= end; at += sizeof(Elf64_Dyn)) {
            Elf64_Dyn d;
            std::memcpy(&d, file.data() + at, sizeof d);
            if (d.d_tag == DT_NEEDED && str.sh_offset + d.d_un.d_val < file.size())
                out.emplace_back(file.c_str() + str.sh_offset + d.d_un.d_val);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("the CLI does not load cuBLAS when it starts", "[cli][memory]") {
    const std::vector<std::string> needed = neededLibraries(GAPLENS_CLI);
    REQUIRE_FALSE(needed.empty());  // libc at least: the file was read
    for (const std::string& lib : needed) {
        INFO(lib);
        CHECK(lib.find("libcublas") == std::string::npos);
    }
}
