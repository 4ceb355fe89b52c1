#pragma once
// Version of igbench and the git commit it was built from (stamped at build time).
#include <string_view>

namespace igbench {
std::string_view version();
std::string_view git_commit();
}  // namespace igbench
