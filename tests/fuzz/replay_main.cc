// tests/fuzz/replay_main.cc - runs every file of a corpus through a fuzz
// target's LLVMFuzzerTestOneInput once, without libFuzzer, so the corpora
// are exercised by every build (gcc included, and under valgrind).
//   fuzz_replay_<target> [dir ...]     (default: the committed corpus)
// Files named ok-* must end COMPLETE, bad-* with an error; the target's own
// invariants abort on anything worse.  Prints the counts; fails on an empty
// corpus.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "families.h"
#include "fuzz_common.h"

// Enctype families compiled out (tests/support/families.h): a token target's
// input whose selector byte picks such an enctype has no context to attack and
// is counted "not applicable (compiled out)"; an import target's ok-eNN-* input
// of such an enctype must be refused with exactly KGSS_S_UNAVAILABLE.
static int etype_in_name(const std::string &n)
{
	size_t p = n.find("-e");
	return p == std::string::npos ? 0 : atoi(n.c_str() + p + 2);
}

int main(int argc, char **argv)
{
	std::vector<std::string> dirs;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-v") != 0)
			dirs.push_back(argv[i]);
	if (dirs.empty())
		dirs.push_back(KGSS_FUZZ_CORPUS);
	size_t files = 0, ok = 0, bad = 0, other = 0, wrong = 0;
	const bool import_target = strncmp(KGSS_FUZZ_TARGET, "import_", 7) == 0;
	std::map<int, size_t> not_applicable, unavailable; // by compiled-out etype
	for (const std::string &d : dirs) {
		DIR *dir = opendir(d.c_str());
		if (!dir) {
			fprintf(stderr, "cannot open %s\n", d.c_str());
			return 1;
		}
		std::vector<std::string> names;
		while (struct dirent *e = readdir(dir))
			if (e->d_name[0] != '.')
				names.push_back(e->d_name);
		closedir(dir);
		std::sort(names.begin(), names.end());
		for (const std::string &n : names) {
			std::string path = d + "/" + n;
			FILE *f = fopen(path.c_str(), "rb");
			if (!f) {
				fprintf(stderr, "cannot read %s\n", path.c_str());
				return 1;
			}
			std::vector<uint8_t> buf;
			uint8_t chunk[4096];
			size_t r;
			while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
				buf.insert(buf.end(), chunk, chunk + r);
			fclose(f);
			const int et = import_target ? etype_in_name(n)
				       : buf.empty() ? 0
						     : kf::kEtypes[kf::config_of(buf[0]).et].etype;
			const bool out = kt::enctype_compiled_out(et);
			if (out && !import_target) {
				not_applicable[et]++;
				continue;
			}
			kf::last_status_set = false;
			// libFuzzer never passes NULL; a one-byte dummy keeps that true here.
			static const uint8_t empty = 0;
			LLVMFuzzerTestOneInput(buf.empty() ? &empty : buf.data(), buf.size());
			files++;
			const bool accepted = kf::last_status_set && !KGSS_ERROR(kf::last_status);
			if (out && n.rfind("ok-", 0) == 0) {
				ok++;
				unavailable[et]++;
				if (!kf::last_status_set || kf::last_status != KGSS_S_UNAVAILABLE) {
					fprintf(stderr,
						"FAIL %s: enctype %d compiled out: expected UNAVAILABLE, got 0x%08x\n",
						path.c_str(), et, (unsigned)kf::last_status);
					wrong++;
				}
			} else if (n.rfind("ok-", 0) == 0) {
				ok++;
				if (!accepted) {
					fprintf(stderr, "FAIL %s: expected COMPLETE, got 0x%08x (%s)\n", path.c_str(),
						(unsigned)kf::last_status, kgss_status_string(kf::last_status));
					wrong++;
				}
			} else if (n.rfind("bad-", 0) == 0) {
				bad++;
				if (!kf::last_status_set || accepted) {
					fprintf(stderr, "FAIL %s: expected an error, got 0x%08x\n", path.c_str(),
						(unsigned)kf::last_status);
					wrong++;
				}
			} else {
				other++;
			}
		}
	}
	size_t na = 0;
	for (auto &e : not_applicable) {
		printf("compiled out: %s (%d): %zu %s inputs not applicable checked\n", kt::family_of(e.first), e.first,
		       e.second, KGSS_FUZZ_TARGET);
		na += e.second;
	}
	for (auto &e : unavailable)
		printf("compiled out: %s (%d): %s ok-* inputs x%zu -> UNAVAILABLE checked\n", kt::family_of(e.first),
		       e.first, KGSS_FUZZ_TARGET, e.second);
	if (na)
		printf("%zu inputs not applicable (compiled out)\n", na);
	printf("replayed %zu files (%zu ok-*, %zu bad-*, %zu others); %zu unexpected outcomes\n", files, ok, bad, other,
	       wrong);
	if (files == 0) {
		fprintf(stderr, "FAIL: empty corpus\n");
		return 1;
	}
	return wrong == 0 ? 0 : 1;
}
