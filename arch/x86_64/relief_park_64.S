/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief on x86_64: parking a CPU lent to the new kernel.
 *
 * relief_park_enter runs in the old kernel's text on a CPU that has just
 * gone offline. It loads the "enter" page tables, which map this page at
 * the same virtual address (the old kernel's top-level entry for its text)
 * and the region identity-mapped, and jumps to the copy of relief_park_code
 * in the park area. From there on the CPU needs nothing of the old
 * kernel: it drops the old kernel's mapping, loads the park area's GDT,
 * IDT and stack, and halts until an NMI finds GO in its slot.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/unwind_hints.h>

#include "relief_park.h"

	.text
	.balign	PAGE_SIZE
/* rdi: park code (phys), rsi: enter tables, rdx: slot, rcx: park tables, r8: area */
SYM_CODE_START_NOALIGN(relief_park_enter)
	UNWIND_HINT_END_OF_STACK
	movq	%rsi, %cr3
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%rdi
SYM_CODE_END(relief_park_enter)

/* Position-independent: runs from the park area, identity-mapped. */
	.section .rodata, "a"
	.balign	16
SYM_DATA_START(relief_park_code)
	movq	%rcx, %cr3			/* forget the old kernel */
	lgdt	RELIEF_PARK_GDTR(%r8)
	lidt	RELIEF_PARK_IDTR(%r8)
	movq	RELIEF_SLOT_STACK(%rdx), %rsp
	pushq	$RELIEF_GDT_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movl	$RELIEF_GDT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movq	%cr4, %rax			/* no global pages, no PCID */
	andq	$~(X86_CR4_PGE | X86_CR4_PCIDE), %rax
	movq	%rax, %cr4
	movl	$RELIEF_PARK_PARKED, RELIEF_SLOT_STATE(%rdx)
2:	cmpl	$RELIEF_PARK_GO, RELIEF_SLOT_CMD(%rdx)
	je	relief_park_go
	hlt					/* an NMI (or INIT) wakes us */
	jmp	2b
SYM_INNER_LABEL(relief_park_go, SYM_L_LOCAL)
	movq	RELIEF_SLOT_RSI(%rdx), %rsi
	movq	RELIEF_SLOT_ENTRY(%rdx), %rax
	movl	$RELIEF_PARK_TAKEN, RELIEF_SLOT_STATE(%rdx)
	xorl	%ebp, %ebp
	cld
	jmp	*%rax				/* CS 0x10, DS 0x18, IF 0 */
SYM_DATA_END(relief_park_code)
/*
 * The NMI that says GO may land between the test above and the hlt; then
 * the hlt would sleep through it. So the handler tests GO itself and
 * leaves from here (NMIs stay blocked until the new kernel's first iret).
 * Only the park loop is ever sent an NMI, so %rdx is the slot.
 */
SYM_DATA_START(relief_park_nmi)
	cmpl	$RELIEF_PARK_GO, RELIEF_SLOT_CMD(%rdx)
	je	relief_park_go
	iretq
SYM_DATA_END(relief_park_nmi)
/*
 * Any other exception on the way into the new kernel, before it loads an
 * IDT of its own: one stub per vector (the same size each, so the IDT can
 * point at stub N), which pushes a zero where the CPU pushed no error code,
 * then the vector. The common part records the first fault in the park's
 * fault record, where the old kernel looks for it, and halts for good:
 * the old kernel takes the CPU back with INIT.
 */
	.macro RELIEF_PARK_STUB vec
	.balign	RELIEF_PARK_STUB_SIZE
	.if ((1 << \vec) & RELIEF_FAULT_ERRCODE_MASK) == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	relief_park_fault_common
	.endm

	.balign	RELIEF_PARK_STUB_SIZE
SYM_DATA_START(relief_park_fault)
	vec = 0
	.rept	RELIEF_PARK_IDT_VECTORS
	RELIEF_PARK_STUB vec
	vec = vec + 1
	.endr
SYM_INNER_LABEL(relief_park_fault_common, SYM_L_LOCAL)
	cli
	/* The park area: this code's copy is at its start. */
	leaq	relief_park_code(%rip), %rdi
	addq	$RELIEF_PARK_FAULT, %rdi
	xorl	%eax, %eax
	movl	$RELIEF_FAULT_CLAIMED, %ecx
	lock cmpxchgl %ecx, RELIEF_FAULT_STATE(%rdi)
	jne	2f				/* a fault while reporting one */
	popq	%rax
	movl	%eax, RELIEF_FAULT_VECTOR(%rdi)
	popq	%rax
	movq	%rax, RELIEF_FAULT_ERROR(%rdi)
	movq	(%rsp), %rax			/* the faulting RIP */
	movq	%rax, RELIEF_FAULT_RIP(%rdi)
	movq	%cr2, %rax
	movq	%rax, RELIEF_FAULT_CR2(%rdi)
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	movl	%ebx, RELIEF_FAULT_APIC(%rdi)
	movl	$RELIEF_FAULT_PHASE_ENTRY, RELIEF_FAULT_PHASE(%rdi)
	/* x86 keeps stores in order: the fields are out before WRITTEN. */
	movl	$RELIEF_FAULT_WRITTEN, RELIEF_FAULT_STATE(%rdi)
2:	hlt
	jmp	2b
SYM_DATA_END(relief_park_fault)
SYM_DATA(relief_park_code_end, .byte 0)
