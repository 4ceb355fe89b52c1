#include <unistd.h>

#include <vector>

#include "igbench/parallel/communicator.hpp"

namespace igbench::parallel {

std::string Communicator::host() const {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

namespace {

class SerialCounters final : public SharedCounters {
 public:
  explicit SerialCounters(int n) : values_(static_cast<std::size_t>(n), 0) {}
  std::int64_t fetch_add(int index, std::int64_t increment) override {
    const std::int64_t old = values_.at(static_cast<std::size_t>(index));
    values_[static_cast<std::size_t>(index)] += increment;
    return old;
  }
  std::int64_t read(int index) override { return values_.at(static_cast<std::size_t>(index)); }
  std::int64_t fetch_or(int index, std::int64_t bits) override {
    const std::int64_t old = values_.at(static_cast<std::size_t>(index));
    values_[static_cast<std::size_t>(index)] |= bits;
    return old;
  }

 private:
  std::vector<std::int64_t> values_;
};

class SerialCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void barrier() override {}
  std::int64_t all_sum(std::int64_t x) override { return x; }
  bool any(bool x) override { return x; }
  std::string broadcast(const std::string& value, int) override { return value; }
  std::unique_ptr<SharedCounters> make_counters(int n) override { return std::make_unique<SerialCounters>(n); }
};

}  // namespace

std::unique_ptr<Communicator> make_serial_communicator() { return std::make_unique<SerialCommunicator>(); }

}  // namespace igbench::parallel
