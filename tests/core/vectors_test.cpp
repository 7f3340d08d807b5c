// Checks the core against tests/vectors/delays.tsv, the delays an independent Python model of the spec
// computed (tools/gen_vectors.py). The file's own header describes its format.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "backoff/backoff.hpp"
#include "backoff/key_hash.hpp"
#include "config_text.hpp"

namespace {

struct VectorCase {
  std::string name, config, form, key, results;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find(separator, start)) != std::string::npos; start = at + 1) {
    parts.push_back(text.substr(start, at - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::vector<VectorCase> read_vectors() {
  std::ifstream file(BACKOFF_VECTORS_FILE);
  REQUIRE(file.good());
  std::vector<VectorCase> cases;
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = split(line, '\t');
    INFO(line);
    REQUIRE(fields.size() == 5);
    cases.push_back({fields[0], fields[1], fields[2], fields[3], fields[4]});
  }
  return cases;
}

// A key as the file writes it: decimal, or "bytes:" and hex digits, hashed as backoff_key_hash() does.
std::uint64_t key_of(const std::string& text) {
  const std::string prefix = "bytes:";
  if (text.compare(0, prefix.size(), prefix) != 0) return std::stoull(text);
  std::string bytes;
  for (std::size_t at = prefix.size(); at + 1 < text.size(); at += 2) {
    bytes.push_back(static_cast<char>(std::stoul(text.substr(at, 2), nullptr, 16)));
  }
  REQUIRE(bytes.size() * 2 + prefix.size() == text.size());
  return backoff::key_hash(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::int64_t zero_clock(void*) { return 0; }

}  // namespace

TEST_CASE("the vectors file holds many uniquely named cases of both forms", "[vectors]") {
  const std::vector<VectorCase> cases = read_vectors();
  std::set<std::string> names, forms;
  for (const VectorCase& c : cases) {
    names.insert(c.name);
    forms.insert(c.form);
  }
  CHECK(cases.size() >= 30);
  CHECK(names.size() == cases.size());
  CHECK(forms == std::set<std::string>{"delay", "next"});
  CHECK(std::count_if(cases.begin(), cases.end(), [](const VectorCase& c) { return c.key.rfind("bytes:", 0) == 0; }) >= 5);
}

TEST_CASE("the stateless delay matches every 'delay' vector", "[vectors]") {
  for (const VectorCase& c : read_vectors()) {
    if (c.form != "delay") continue;
    INFO(c.name << "  " << c.config << "  key " << c.key);
    const backoff::Policy policy = backoff_test::policy_from_text(c.config);
    const std::uint64_t key = key_of(c.key);
    for (const std::string& pair : split(c.results, ',')) {
      const std::vector<std::string> attempt_and_delay = split(pair, ':');
      REQUIRE(attempt_and_delay.size() == 2);
      const std::uint64_t attempt = std::stoull(attempt_and_delay[0]);
      CAPTURE(attempt);
      CHECK(policy.delay(attempt, key).ns() == std::stoll(attempt_and_delay[1]));
    }
  }
}

TEST_CASE("a fresh Backoff's next() matches every 'next' vector", "[vectors]") {
  for (const VectorCase& c : read_vectors()) {
    if (c.form != "next") continue;
    INFO(c.name << "  " << c.config);
    REQUIRE(c.key == "-");
    backoff::Backoff state(backoff_test::policy_from_text(c.config), backoff::Clock{zero_clock, nullptr});
    int call = 0;
    for (const std::string& expected : split(c.results, ',')) {
      CAPTURE(call++);
      CHECK(state.next_at(backoff::Instant()).ns() == std::stoll(expected));
    }
  }
}
