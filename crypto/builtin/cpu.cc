// crypto/builtin/cpu.cc - run-time CPU feature detection for the builtin
// backend.  Every call executes cpuid again: nothing is cached, so the core
// keeps no mutable global state.  On non-x86 targets every answer is false
// and the portable code is used.
//
// A kernel that calls the AES-NI / SHA-NI / AVX2 code must also allow the use
// of the vector registers (for AVX2 the 256-bit ones) in that context (e.g.
// kernel_fpu_begin()); detecting the instructions is all this file does.
#include "crypto/builtin/builtin.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

namespace {
// Intel SDM vol. 2A, CPUID: leaf 1 ECX / EDX and leaf 7 (sub-leaf 0) EBX bits.
constexpr unsigned kLeaf1EcxSsse3 = 1u << 9;
constexpr unsigned kLeaf1EcxSse41 = 1u << 19;
constexpr unsigned kLeaf1EcxAes = 1u << 25;
constexpr unsigned kLeaf1EcxOsxsave = 1u << 27;
constexpr unsigned kLeaf1EcxAvx = 1u << 28;
constexpr unsigned kLeaf1EdxSse2 = 1u << 26;
constexpr unsigned kLeaf7EbxAvx2 = 1u << 5;
constexpr unsigned kLeaf7EbxBmi2 = 1u << 8;
constexpr unsigned kLeaf7EbxSha = 1u << 29;
constexpr unsigned kLeaf7EbxAvx512f = 1u << 16;
constexpr unsigned kLeaf7EcxVaes = 1u << 9;
// Intel SDM vol. 1, 13.3: XCR0 bit 1 (SSE state) and bit 2 (AVX state) set
// means the OS saves the 256-bit registers on context switches.
constexpr unsigned kXcr0SseAvx = (1u << 1) | (1u << 2);
// ... and bits 5, 6, 7 (opmask, upper halves of zmm0-15, zmm16-31): the
// 512-bit registers.
constexpr unsigned kXcr0Avx512 = kXcr0SseAvx | (1u << 5) | (1u << 6) | (1u << 7);

bool leaf1(unsigned &ecx, unsigned &edx)
{
	unsigned a = 0, b = 0;
	ecx = edx = 0;
	return __get_cpuid(1, &a, &b, &ecx, &edx) != 0;
}

// Leaf 7 (sub-leaf 0) EBX and ECX, after the OS's consent to the register
// state xcr0_bits (OSXSAVE, then XCR0); false when either is missing.
bool leaf7_with_state(unsigned xcr0_bits, unsigned &ebx, unsigned &ecx)
{
	unsigned ecx1, edx1;
	ebx = ecx = 0;
	if (!leaf1(ecx1, edx1))
		return false;
	if (!(ecx1 & kLeaf1EcxOsxsave) || !(ecx1 & kLeaf1EcxAvx))
		return false;
	unsigned xcr0_lo, xcr0_hi;
	__asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	(void)xcr0_hi;
	if ((xcr0_lo & xcr0_bits) != xcr0_bits)
		return false;
	if (__get_cpuid_max(0, nullptr) < 7)
		return false;
	unsigned a = 0, d = 0;
	__cpuid_count(7, 0, a, ebx, ecx, d);
	return true;
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

bool kgss::cpu_has_avx2_bmi2()
{
	// AVX2 needs the CPU's AVX and the OS's consent.
	unsigned b, c;
	return leaf7_with_state(kXcr0SseAvx, b, c) && (b & kLeaf7EbxAvx2) && (b & kLeaf7EbxBmi2);
}

bool kgss::cpu_has_vaes512()
{
	// stitch_vaes.cc and stitch_sha384_vaes.cc are compiled for
	// target("...,avx2,vaes,avx512f") over AES-NI: the caller checks
	// cpu_has_aesni() and the hash's own extension besides.
	unsigned b, c;
	return leaf7_with_state(kXcr0Avx512, b, c) && (b & kLeaf7EbxAvx2) && (b & kLeaf7EbxAvx512f) &&
	       (c & kLeaf7EcxVaes);
}

#else

bool kgss::cpu_has_aesni() { return false; }
bool kgss::cpu_has_shani() { return false; }
bool kgss::cpu_has_avx2_bmi2() { return false; }
bool kgss::cpu_has_vaes512() { return false; }

#endif
