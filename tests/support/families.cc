// tests/support/families.cc - see families.h.
#include "families.h"

#include <CppUTest/TestHarness.h>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>

#include "crypto/enctype.h"

namespace kt {

const char *family_of(int etype)
{
	switch (etype) {
	case 6:
	case 16:
		return "des3";
	case 17:
	case 18:
		return "aes-sha1";
	case 19:
	case 20:
		return "aes-sha2";
	case 23:
	case 24:
		return "rc4";
	case 25:
	case 26:
		return "camellia";
	default:
		return nullptr;
	}
}

bool enctype_compiled_in(int etype)
{
	switch (etype) {
	case 6:
	case 16:
		return with_des3;
	case 17:
	case 18:
		return with_aes_sha1;
	case 19:
	case 20:
		return with_aes_sha2;
	case 23:
	case 24:
		return with_rc4;
	case 25:
	case 26:
		return with_camellia;
	default:
		return false;
	}
}

namespace {
struct state {
	std::mutex mu;
	std::set<std::string> printed;
	// suite -> ran, suite -> family -> not applicable
	std::map<std::string, long> ran;
	std::map<std::string, std::map<std::string, long>> na;
};
state &st()
{
	static state *s = new state; // never destroyed: usable from other statics' destructors
	return *s;
}
} // namespace

void note_compiled_out(int etype, const std::string &what)
{
	const char *f = family_of(etype);
	std::string line = std::string("compiled out: ") + (f ? f : "?") + " (" + std::to_string(etype) + "): " + what +
			   " checked";
	std::lock_guard<std::mutex> g(st().mu);
	if (st().printed.insert(line).second) {
		std::printf("%s\n", line.c_str());
		std::fflush(stdout);
	}
}

void check_enctype_absent(int etype)
{
	POINTERS_EQUAL_TEXT(nullptr, kgss::enctype_find(etype),
			    ("enctype " + std::to_string(etype) + " is compiled out but in the table").c_str());
	note_compiled_out(etype, "enctype_find -> NULL");
}

void vector_ran(const char *suite, long n)
{
	std::lock_guard<std::mutex> g(st().mu);
	st().ran[suite] += n;
}

void vector_not_applicable(const char *suite, int etype)
{
	const char *f = family_of(etype);
	std::lock_guard<std::mutex> g(st().mu);
	st().ran[suite] += 0; // registers the suite
	st().na[suite][std::string(f ? f : "?") + " (" + std::to_string(etype) + ")"]++;
}

int families_finish(int rc)
{
	std::lock_guard<std::mutex> g(st().mu);
	for (auto &s : st().ran) {
		long na = 0;
		std::string detail;
		for (auto &f : st().na[s.first]) {
			na += f.second;
			detail += (detail.empty() ? "" : ", ") + f.first + " x" + std::to_string(f.second);
		}
		std::printf("%s: %ld vectors ran, %ld not applicable (compiled out%s%s)\n", s.first.c_str(), s.second, na,
			    detail.empty() ? "" : ": ", detail.c_str());
		if (s.second == 0) {
			std::printf("%s: FAIL: zero vectors ran\n", s.first.c_str());
			rc = rc ? rc : 1;
		}
	}
	std::fflush(stdout);
	return rc;
}

} // namespace kt
