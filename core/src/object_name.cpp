#include "backoff/object_name.hpp"

namespace backoff {

ObjectName::~ObjectName() {
  for (const Node* node = latest_.load(std::memory_order_acquire); node != nullptr;) {
    const Node* previous = node->previous;
    delete node;
    node = previous;
  }
}

void ObjectName::set(std::string_view name) {
  Node* node = new Node{std::string(name), latest_.load(std::memory_order_relaxed)};
  // Release: a reader that sees the node sees its text.
  while (!latest_.compare_exchange_weak(node->previous, node, std::memory_order_release, std::memory_order_relaxed)) {
  }
}

const char* ObjectName::get() const noexcept {
  const Node* node = latest_.load(std::memory_order_acquire);
  return node == nullptr ? "" : node->text.c_str();
}

}  // namespace backoff
