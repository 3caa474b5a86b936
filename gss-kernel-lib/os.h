// gss-kernel-lib/os.h - the two things the core needs from the environment it
// runs in, beyond memcpy/memmove/memset/memcmp.
//
//   kgss_os_simd_begin / kgss_os_simd_end
//       bracket every stretch of code that touches SSE/AVX registers (the
//       builtin backend's AES-NI, SHA-NI and AVX2 classes; see
//       crypto/builtin/simd.h, the only caller).  begin() returns 0 when the
//       vector registers may not be used right now; the caller then takes a
//       portable path or fails the primitive.
//   kgss_os_irq_save / kgss_os_irq_restore
//       mask local interrupts around the receive window's few-instruction
//       critical section (gss-kernel-lib/seqstate.cc), so that a verify in
//       softirq or hard-IRQ context cannot spin on a lock held by the code it
//       interrupted on the same CPU.
//
// In a kernel build (__KERNEL__) they are functions of the glue
// (compat/linux/kgss_os.c: kernel_fpu_begin/end behind may_use_simd(),
// local_irq_save/restore).  In user space a thread owns its vector registers
// and signal handlers do not call libkgss, so all four are empty inlines and
// the compiler removes them.
#ifndef KGSS_OS_H
#define KGSS_OS_H

#if defined(__KERNEL__)

extern "C" {
int kgss_os_simd_begin(void);
void kgss_os_simd_end(void);
unsigned long kgss_os_irq_save(void);
void kgss_os_irq_restore(unsigned long flags);
}

#else

inline int kgss_os_simd_begin(void) { return 1; }
inline void kgss_os_simd_end(void) {}
inline unsigned long kgss_os_irq_save(void) { return 0; }
inline void kgss_os_irq_restore(unsigned long) {}

#endif

#endif
