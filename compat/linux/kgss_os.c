// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * compat/linux/kgss_os.c - the environment hooks of gss-kernel-lib/os.h.
 *
 * kgss_os_simd_begin/end: the builtin backend's AES-NI, SHA-NI and AVX2 code
 * runs only between these (crypto/builtin/simd.h), at most 4 KiB of data per
 * section.  On x86 may_use_simd() is false when the interrupted code was
 * itself in a kernel FPU section (an interrupt from user space or from other
 * kernel code may use the FPU).
 *
 * kgss_os_irq_save/restore: the receive window's critical section runs with
 * local interrupts masked, so it is safe in process, softirq and hard-IRQ
 * context alike (it is a few instructions long).
 */
#include <linux/irqflags.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>

int kgss_os_simd_begin(void);
void kgss_os_simd_end(void);
unsigned long kgss_os_irq_save(void);
void kgss_os_irq_restore(unsigned long flags);

int kgss_os_simd_begin(void)
{
	if (!may_use_simd())
		return 0;
	kernel_fpu_begin();
	return 1;
}

void kgss_os_simd_end(void) { kernel_fpu_end(); }

unsigned long kgss_os_irq_save(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

void kgss_os_irq_restore(unsigned long flags) { local_irq_restore(flags); }
