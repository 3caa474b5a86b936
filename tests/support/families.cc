// tests/support/families.cc - see families.h.
#include "families.h"

#include <CppUTest/TestHarness.h>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string.h>
#include <vector>

#include "kgss.h"

#include "crypto/enctype.h"

namespace kt {

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

void check_import_unavailable(int etype)
{
	check_enctype_absent(etype);
	const bool cfx = etype >= 17 && etype <= 26 && etype != 23 && etype != 24;
	const size_t key_len = (etype == 6 || etype == 16) ? 24 : (etype == 18 || etype == 20 || etype == 26) ? 32 : 16;
	std::vector<uint8_t> key(key_len, 0x5b), mem(kgss_ctx_size());
	for (int initiator = 0; initiator < 2; initiator++) {
		kgss_lucid_context_v1 l;
		memset(&l, 0, sizeof l);
		l.version = 1;
		l.initiate = (uint32_t)initiator;
		l.endtime = 2000000000u;
		l.protocol = cfx ? 1 : 0;
		kgss_lucid_key *k = cfx ? &l.cfx_kd.ctx_key : &l.rfc1964_kd.ctx_key;
		if (!cfx) {
			const bool des3 = etype == 6 || etype == 16;
			l.rfc1964_kd.sign_alg = des3 ? 4 : 0x11;
			l.rfc1964_kd.seal_alg = des3 ? 2 : 0x10;
		}
		k->type = (uint32_t)etype;
		k->length = (uint32_t)key_len;
		k->data = key.data();
		kgss_options o;
		kgss_options_init(&o);
		kgss_ctx *c = (kgss_ctx *)&o;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &c));
		POINTERS_EQUAL(nullptr, c);
		o.alloc = [](void *, size_t) -> void * {
			FAIL("allocated for a compiled-out enctype");
			return nullptr;
		};
		o.free = [](void *, void *, size_t) {};
		c = (kgss_ctx *)&o;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_lucid_v1(&l, &o, &c));
		POINTERS_EQUAL(nullptr, c);
	}
	note_compiled_out(etype, "import -> UNAVAILABLE");
}

bool skip_enctype(int etype)
{
	if (enctype_compiled_in(etype))
		return false;
	check_import_unavailable(etype);
	return true;
}

std::vector<int> compiled_in(std::initializer_list<int> list)
{
	std::vector<int> v;
	for (int e : list)
		if (!skip_enctype(e))
			v.push_back(e);
	return v;
}

void require_enctype(int etype)
{
	if (enctype_compiled_in(etype))
		return;
	check_import_unavailable(etype);
	TEST_EXIT;
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
		std::printf("%s: %ld vectors ran, %ld not applicable (compiled out%s%s)\n", s.first.c_str(), s.second,
			    na, detail.empty() ? "" : ": ", detail.c_str());
		if (s.second == 0) {
			std::printf("%s: FAIL: zero vectors ran\n", s.first.c_str());
			rc = rc ? rc : 1;
		}
	}
	std::fflush(stdout);
	return rc;
}

} // namespace kt
