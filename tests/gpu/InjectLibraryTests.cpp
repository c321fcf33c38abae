// What libgaplens_inject.so brings into every captured program: it must stay light, so the
// shared libraries it needs are only those its own code calls (CUPTI, zlib, the C and C++ runtimes,
// the latter linked statically by some toolchains), never the CUDA runtime, cuBLAS, Qt or simdjson,
// whose versions could differ from the program's own.
// No GPU needed: the file is read as ELF.
#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

template <class T>
bool readAt(const std::string& bytes, uint64_t offset, T& out) {
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
    std::memcpy(&out, bytes.data() + offset, sizeof(T));
    return true;
}

// The DT_NEEDED names of a 64-bit ELF shared library; empty when the file is not one.
std::vector<std::string> neededLibraries(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Elf64_Ehdr header{};
    if (!readAt(bytes, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64)
        return {};
    std::vector<Elf64_Phdr> segments(header.e_phnum);
    for (size_t i = 0; i < segments.size(); ++i)
        if (!readAt(bytes, header.e_phoff + i * header.e_phentsize, segments[i])) return {};
    // Dynamic entries hold addresses; the file offset is found through the loaded segment.
    auto fileOffset = [&](uint64_t address) -> uint64_t {
        for (const Elf64_Phdr& s : segments)
            if (s.p_type == PT_LOAD && address >= s.p_vaddr && address < s.p_vaddr + s.p_filesz)
                return s.p_offset + (address - s.p_vaddr);
        return bytes.size();
    };
    std::vector<uint64_t> nameOffsets;
    uint64_t stringTable = 0;
    for (const Elf64_Phdr& s : segments) {
        if (s.p_type != PT_DYNAMIC) continue;
        Elf64_Dyn entry{};
        for (uint64_t at = s.p_offset; readAt(bytes, at, entry) && entry.d_tag != DT_NULL; at += sizeof entry) {
            if (entry.d_tag == DT_NEEDED) nameOffsets.push_back(entry.d_un.d_val);
            if (entry.d_tag == DT_STRTAB) stringTable = fileOffset(entry.d_un.d_ptr);
        }
    }
    std::vector<std::string> names;
    for (uint64_t offset : nameOffsets)
        if (stringTable + offset < bytes.size()) names.emplace_back(bytes.c_str() + stringTable + offset);
    return names;
}

}  // namespace

TEST_CASE("the injection library needs CUPTI, none of gaplens' analysis libraries", "[gpu][capture]") {
    const std::vector<std::string> needed = neededLibraries(GAPLENS_INJECT_LIBRARY);
    std::string list;
    for (const std::string& name : needed) list += name + " ";
    INFO("NEEDED: " << list);
    auto needs = [&](const char* part) {
        for (const std::string& name : needed)
            if (name.find(part) != std::string::npos) return true;
        return false;
    };
    REQUIRE(needs("libcupti"));
    CHECK(needs("libc.so"));
    for (const char* heavy : {"simdjson", "libcudart", "libcublas", "libQt"}) {
        INFO(heavy);
        CHECK_FALSE(needs(heavy));
    }
}
