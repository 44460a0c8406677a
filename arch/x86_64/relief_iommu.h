/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief, x86_64: the IOMMU between the kernels (relief_iommu.c).
 */
#ifndef _ARCH_X86_RELIEF_IOMMU_H
#define _ARCH_X86_RELIEF_IOMMU_H

void relief_iommu_take(void);

#endif /* _ARCH_X86_RELIEF_IOMMU_H */
