// tools/kgss/bench.cc - `kgss bench`: runs the benchmark program kgss-bench
// (tools/bench/), found next to this executable's build tree
// (<dir of kgss>/../bench/kgss-bench), else next to kgss itself, else on $PATH.
// All arguments are passed through unchanged; its exit code is kgss's.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tools/kgss/commands.h"
#include "tools/kgss/util.h"

namespace kcli {

namespace {
std::string locate_bench(std::vector<std::string> *tried)
{
	std::string dir = exe_dir();
	if (!dir.empty()) {
		for (const char *rel : {"/../bench/kgss-bench", "/kgss-bench"}) {
			std::string c = dir + rel;
			tried->push_back(c);
			if (access(c.c_str(), X_OK) == 0)
				return c;
		}
	}
	tried->push_back("$PATH");
	return find_in_path("kgss-bench");
}
} // namespace

int cmd_bench(int argc, char **argv)
{
	std::vector<std::string> tried;
	std::string bench = locate_bench(&tried);
	if (bench.empty()) {
		if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
			printf("usage: kgss bench [ARGS...]\n\n"
			       "Runs the benchmark program kgss-bench with ARGS passed through (see kgss-bench "
			       "--help).\n"
			       "It is looked up at <dir of kgss>/../bench/kgss-bench, <dir of kgss>/kgss-bench, then "
			       "$PATH.\n");
		}
		std::string where;
		for (const auto &t : tried)
			where += "\n  " + t;
		fprintf(stderr,
			"kgss bench: the benchmark program kgss-bench is not built or not found; looked in:%s\n"
			"build it with: cmake --build <build dir> --target kgss-bench\n",
			where.c_str());
		return EXIT_ENV;
	}
	std::vector<char *> av;
	std::string arg0 = bench;
	av.push_back(&arg0[0]);
	for (int i = 0; i < argc; i++)
		av.push_back(argv[i]);
	av.push_back(nullptr);
	fflush(stdout);
	execv(bench.c_str(), av.data());
	fprintf(stderr, "kgss bench: cannot execute '%s': %s\n", bench.c_str(), strerror(errno));
	return EXIT_ENV;
}

} // namespace kcli
