// Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so that the checked-in
// corpus runs as an ordinary test in every build, with GCC too, and under every sanitizer.
//
// Usage: fuzz_replay_<target> <file or directory>...
// Directories are read in name order, not recursively. An argument that holds no input fails the run:
// an emptied or misnamed corpus must not pass in silence.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_of(const fs::path& argument) {
  std::vector<fs::path> inputs;
  if (fs::is_directory(argument)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(argument)) {
      if (entry.is_regular_file()) inputs.push_back(entry.path());
    }
    std::sort(inputs.begin(), inputs.end());
  } else if (fs::is_regular_file(argument)) {
    inputs.push_back(argument);
  }
  return inputs;
}

void replay(const fs::path& input) {
  std::ifstream file(input, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // A copy in a buffer of exactly its size, as libFuzzer passes it, so ASan catches any read past the end.
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <file or directory>...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    const std::vector<fs::path> inputs = inputs_of(argv[i]);
    if (inputs.empty()) {
      std::fprintf(stderr, "%s: no input in %s\n", argv[0], argv[i]);
      return 1;
    }
    for (const fs::path& input : inputs) replay(input);
    std::printf("replayed %zu inputs from %s\n", inputs.size(), argv[i]);
  }
  return 0;
}
