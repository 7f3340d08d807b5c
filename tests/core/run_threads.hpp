// Runs `body(thread_index)` on `count` threads released at the same moment, so that stress tests race
// for real instead of running one thread after another while the next one is still being created.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

template <class Body>
void run_threads(int count, Body body) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int index = 0; index < count; ++index) {
    threads.emplace_back([&, index] {
      ready.fetch_add(1);
      while (ready.load() < count) std::this_thread::yield();
      body(index);
    });
  }
  for (std::thread& thread : threads) thread.join();
}
