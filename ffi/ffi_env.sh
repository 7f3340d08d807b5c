# Sourced by scripts/test-ffi and bench/ffi/run, from the repository root: builds libbackoff.so and points
# every runtime at it. Toolchain caches go under build-ffi/ (gitignored), so a run leaves nothing behind in
# the home directory and a second run reuses the downloads.

# Builds libbackoff.so and exports where it is:
#   BACKOFF_LIB_DIR   the directory holding libbackoff.so (Rust's build.rs, cgo's -L)
#   BACKOFF_LIBRARY   the library itself (Python ctypes, Node koffi)
#   LD_LIBRARY_PATH   so the system loader finds it from Go and Rust test binaries
# BACKOFF_BUILD_DIR, if set, names an already configured CMake build directory to reuse.
ffi_build_library() {
  local build
  if [ -n "${BACKOFF_BUILD_DIR:-}" ]; then
    build=$(cd "$BACKOFF_BUILD_DIR" && pwd)
    step "Building libbackoff.so in $build"
    cmake --build "$build" --target backoff
  else
    build=$PWD/build-ffi/lib
    step "Building libbackoff.so in $build"
    # Release, since bench/ffi/run times this library; only the C library, nothing the FFIs do not load.
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBACKOFF_WERROR=ON \
      -DBACKOFF_BUILD_TESTS=OFF -DBACKOFF_BUILD_EXAMPLES=OFF -DBACKOFF_BUILD_PYTHON=OFF \
      -DBACKOFF_INSTALL=OFF >/dev/null
    ninja -C "$build" backoff
  fi
  BACKOFF_LIB_DIR=$build/capi
  if [ ! -e "$BACKOFF_LIB_DIR/libbackoff.so.0" ]; then
    echo "error: no libbackoff.so.0 in $BACKOFF_LIB_DIR" >&2
    return 1
  fi
  export BACKOFF_LIB_DIR
  export BACKOFF_LIBRARY=$BACKOFF_LIB_DIR/libbackoff.so.0
  export LD_LIBRARY_PATH=$BACKOFF_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export CGO_LDFLAGS="-L$BACKOFF_LIB_DIR${CGO_LDFLAGS:+ $CGO_LDFLAGS}"
}

# Keeps Go, Cargo and npm downloads and build caches inside build-ffi/.
ffi_use_local_caches() {
  local cache=$PWD/build-ffi/cache
  export GOMODCACHE=$cache/go-mod GOCACHE=$cache/go-build GOTOOLCHAIN=local GOFLAGS=-mod=readonly
  export CARGO_HOME=$cache/cargo-home CARGO_TARGET_DIR=$cache/cargo-target
  export npm_config_cache=$cache/npm
}
