#include "core/capture/ProcessOutputs.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <utility>

#include <unistd.h>

namespace gaplens::capture {
namespace {

namespace fs = std::filesystem;

// "run.json.gz" -> {"run", ".json.gz"}; "run" -> {"run", ""}.
std::pair<std::string, std::string> splitOutput(const std::string& output) {
    for (const char* suffix : {".json.gz", ".json", ".gz"})
        if (output.ends_with(suffix)) return {output.substr(0, output.size() - std::strlen(suffix)), suffix};
    return {output, ""};
}

bool allDigits(std::string_view s) {
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// The value of NAME in a NUL-separated environment block.
std::string envValue(const std::string& block, const std::string& name) {
    const std::string key = name + "=";
    for (size_t at = 0; at < block.size();) {
        const size_t end = std::min(block.find('\0', at), block.size());
        if (block.compare(at, key.size(), key) == 0) return block.substr(at + key.size(), end - at - key.size());
        at = end + 1;
    }
    return {};
}

}  // namespace

std::string rankOfProcess(const char* rankEnv, const char* localRankEnv, const std::string& parentRank,
                          const std::string& parentLocalRank) {
    if (rankEnv && allDigits(rankEnv)) return parentRank == rankEnv ? std::string() : std::string(rankEnv);
    if (localRankEnv && allDigits(localRankEnv))
        return parentLocalRank == localRankEnv ? std::string() : std::string(localRankEnv);
    return {};
}

std::string rankOfThisProcess() {
    std::ifstream in("/proc/" + std::to_string(::getppid()) + "/environ", std::ios::binary);
    std::string block((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return rankOfProcess(std::getenv("RANK"), std::getenv("LOCAL_RANK"), envValue(block, "RANK"),
                         envValue(block, "LOCAL_RANK"));
}

std::string outputForProcess(const std::string& output, bool isRoot, int pid, const std::string& rank) {
    if (isRoot) return output;
    const auto [stem, ext] = splitOutput(output);
    const std::string name = rank.empty() ? ".pid" + std::to_string(pid) : ".rank" + rank;
    return stem + name + (ext.empty() ? ".json" : ext);
}

std::vector<std::string> processOutputs(const std::string& output) {
    auto [stem, ext] = splitOutput(output);
    if (ext.empty()) ext = ".json";
    const fs::path dir = fs::path(stem).parent_path().empty() ? fs::path(".") : fs::path(stem).parent_path();
    const std::string base = fs::path(stem).filename().string();
    std::vector<std::pair<std::pair<int, long>, std::string>> found;  // ((0 rank / 1 pid, number), path)
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= base.size() + ext.size() || name.compare(0, base.size(), base) != 0 || !name.ends_with(ext))
            continue;
        const std::string middle = name.substr(base.size(), name.size() - base.size() - ext.size());
        for (const auto& [kind, prefix] : {std::pair{0, ".rank"}, std::pair{1, ".pid"}}) {
            const std::string_view p(prefix);
            if (middle.compare(0, p.size(), p) == 0 && allDigits(std::string_view(middle).substr(p.size())))
                found.push_back({{kind, std::stol(middle.substr(p.size()))}, (dir / name).string()});
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

std::string errorFileFor(const std::string& output) { return output + ".gaplens-error"; }

}  // namespace gaplens::capture
