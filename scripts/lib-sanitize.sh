# Clang sanitizer builds, shared by scripts/test-sanitizers and scripts/test-fuzz: sourced, not run.
# Needs scripts/lib.sh sourced first.

# Debian's clang and its sanitizer and libFuzzer runtimes.
require_clang_sanitizers() {
  require_debian_packages cmake ninja-build clang libclang-rt-14-dev pkg-config catch2 python3
}

# configure_sanitized <build-dir> <sanitizers> [cmake args...]
#
# Configures the whole tree with clang, every C and C++ file compiled with -fsanitize=<sanitizers>. A
# sanitizer finding is never recovered from: the process stops at the first one. -O1 keeps the tests
# fast; frame pointers keep the reports' stacks whole.
#
# The install tests are off: they build consumers with the plain compiler flags, which cannot load a
# sanitized library, and they check packaging, which no sanitizer changes (scripts/test runs them). So are
# the tests that load the library into Python's unsanitized interpreter (they check names and defaults).
configure_sanitized() {
  local build=$1 sanitizers=$2
  shift 2
  local flags="-fsanitize=$sanitizers -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DBACKOFF_INSTALL=OFF -DBACKOFF_TEST_LIBRARY_FROM_PYTHON=OFF "$@" >/dev/null
}

# CMake arguments that let libbackoff.so leave the sanitizer runtime's symbols undefined, to be found in
# the executable that loads it, where clang links the runtime. capi/ links the library with
# --no-undefined; CMAKE_CXX_STANDARD_LIBRARIES comes last on the link line, so its -z undefs wins.
runtime_in_executables() {
  echo "-DCMAKE_CXX_STANDARD_LIBRARIES=-Wl,-z,undefs"
}

# The directory of clang's sanitizer runtimes, for the run path of programs linked with -shared-libsan.
sanitizer_runtime_dir() {
  dirname "$(clang -print-file-name=libclang_rt.asan-x86_64.so)"
}

# Runs a command with address-space randomisation off for it and its children. Clang 14's ASan and TSan
# runtimes expect the layout of kernels before 6.5; with vm.mmap_rnd_bits = 32 (newer kernels) they
# crash at start. Nothing the tests check depends on where memory is mapped.
without_aslr() {
  setarch "$(uname -m)" -R "$@"
}
