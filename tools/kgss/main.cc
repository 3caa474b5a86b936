// tools/kgss/main.cc - `kgss`: the libkgss command-line tool.
//
//   kgss demo      loopback KDC -> real MIT contexts -> libkgss, every enctype, both directions
//   kgss inspect   decode / check / verify a GSS-API krb5 per-message token
//   kgss lucid     establish an MIT context pair and write one side for libkgss
//   kgss describe  print a serialized context without its key
//   kgss bench     run the kgss-bench benchmark program
#include <stdio.h>
#include <string.h>

#include <string>

#include "tools/kgss/commands.h"
#include "tools/kgss/util.h"

namespace {

void usage(FILE *f)
{
	fputs("usage: kgss <command> [options]     (kgss <command> --help for details)\n"
	      "\n"
	      "libkgss command-line tool: RFC 4121 / RFC 1964 GSS-API krb5 per-message tokens.\n"
	      "\n"
	      "commands:\n"
	      "  demo       start a throwaway loopback KDC, establish real MIT krb5 contexts for every\n"
	      "             enctype, import them into libkgss and exchange tokens both ways; prints a table\n"
	      "  inspect    decode an RFC 4121 / RFC 1964 token and name every violation; with a key or a\n"
	      "             serialized context, verify / decrypt it through libkgss\n"
	      "  lucid      establish an MIT context pair and write one side as a libkgss serialization or\n"
	      "             a Linux downcall buffer (optionally a sample token from the live peer)\n"
	      "  describe   print a serialized context (or downcall buffer) without its key\n"
	      "  bench      run the benchmark program kgss-bench with the given arguments\n"
	      "\n"
	      "exit codes: 0 success; 1 verification / decoding failure (a violation, a rejected token,\n"
	      "            a failed demo case); 2 usage error; 3 environment error (missing package, KDC,\n"
	      "            file or program)\n",
	      f);
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return kcli::EXIT_USAGE;
	}
	std::string cmd = argv[1];
	if (cmd == "--help" || cmd == "-h" || cmd == "help") {
		usage(stdout);
		return kcli::EXIT_OK;
	}
	int ac = argc - 2;
	char **av = argv + 2;
	if (cmd == "demo")
		return kcli::cmd_demo(ac, av);
	if (cmd == "inspect")
		return kcli::cmd_inspect(ac, av);
	if (cmd == "lucid")
		return kcli::cmd_lucid(ac, av);
	if (cmd == "describe")
		return kcli::cmd_describe(ac, av);
	if (cmd == "bench")
		return kcli::cmd_bench(ac, av);
	fprintf(stderr, "kgss: unknown command '%s'\n\n", cmd.c_str());
	usage(stderr);
	return kcli::EXIT_USAGE;
}
