// tools/kgss/commands.h - the subcommands of `kgss` and a tiny option reader.
#ifndef KGSS_TOOLS_KGSS_COMMANDS_H
#define KGSS_TOOLS_KGSS_COMMANDS_H

#include <stdio.h>

#include <string>

namespace kcli {

// Each gets the arguments after the subcommand name and returns an exit code.
int cmd_demo(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_lucid(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_bench(int argc, char **argv);

// Walks argv: options "--name value" or "--name=value", flags "--name",
// positionals.  Usage errors are printed as "kgss <cmd>: <message>".
struct opt_reader {
	const char *cmd;
	int argc;
	char **argv;
	int i = 0;
	std::string name;     // current option name ("--x") or "" for a positional
	std::string inline_v; // value given with '='
	bool has_inline = false;
	bool only_positionals = false; // after "--"

	opt_reader(const char *c, int ac, char **av) : cmd(c), argc(ac), argv(av) {}
	// Next item; false at the end.  *arg receives the raw argument.
	bool next(std::string *arg)
	{
		if (i >= argc)
			return false;
		std::string a = argv[i++];
		has_inline = false;
		inline_v.clear();
		name.clear();
		if (!only_positionals && a == "--") {
			only_positionals = true;
			return next(arg);
		}
		if (!only_positionals && a.size() > 2 && a[0] == '-' && a[1] == '-') {
			size_t eq = a.find('=');
			if (eq != std::string::npos) {
				name = a.substr(0, eq);
				inline_v = a.substr(eq + 1);
				has_inline = true;
			} else {
				name = a;
			}
		} else if (!only_positionals && a.size() == 2 && a[0] == '-' && a[1] == 'h') {
			name = "--help";
		}
		*arg = a;
		return true;
	}
	// The value of the current option; false (with a message) if missing.
	bool value(std::string *v)
	{
		if (has_inline) {
			*v = inline_v;
			return true;
		}
		if (i >= argc) {
			fprintf(stderr, "kgss %s: option %s needs a value (see kgss %s --help)\n", cmd, name.c_str(),
				cmd);
			return false;
		}
		*v = argv[i++];
		return true;
	}
	// For flags: a flag given a value is a usage error.
	bool no_value()
	{
		if (has_inline) {
			fprintf(stderr, "kgss %s: option %s takes no value\n", cmd, name.c_str());
			return false;
		}
		return true;
	}
	int unknown(const std::string &arg)
	{
		fprintf(stderr, "kgss %s: unknown option '%s' (see kgss %s --help)\n", cmd, arg.c_str(), cmd);
		return 2;
	}
};

} // namespace kcli

#endif
