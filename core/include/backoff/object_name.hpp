// ObjectName: the optional name of a shared object (retry statistics, a breaker, a budget), for exporters.
//
// Metrics exporters label each object's numbers with its name ("payments-api"), so that two breakers can
// be told apart on a dashboard. The name costs its object one pointer. Setting and reading take no lock:
// each set() pushes a new name, and every name ever set lives as long as the object, so a reader that
// holds a name while another thread renames the object never reads freed memory. Objects are named once or
// twice in their life, so the names kept are a few bytes.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

namespace backoff {

class ObjectName {
 public:
  ObjectName() = default;
  ~ObjectName();
  ObjectName(const ObjectName&) = delete;
  ObjectName& operator=(const ObjectName&) = delete;

  // Names the object; "" removes the name. Throws std::bad_alloc. Any thread.
  void set(std::string_view name);
  // The latest name, "" if none; valid until the object is destroyed. Any thread.
  const char* get() const noexcept;

 private:
  struct Node {
    std::string text;
    const Node* previous;
  };
  std::atomic<const Node*> latest_{nullptr};
};

}  // namespace backoff
