// SPDX-License-Identifier: GPL-2.0
/*
 * relief on x86_64, OLD role: the UART lent to the new kernel.
 *
 * The new kernel's console is a legacy UART of this machine
 * (relief_arch_next_console()). Until a swap this kernel drives it like
 * any other, so a serial-over-LAN console or a getty on it keeps working:
 * PREPARE lends it, by unregistering the port from the 8250 driver (the
 * line stays, of unknown type, and touches no hardware; a process that
 * had it open is hung up), and a run that does not hand the machine over
 * registers it again as it was. The port this kernel's own console is on
 * is never lent: PREPARE is refused instead.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/console.h>
#include <linux/serial_8250.h>
#include <linux/serial_core.h>
#include <linux/string.h>
#include <asm/serial.h>

#include "relief.h"

#ifdef CONFIG_SERIAL_8250
/* Legacy ports as the 8250 driver registers them (asm/serial.h). */
static unsigned int relief_uart_irq(u16 iobase)
{
	return iobase == 0x3f8 || iobase == 0x3e8 ? 4 : 3;
}

static int relief_uart_lent = -1;	/* the line given up, or -1 */
static u16 relief_uart_port;

/* ttyS<N>, the line of the next kernel's UART: N, or -1. */
static int relief_uart_line(const char *name)
{
	unsigned int line;

	if (sscanf(name, "ttyS%u", &line) != 1)
		return -1;
	return line;
}

/* This kernel's console is on 8250 line @line. */
static bool relief_uart_is_console(int line)
{
	struct console *con;
	bool mine = false;

	console_list_lock();
	for_each_console(con)
		if (!strcmp(con->name, "ttyS") && con->index == line)
			mine = true;
	console_list_unlock();
	return mine;
}

/**
 * relief_arch_lend_console() - give the next kernel's UART up
 *
 * Return: 0, or -EADDRINUSE when it is this kernel's console.
 */
int relief_arch_lend_console(void)
{
	const char *name;
	u16 port;
	int line;

	name = relief_arch_next_console(&port);
	line = relief_uart_line(name);
	/* A relieving kernel never drove it (relief_serial_fixup()). */
	if (line < 0 || relief_is_new)
		return 0;
	if (relief_uart_is_console(line)) {
		pr_err("%s is this kernel's console: it cannot be the new kernel's\n",
		       name);
		return -EADDRINUSE;
	}
	serial8250_unregister_port(line);
	relief_uart_lent = line;
	relief_uart_port = port;
	pr_info("%s (I/O %#x) lent to the new kernel\n", name, port);
	return 0;
}

/**
 * relief_arch_return_console() - drive the lent UART again
 *
 * For a run that ended without handing the machine over: the port is
 * registered again as the 8250 driver registers a legacy one.
 */
void relief_arch_return_console(void)
{
	struct uart_8250_port up = {
		.port = {
			.iobase = relief_uart_port,
			.irq = relief_uart_irq(relief_uart_port),
			.uartclk = BASE_BAUD * 16,
			.iotype = UPIO_PORT,
			.flags = UPF_BOOT_AUTOCONF | UPF_SKIP_TEST,
		},
	};
	int line;

	if (relief_uart_lent < 0)
		return;
	relief_uart_lent = -1;
	line = serial8250_register_8250_port(&up);
	if (line < 0)
		pr_err("cannot take the UART at I/O %#x back: %d\n",
		       relief_uart_port, line);
	else
		pr_info("ttyS%d (I/O %#x) is this kernel's again\n", line,
			relief_uart_port);
}
#else
int relief_arch_lend_console(void)
{
	return 0;
}

void relief_arch_return_console(void)
{
}
#endif
