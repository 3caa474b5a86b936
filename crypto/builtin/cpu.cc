// crypto/builtin/cpu.cc - run-time CPU feature detection for the builtin
// backend.  Every call executes cpuid again: nothing is cached, so the core
// keeps no mutable global state.  On non-x86 targets both answers are false
// and the portable code is used.
//
// A kernel that calls the AES-NI / SHA-NI code must also allow the use of
// the vector registers in that context (e.g. kernel_fpu_begin()); detecting
// the instructions is all this file does.
#include "crypto/builtin/builtin.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

namespace {
// Intel SDM vol. 2A, CPUID: leaf 1 ECX / EDX and leaf 7 (sub-leaf 0) EBX bits.
constexpr unsigned kLeaf1EcxSsse3 = 1u << 9;
constexpr unsigned kLeaf1EcxSse41 = 1u << 19;
constexpr unsigned kLeaf1EcxAes = 1u << 25;
constexpr unsigned kLeaf1EdxSse2 = 1u << 26;
constexpr unsigned kLeaf7EbxSha = 1u << 29;

bool leaf1(unsigned &ecx, unsigned &edx)
{
	unsigned a = 0, b = 0;
	ecx = edx = 0;
	return __get_cpuid(1, &a, &b, &ecx, &edx) != 0;
}
} // namespace

bool kgss::cpu_has_aesni()
{
	unsigned ecx, edx;
	if (!leaf1(ecx, edx))
		return false;
	// aes_ni.cc is compiled for target("aes,sse4.1").
	return (ecx & kLeaf1EcxAes) && (ecx & kLeaf1EcxSse41) && (edx & kLeaf1EdxSse2);
}

bool kgss::cpu_has_shani()
{
	unsigned ecx, edx;
	if (!leaf1(ecx, edx))
		return false;
	// The SHA-NI code also uses SSSE3 (pshufb) and SSE4.1 (pblendw/pextrd).
	if (!(ecx & kLeaf1EcxSsse3) || !(ecx & kLeaf1EcxSse41) || !(edx & kLeaf1EdxSse2))
		return false;
	if (__get_cpuid_max(0, nullptr) < 7)
		return false;
	unsigned a = 0, b = 0, c = 0, d = 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & kLeaf7EbxSha) != 0;
}

#else

bool kgss::cpu_has_aesni() { return false; }
bool kgss::cpu_has_shani() { return false; }

#endif
