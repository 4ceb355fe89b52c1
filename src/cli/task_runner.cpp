#include "igbench/cli/task_runner.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <string>

#include "igbench/experiment/run.hpp"

namespace igbench::cli {

io::ResultRow make_row(const sweep::SweepSpec& spec, const std::vector<sweep::SweepPoint>& points,
                       const sweep::Task& t) {
  io::ResultRow row;
  row.point = static_cast<std::int64_t>(t.point);
  row.params = points[t.point];
  row.rng = spec.rng;
  row.run = t.run;
  row.seed = sweep::run_seed(spec, t.run);
  return row;
}

void PhaseTimer::enter(experiment::RunPhase next) {
  const auto now = std::chrono::steady_clock::now();
  const double dt = std::chrono::duration<double>(now - mark_).count();
  if (current_ == experiment::RunPhase::generate) generate_ += dt;
  if (current_ == experiment::RunPhase::solve) solve_ += dt;
  current_ = next;
  mark_ = now;
}

void PhaseTimer::store_into(experiment::RunResult& r) const {
  r.seconds_generate = generate_;
  r.seconds_solve = solve_;
}

TaskOutcome run_task(const sweep::SweepSpec& spec, const TaskPlan& plan, const sweep::CostedTask& t,
                     const experiment::RunControl& base) {
  TaskOutcome out{make_row(spec, plan.points, t.task), false};
  PhaseTimer timer;
  experiment::RunControl control = base;
  control.phase = [&timer](experiment::RunPhase p) { timer.enter(p); };
  try {
    out.row.result = experiment::run(sweep::make_run_spec(spec, plan.points[t.task.point], t.task.run), control);
    timer.store_into(out.row.result);
  } catch (const experiment::Cancelled&) {
    out.cancelled = true;
  } catch (const std::exception& e) {
    out.row.status = io::truncated_status(std::string("failed: ") + e.what());
  }
  return out;
}

std::vector<double> remaining_costs(const TaskPlan& plan) {
  std::vector<double> remaining(plan.pending.size() + 1, 0.0);
  for (std::size_t i = plan.pending.size(); i-- > 0;) remaining[i] = remaining[i + 1] + plan.pending[i].cost;
  return remaining;
}

bool whole_runs(const TaskPlan& plan, const std::vector<double>& remaining, std::size_t begin, std::size_t end,
                int ranks, int threads) {
  if (threads < 2 || end - begin < 2) return false;
  const double workers = static_cast<double>(ranks) * static_cast<double>(threads);
  for (std::size_t i = begin; i < end; ++i)
    if (plan.pending[i].cost > remaining[i + 1] / workers) return false;
  return true;
}

std::size_t batch_size(const TaskPlan& plan, const std::vector<double>& remaining, std::size_t begin,
                       int ranks, int threads) {
  const std::size_t n = plan.pending.size();
  const auto base = static_cast<std::size_t>(std::max(1, threads));
  if (threads < 2 || begin >= n) return base;
  const double workers = static_cast<double>(ranks) * static_cast<double>(threads);
  std::size_t end = std::min(n, begin + base);
  double cost = remaining[begin] - remaining[end];
  const std::size_t most = base * static_cast<std::size_t>(max_runs_per_thread);
  while (end < n && end - begin < most) {
    const double next = plan.pending[end].cost;
    if (next > remaining[end + 1] / workers || cost + next > remaining[end + 1] / static_cast<double>(ranks)) break;
    cost += next;
    ++end;
  }
  return std::max(end - begin, base);  // past the last task the counter's claim is clamped
}

std::vector<TaskOutcome> run_whole(const sweep::SweepSpec& spec, const TaskPlan& plan, std::size_t begin,
                                   std::size_t end, const experiment::RunControl& control) {
  std::vector<TaskOutcome> outcomes(end - begin);
  const auto n = static_cast<std::ptrdiff_t>(end - begin);
#pragma omp parallel for schedule(dynamic, 1) num_threads(static_cast<int>(std::min<std::ptrdiff_t>(n, omp_get_max_threads())))
  for (std::ptrdiff_t i = 0; i < n; ++i)
    outcomes[static_cast<std::size_t>(i)] = run_task(spec, plan, plan.pending[begin + static_cast<std::size_t>(i)], control);
  return outcomes;
}

}  // namespace igbench::cli
