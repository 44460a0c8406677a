/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief, x86_64: the legacy UARTs between the kernels (relief_uart.c).
 */
#ifndef _ARCH_X86_RELIEF_UART_H
#define _ARCH_X86_RELIEF_UART_H

#include <linux/types.h>

int relief_uart_console_line(void);
void relief_uart_new_setup(u32 lent);
void relief_uart_take_console(void);

#endif /* _ARCH_X86_RELIEF_UART_H */
