// tests/backend_conformance/registry.cc - registers one CppUTest test per
// (backend, primitive, check) before main() runs, prints what is unavailable,
// and reports at exit how many tests and vectors each backend ran.
#include <CppUTest/TestHarness.h>
#include <CppUTest/TestRegistry.h>

#include <atomic>
#include <cstdio>
#include <deque>
#include <map>
#include <thread>

#include "conformance.h"
#include "families.h"

namespace bc {

namespace {

// The kgss_crypto_backend slots, in table order, and the backend's prng.
struct slot {
	const char *name;
	kind k;
	const void *(*get)(const kbe::backend &);
};

#define BC_SLOT(field, k)                                                                          \
	{                                                                                          \
#field, kind::k, [](const kbe::backend &b) -> const void * { return b.be->field; } \
	}
const slot kSlots[] = {
	BC_SLOT(aes128, block),      BC_SLOT(aes256, block),
	BC_SLOT(camellia128, block), BC_SLOT(camellia256, block),
	BC_SLOT(des3, block),        BC_SLOT(rc4, stream),
	BC_SLOT(md5, hash),          BC_SLOT(sha1, hash),
	BC_SLOT(sha256, hash),       BC_SLOT(sha384, hash),
	BC_SLOT(cbc_sha1, engine),   BC_SLOT(cbc_sha256, engine),
	BC_SLOT(cbc_sha384, engine), {"prng", kind::prng, [](const kbe::backend &b) -> const void * { return b.prng; }},
};
#undef BC_SLOT

const std::vector<check> &checks_of(kind k)
{
	switch (k) {
	case kind::block:
		return block_checks();
	case kind::stream:
		return stream_checks();
	case kind::hash:
		return hash_checks();
	case kind::engine:
		return engine_checks();
	case kind::prng:
		break;
	}
	return prng_checks();
}

// Identity of a class for de-duplication (a prng: its generate function and ctx).
std::string identity(const slot &s, const void *cls)
{
	char buf[64];
	if (s.k == kind::prng) {
		const kgss_prng *p = static_cast<const kgss_prng *>(cls);
		std::snprintf(buf, sizeof buf, "prng:%p:%p", (void *)p->generate, p->ctx);
	} else {
		std::snprintf(buf, sizeof buf, "%s:%p", s.name, cls);
	}
	return buf;
}

// Test names live as long as the process (UtestShell keeps the pointers).
std::deque<std::string> &names()
{
	static std::deque<std::string> d;
	return d;
}

class prim_test : public Utest {
      public:
	prim_test(const check *c, const prim *p) : c_(c), p_(p) {}
	void testBody() override { c_->run(*p_); }

      private:
	const check *c_;
	const prim *p_;
};

class prim_shell : public UtestShell {
      public:
	prim_shell(const char *group, const char *name, const check *c, const prim *p)
	    : UtestShell(group, name, __FILE__, __LINE__), c_(c), p_(p)
	{
	}
	Utest *createTest() override { return new prim_test(c_, p_); }

      private:
	const check *c_;
	const prim *p_;
};

// Printed at exit; keeps its own copy of the labels (the list may be gone).
struct report {
	std::vector<std::string> labels;
	std::map<std::string, long> tests, vectors, unavailable;
	~report()
	{
		std::printf("\n==== test_backend_conformance: tests registered, vectors run per backend ====\n");
		for (const std::string &l : labels)
			std::printf("  %-20s tests %4ld  vectors run %5ld  unavailable primitives %ld\n", l.c_str(),
				    tests[l], vectors[l], unavailable[l]);
	}
};
report &rep()
{
	static report r;
	return r;
}

std::string snake(const char *s)
{
	std::string r(s);
	for (char &c : r)
		if (c == '-' || c == '+')
			c = '_';
	return r;
}

struct registrar {
	registrar()
	{
		rep(); // built before the lists below, so reported after them
		std::map<std::string, const char *> seen;
		for (const kbe::backend &b : kbe::backends()) {
			rep().labels.push_back(b.label);
			std::string same;
			for (const slot &s : kSlots) {
				const void *cls = s.get(b);
				if (cls == nullptr) {
					// (a SIMD entry never has engines, whatever the CPU)
					if (!b.cpu_ok && s.k != kind::engine)
						std::printf("unavailable: %s %s (CPU lacks %s)\n", b.label, s.name,
							    b.cpu_needs);
					else
						std::printf("unavailable: %s %s\n", b.label, s.name);
					rep().unavailable[b.label]++;
					continue;
				}
				const std::string id = identity(s, cls);
				auto it = seen.find(id);
				if (it != seen.end()) {
					same += std::string(" ") + s.name + "=" + it->second;
					continue;
				}
				seen[id] = b.label;
				const prim *p = new prim{&b, s.name, s.k, cls};
				names().push_back(snake(b.label) + "_" + s.name);
				const char *group = names().back().c_str();
				for (const check &c : checks_of(s.k)) {
					TestRegistry::getCurrentRegistry()->addTest(
						new prim_shell(group, c.name, &c, p));
					rep().tests[b.label]++;
				}
			}
			if (!same.empty())
				std::printf("same class as an earlier entry (tested there): %s:%s\n", b.label,
					    same.c_str());
		}
		std::fflush(stdout);
	}
} g_registrar;

} // namespace

void for_each_vector(const prim &p, const char *file, const char *field,
		     const std::function<void(const kt::vector_block &)> &f)
{
	size_t n = 0;
	for (const kt::vector_block &v : kt::load_vectors(file)) {
		if (!v.has(field) || v.get(field) != p.name)
			continue;
		f(v);
		rep().vectors[p.b->label]++;
		kt::vector_ran("test_backend_conformance");
		n++;
	}
	CHECK_TEXT(n > 0, (std::string(file) + ": no vector for " + p.name).c_str());
}

void run_threads(int threads, int iterations, const std::function<bool(int t, int i)> &one)
{
	std::atomic<long> bad{0}, ok{0};
	std::vector<std::thread> th;
	for (int t = 0; t < threads; t++)
		th.emplace_back([&, t] {
			for (int i = 0; i < iterations; i++)
				(one(t, i) ? ok : bad)++;
		});
	for (std::thread &x : th)
		x.join();
	LONGS_EQUAL(0, bad.load());
	LONGS_EQUAL((long)threads * iterations, ok.load());
}

bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = static_cast<const uint8_t *>(p);
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

} // namespace bc
