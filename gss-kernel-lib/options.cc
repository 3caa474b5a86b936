// gss-kernel-lib/options.cc - kgss_options defaults and their resolution.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kgss.h"
#include "gss-kernel-lib/import.h"

// The default backend.  A kernel build defaults to the portable builtin
// classes: they never touch the vector registers, so the default is safe in
// every context (docs/kernel.md, "FPU").
static const kgss_crypto_backend *default_crypto()
{
#if defined(__KERNEL__)
	return kgss_crypto_builtin_portable();
#else
	return kgss_crypto_builtin();
#endif
}

extern "C" void kgss_options_init(kgss_options *opts)
{
	if (opts == nullptr)
		return;
	memset(opts, 0, sizeof(*opts));
	opts->struct_size = (uint32_t)sizeof(kgss_options);
	opts->crypto = default_crypto();
}

namespace kgss {

kgss_status options_resolve(const kgss_options *in, kgss_options *out)
{
	kgss_options_init(out);
	if (in == nullptr)
		return KGSS_S_COMPLETE;
	// A caller must at least have set struct_size and flags.
	const size_t min_size = offsetof(kgss_options, flags) + sizeof(in->flags);
	if (in->struct_size < min_size)
		return KGSS_S_FAILURE;
	// Older callers pass a shorter struct: take each field they have
	// completely, the rest stays at its default.  Newer callers' extra
	// trailing fields are ignored (we do not know them).
	const size_t n = in->struct_size;
#define KGSS_TAKE(field)                                                    \
	do {                                                                \
		if (n >= offsetof(kgss_options, field) + sizeof(in->field)) \
			out->field = in->field;                             \
	} while (0)
	KGSS_TAKE(flags);
	KGSS_TAKE(crypto);
	KGSS_TAKE(prng);
	KGSS_TAKE(clock);
	KGSS_TAKE(clock_ctx);
	KGSS_TAKE(alloc);
	KGSS_TAKE(free);
	KGSS_TAKE(alloc_ctx);
#undef KGSS_TAKE
	if (out->crypto == nullptr)
		out->crypto = default_crypto();
	// Unknown option bits: refuse rather than silently run without a
	// protection the caller may believe it asked for.
	if (out->flags & ~(KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT))
		return KGSS_S_FAILURE;
	return KGSS_S_COMPLETE;
}

} // namespace kgss
