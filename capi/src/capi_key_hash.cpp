// The key hash behind the C ABI: a job id or any other text key as the uint64_t key of the stateless delay.
#include <cstddef>
#include <string>

#include "backoff/key_hash.hpp"
#include "capi_internal.hpp"

extern "C" {

int backoff_key_hash(uint64_t* out, const void* bytes, uint64_t size) {
  BACKOFF_REQUIRE(out);
  if (size != 0) BACKOFF_REQUIRE(bytes);
  // On a 32-bit machine a size past the address space cannot describe bytes that exist.
  if (static_cast<std::uint64_t>(static_cast<std::size_t>(size)) != size) {
    return backoff::capi::guarded([&] {
      backoff::throw_invalid("size", "is larger than the address space", std::to_string(size));
    });
  }
  *out = backoff::key_hash(static_cast<const unsigned char*>(bytes), static_cast<std::size_t>(size));
  return BACKOFF_OK;
}

}
