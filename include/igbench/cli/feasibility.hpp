#pragma once
// Feasibility before work: a sweep whose largest run would not fit in memory is refused before
// any file is created (exit 2, with the estimate), instead of being OOM-killed hours later.
#include <optional>
#include <string>

#include "igbench/parallel/communicator.hpp"
#include "igbench/sweep/sweep_spec.hpp"

namespace igbench::cli {

// Memory this process may use: the smaller of /proc/meminfo's MemAvailable and the cgroup limit
// minus current usage (cgroup v2 memory.max / memory.current, or v1 memory.limit_in_bytes /
// memory.usage_in_bytes). Empty when neither can be read.
std::optional<double> available_memory_bytes();

// Parses a --max_memory value: bytes with an optional decimal (K, M, G, T) or binary (Ki, Mi,
// Gi, Ti) suffix and an optional trailing B ("8G", "512MiB", "2e9"). Throws UsageError.
double parse_memory_size(const std::string& text, const std::string& option);

// Empty when the sweep fits: its largest run (estimated by sweep::rank_peak_bytes with
// `threads` threads) times `ranks_on_host` ranks sharing the node must fit in `limit` bytes.
// Otherwise one line naming the point, the estimate and the limit, and what to do.
std::string memory_problem(const sweep::SweepSpec& spec, int threads, int ranks_on_host, double limit,
                           const std::string& limit_source);

// Collective: throws UsageError (on every rank, before any file is created) when the sweep's
// largest run does not fit in `max_memory` bytes per node or, without it, in what the kernel
// reports available; uses the threads of this process and the ranks sharing this node.
void check_memory(const sweep::SweepSpec& spec, std::optional<double> max_memory, parallel::Communicator& comm);

}  // namespace igbench::cli
