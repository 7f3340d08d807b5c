#include "jobs_fixtures.h"
int main(int argc, char **argv) { jobs_fixture_init(argc, argv); return 1; }
