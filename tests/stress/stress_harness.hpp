// What every stress test of a shared handle needs: threads that start at the same instant, failures
// recorded from any thread, and one check per process argument so that each becomes its own ctest.
//
// The stress tests prove little on their own on a 2-core machine; their value is under ThreadSanitizer
// (scripts/test-sanitizers), which sees every unsynchronised access the overlapping threads make.
#pragma once

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

#include "../core/run_threads.hpp"  // the core tests' start line, shared rather than written twice

namespace backoff_stress {

// More threads than cores, so that the scheduler interleaves them mid-call.
constexpr int kThreads = 8;

// Counts failures from any thread and keeps the first message.
class Failures {
 public:
  void add(const std::string& message) {
    if (count_.fetch_add(1) == 0) first_ = message;  // only the first writer touches first_
  }
  int count() const { return count_.load(); }
  const std::string& first() const { return first_; }

 private:
  std::atomic<int> count_{0};
  std::string first_;
};

// Runs body(thread_index) on kThreads threads, released together once all have started.
template <class Body>
void run_concurrently(Body body) {
  run_threads(kThreads, body);
}

struct Check {
  const char* name;
  void (*run)(Failures& failures);
};

// Runs the check named by argv[1] and reports; returns the process's exit status.
template <std::size_t N>
int run_check(int argc, char** argv, const Check (&checks)[N]) {
  for (const Check& check : checks) {
    if (argc == 2 && std::strcmp(argv[1], check.name) == 0) {
      Failures failures;
      check.run(failures);
      if (failures.count() == 0) {
        std::printf("%s: ok\n", check.name);
        return 0;
      }
      std::printf("%s: %d failures; first: %s\n", check.name, failures.count(), failures.first().c_str());
      return 1;
    }
  }
  std::fprintf(stderr, "usage: %s <check>; checks:", argv[0]);
  for (const Check& check : checks) std::fprintf(stderr, " %s", check.name);
  std::fputc('\n', stderr);
  return 2;
}

}  // namespace backoff_stress
