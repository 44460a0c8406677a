/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_compat.h - the few things proto/ needs from its host, and the
 * byte helpers every part of it shares.
 *
 * proto/ is compiled verbatim into the kernel (kernel/relief) and into
 * userspace (reliefctl, tests, simulator). This header is the only place
 * that knows which one it is in; nothing else in proto/ includes a libc or
 * kernel header directly.
 */
#ifndef RELIEF_COMPAT_H
#define RELIEF_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/limits.h>
#include <asm/barrier.h>
#ifndef UINT8_MAX
#define UINT8_MAX U8_MAX
#define UINT16_MAX U16_MAX
#define UINT32_MAX U32_MAX
#define UINT64_MAX U64_MAX
#endif
#define RELIEF_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#define RELIEF_ALIGNED(n) __aligned(n)
/* Reads what the peer published; pairs with its relief_store_release(). */
#define relief_load_acquire(p) smp_load_acquire(p)
/* Publishes all earlier writes; pairs with the peer's relief_load_acquire(). */
#define relief_store_release(p, v) smp_store_release(p, v)
#else
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#define RELIEF_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#define RELIEF_ALIGNED(n) alignas(n)
#define relief_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define relief_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#endif

/* The wire format is little-endian; both supported arches are too. */
RELIEF_STATIC_ASSERT(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
		     "relief wire format assumes a little-endian host");

#define RELIEF_CACHELINE 64

/* Are the @n bytes at @p all zero (padding, unused slots)? */
static inline bool relief_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t acc = 0;

	while (n--)
		acc |= *b++;
	return acc == 0;
}

#endif /* RELIEF_COMPAT_H */
