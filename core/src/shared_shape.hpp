// shared_shape(): one immutable copy of a configuration for the objects made one after another from it.
//
// Breakers and budgets come by the thousand from one configuration (a pool's, or a C program's per-key
// objects), and each used to carry its own copy of it (a breaker's 144 B, a budget's 176 B). Instead each
// holds a pointer to a shared, immutable "shape": the configuration, what is derived from it, and the
// clock. The last shape the calling thread made is reused while it is still in use and `same` says it
// fits; otherwise `make` makes a new one. Per thread, so that no lock is shared (or held across a fork).
#pragma once

#include <memory>

namespace backoff::detail {

template <class Shape, class Same, class Make>
std::shared_ptr<const Shape> shared_shape(Same same, Make make) {
  thread_local std::weak_ptr<const Shape> last;
  std::shared_ptr<const Shape> shape = last.lock();
  if (shape != nullptr && same(*shape)) return shape;
  shape = make();
  last = shape;
  return shape;
}

}  // namespace backoff::detail
