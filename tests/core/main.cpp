// The Catch2 runner of the core tests: every *_test.cpp in this directory links into one binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
