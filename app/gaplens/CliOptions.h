#pragma once
// Reading a subcommand's options: "--opt value" or "--opt=value".
#include <string>
#include <vector>

namespace gaplens::cli {

// When args[i] is option `name`, stores its value (the next argument, or the text after '='),
// advances i past it and returns true.
inline bool takeOptionValue(const std::vector<std::string>& args, size_t& i, const std::string& name,
                            std::string& value) {
    const std::string& a = args[i];
    if (a == name && i + 1 < args.size()) {
        value = args[++i];
        return true;
    }
    if (a.rfind(name + "=", 0) == 0) {
        value = a.substr(name.size() + 1);
        return true;
    }
    return false;
}

}  // namespace gaplens::cli
