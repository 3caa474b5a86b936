// crypto/builtin/simd.h - the SIMD rule, in code.
//
// Rule: a function compiled with a target("...") attribute that enables
// SSE, AVX, AES-NI or SHA-NI is called only from inside a simd::section (or
// through simd::blocks).  In user space a section costs nothing.  In a kernel
// build it is kernel_fpu_begin()/kernel_fpu_end() (gss-kernel-lib/os.h), held
// for at most kChunkBytes of data so that preemption is never off for long.
// scripts/check-kernel-objects.sh enforces the other half: no vector
// instruction in any function of kgss.ko outside the SIMD files' target
// functions.
//
// Hashes keep one state layout for the portable and the SIMD compression
// function, so when the vector registers are unusable (may_use_simd()
// false: an interrupt that landed inside another kernel FPU section) simd::blocks falls back to the portable
// function and the result is the same.  AES-NI keeps its own schedule, so
// its class operations fail instead (the library answers KGSS_S_FAILURE);
// a kernel caller that may run there uses kgss_crypto_builtin_portable() or
// the kernel crypto API backend (docs/kernel.md, "FPU").
#ifndef KGSS_CRYPTO_BUILTIN_SIMD_H
#define KGSS_CRYPTO_BUILTIN_SIMD_H

#include <stddef.h>
#include <stdint.h>

#include "gss-kernel-lib/os.h"

namespace kgss {
namespace simd {

// Bytes processed per kernel FPU section (in user space: no limit).
#if defined(__KERNEL__)
constexpr size_t kChunkBytes = 4096;
#else
constexpr size_t kChunkBytes = SIZE_MAX & ~(size_t)4095;
#endif

// RAII bracket; ok is false when the vector registers may not be used now.
struct section {
	bool ok;
	section() : ok(kgss_os_simd_begin() != 0) {}
	~section()
	{
		if (ok)
			kgss_os_simd_end();
	}
	section(const section &) = delete;
	section &operator=(const section &) = delete;
};

// A compression function (Fast, SIMD) made safe to call anywhere: in
// kChunkBytes pieces inside sections, or Portable when SIMD is unusable.
template <typename W, void (*Fast)(W *, const uint8_t *, size_t), void (*Portable)(W *, const uint8_t *, size_t),
	  size_t BlockBytes>
void blocks(W *h, const uint8_t *p, size_t nblocks)
{
#if defined(__KERNEL__)
	constexpr size_t per = kChunkBytes / BlockBytes;
	while (nblocks != 0) {
		const size_t n = nblocks < per ? nblocks : per;
		section s;
		if (s.ok)
			Fast(h, p, n);
		else
			Portable(h, p, n);
		p += n * BlockBytes;
		nblocks -= n;
	}
#else
	(void)Portable;
	Fast(h, p, nblocks);
#endif
}

} // namespace simd
} // namespace kgss

#endif
