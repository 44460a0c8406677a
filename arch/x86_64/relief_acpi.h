/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief, x86_64, NEW role: ACPI after the swap (relief_acpi.c).
 */
#ifndef _ARCH_X86_RELIEF_ACPI_H
#define _ARCH_X86_RELIEF_ACPI_H

void relief_acpi_new_defer(void);
void relief_acpi_take(void);

#endif /* _ARCH_X86_RELIEF_ACPI_H */
