// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: UARTs and consoles
 *
 * Two kernels never drive one UART. The new kernel's (NEW) console while
 * it runs beside the old one (OLD) is a legacy UART of this machine that
 * is not OLD's console (relief_arch_next_console()). Until a swap OLD
 * drives it like any other, so a serial-over-LAN console or a getty on it
 * keeps working: PREPARE lends it, by unregistering the port from the
 * 8250 driver (the line stays, of unknown type, and touches no hardware;
 * a process that had it open is hung up), and a run that does not hand
 * the machine over registers it again as it was. The port OLD's own
 * console is on is never lent: PREPARE is refused instead.
 *
 * NEW registers only the port it was lent while OLD runs, polled: it has
 * no interrupt controller that is its own yet. Once OLD stood relieved,
 * NEW takes OLD's console (named on its command line, relief.old_console=)
 * as OLD left it: the port is registered with its interrupt through the
 * IOAPIC NEW just took, at the speed and framing the line runs at, and
 * the kernel console moves there, so that messages and new opens of
 * /dev/console go where they went before the swap. The port NEW booted
 * on gets its interrupt too, without a hangup: it is shut down and
 * started again under its holders. From then on NEW is an OLD like any
 * other: the port it booted on is the one it lends next.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/console.h>
#include <linux/init.h>
#include <linux/serial_8250.h>
#include <linux/serial_core.h>
#include <linux/serial_reg.h>
#include <linux/string.h>
#include <linux/tty.h>
#include <linux/tty_port.h>
#include <asm/io.h>
#include <asm/serial.h>

#include "relief.h"
#include "relief_ioapic.h"
#include "relief_uart.h"
#include "uapi/linux/relief.h"

/*
 * The port of the UART this kernel drives as its console once it relieved
 * another, or while relieving, the one it was lent; 0 otherwise (a kernel
 * booted normally, whose console relief_uart_console_line() finds; NEW
 * with the mailbox ring only).
 */
static u16 relief_console_port;

/* The legacy ports, as asm/serial.h has them: ttyS0..3. */
static const struct {
	const char *name;
	u16 iobase;
	u8 isa_irq;
} relief_uart_legacy[] = {
	{ "ttyS0", 0x3f8, 4 }, { "ttyS1", 0x2f8, 3 },
	{ "ttyS2", 0x3e8, 4 }, { "ttyS3", 0x2e8, 3 },
};

/* PREPARE's choice of the next kernel's UART: a line, or one of these. */
#define RELIEF_UART_AUTO	(-1)
#define RELIEF_UART_RING	(-2)
static int relief_uart_next = RELIEF_UART_AUTO;

/*
 * The line of the next kernel's UART, or RELIEF_UART_RING. By default the
 * second UART, or for a relieving kernel whose console is still the
 * second, the first: two kernels never share one.
 */
static int relief_uart_next_line(void)
{
	if (relief_uart_next != RELIEF_UART_AUTO)
		return relief_uart_next;
	return relief_is_new && relief_console_port == RELIEF_NEW_CONSOLE_PORT ?
	       0 : 1;
}

/**
 * relief_arch_next_console() - the console the next kernel gets
 * @port: where its UART's I/O port goes, 0 for none (NULL: not wanted)
 *
 * The operator's choice (relief_arch_choose_console()), by default the
 * legacy UART that is not this kernel's console.
 *
 * Return: its name: "ttyS<n>", or RELIEF_RING_CONSOLE for the ring only.
 */
const char *relief_arch_next_console(u16 *port)
{
	int line = relief_uart_next_line();

	if (line == RELIEF_UART_RING) {
		if (port)
			*port = 0;
		return RELIEF_RING_CONSOLE;
	}
	if (port)
		*port = relief_uart_legacy[line].iobase;
	return relief_uart_legacy[line].name;
}

/**
 * relief_arch_choose_console() - the operator's choice of the next console
 * @console: RELIEF_CONSOLE_AUTO, RELIEF_CONSOLE_RING or RELIEF_CONSOLE_UART
 *           plus the line of a legacy UART
 *
 * * Return: 0; -ENODEV for no legacy UART; -EADDRINUSE for the UART this
 * kernel's console is on, or (NEW) the one it was lent.
 */
int relief_arch_choose_console(u32 console)
{
	u32 line = console - RELIEF_CONSOLE_UART;

	if (console == RELIEF_CONSOLE_AUTO || console == RELIEF_CONSOLE_RING) {
		relief_uart_next = console == RELIEF_CONSOLE_RING ?
				   RELIEF_UART_RING : RELIEF_UART_AUTO;
		return 0;
	}
	if (console < RELIEF_CONSOLE_UART ||
	    line >= ARRAY_SIZE(relief_uart_legacy)) {
		pr_err("console %#x: no legacy UART of this machine\n", console);
		return -ENODEV;
	}
	if (line == relief_uart_console_line() ||
	    relief_uart_legacy[line].iobase == relief_console_port) {
		pr_err("%s is this kernel's console: it cannot be the new kernel's\n",
		       relief_uart_legacy[line].name);
		return -EADDRINUSE;
	}
	relief_uart_next = line;
	return 0;
}

#ifdef CONFIG_SERIAL_8250

static int relief_uart_lent = -1;	/* the line given up, or -1 */
static int relief_uart_old_line = -1;	/* NEW: OLD's console, ttyS<N> */
static bool relief_uart_all_mine;	/* NEW: OLD stood relieved */
static bool relief_uart_took_console;	/* NEW: it is this kernel's now */

/* ttyS<N>: N, or -1. */
static int relief_uart_line(const char *name)
{
	unsigned int line;

	if (sscanf(name, "ttyS%u", &line) != 1)
		return -1;
	return line;
}

/*
 * The interrupt of legacy UART @line: its ISA IRQ where that is the Linux
 * IRQ, else (NEW) what the IOAPIC it took maps it to; 0 (polled) if none.
 */
static int relief_uart_irq(int line)
{
	u8 isa = relief_uart_legacy[line].isa_irq;
	int irq;

	if (!relief_is_new)
		return isa;
	irq = relief_arch_isa_irq(isa);
	return irq > 0 ? irq : 0;
}

/*
 * Register legacy UART @line as the 8250 driver does, with interrupt @irq
 * (0: polled). Return: the line it got.
 */
static int relief_uart_register(int line, int irq)
{
	struct uart_8250_port up = {
		.port = {
			.iobase = relief_uart_legacy[line].iobase,
			.irq = irq,
			.uartclk = BASE_BAUD * 16,
			.iotype = UPIO_PORT,
			.flags = UPF_BOOT_AUTOCONF | UPF_SKIP_TEST,
		},
	};

	return serial8250_register_8250_port(&up);
}

/* The 8250 console, if this kernel has one. */
static struct console *relief_uart_console(void)
{
	struct console *con, *found = NULL;

	console_list_lock();
	for_each_console(con)
		if (!strcmp(con->name, "ttyS"))
			found = con;
	console_list_unlock();
	return found;
}

/**
 * relief_uart_console_line() - the line this kernel's console is on
 *
 * Return: N for ttyS<N>, or -1 if its console is not an 8250 port.
 */
int relief_uart_console_line(void)
{
	struct console *con = relief_uart_console();

	return con && (con->flags & CON_ENABLED) ? con->index : -1;
}

/**
 * relief_arch_lend_console() - give the next kernel's UART up
 *
 * Return: 0, or -EADDRINUSE when it is this kernel's console.
 */
int relief_arch_lend_console(void)
{
	int line = relief_uart_next_line();

	/* A relieving kernel never drove it (relief_uart_fixup()). */
	if (line == RELIEF_UART_RING ||
	    (relief_is_new && !relief_uart_took_console))
		return 0;
	serial8250_unregister_port(line);
	relief_uart_lent = line;
	pr_info("%s (I/O %#x) lent to the new kernel\n",
		relief_uart_legacy[line].name, relief_uart_legacy[line].iobase);
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
	u16 iobase;
	int line;

	if (relief_uart_lent < 0)
		return;
	iobase = relief_uart_legacy[relief_uart_lent].iobase;
	line = relief_uart_register(relief_uart_lent,
				    relief_uart_irq(relief_uart_lent));
	relief_uart_lent = -1;
	if (line < 0)
		pr_err("cannot take the UART at I/O %#x back: %d\n", iobase,
		       line);
	else
		pr_info("ttyS%d (I/O %#x) is this kernel's again\n", line,
			iobase);
}

/*
 * NEW: legacy UARTs while OLD runs. Only the one OLD lent is its own, and
 * polled (no interrupt line without an IOAPIC or PIC of its own); the
 * others vanish (iobase 0: never probed, never written). Called for the
 * legacy table and for every port registered later (ACPI/PNP ones too,
 * which 8250.nr_uarts= does not keep away), until OLD stood relieved.
 */
static void relief_uart_fixup(int port, struct uart_port *up, u32 *cap)
{
	if (relief_uart_all_mine)
		return;
	if (up->iotype != UPIO_PORT || !up->iobase)
		return;
	if (up->iobase == relief_console_port) {
		up->irq = 0;
		return;
	}
	up->iobase = 0;
}

/**
 * relief_uart_new_setup() - NEW's UARTs, from its early parameter
 * @lent: the I/O port of the UART OLD lent; 0: none (the ring only)
 */
void __init relief_uart_new_setup(u32 lent)
{
	relief_console_port = lent <= 0xffff ? lent : 0;
	serial8250_set_isa_configurator(relief_uart_fixup);
}

static int __init relief_uart_old_param(char *arg)
{
	relief_uart_old_line = relief_uart_line(arg ? arg : "");
	return 0;
}
early_param("relief.old_console", relief_uart_old_param);

/* Line settings as OLD left them: "115200n8" from the divisor latch. */
static void relief_uart_line_options(u16 iobase, char *buf, size_t size)
{
	u8 lcr = inb(iobase + UART_LCR);
	unsigned int div;
	char parity;

	outb(lcr | UART_LCR_DLAB, iobase + UART_LCR);
	div = inb(iobase + UART_DLL) | inb(iobase + UART_DLM) << 8;
	outb(lcr, iobase + UART_LCR);
	parity = !(lcr & UART_LCR_PARITY) ? 'n' :
		 lcr & UART_LCR_EPAR ? 'e' : 'o';
	snprintf(buf, size, "%u%c%u", BASE_BAUD / (div ? div : 1), parity,
		 5 + (lcr & UART_LCR_WLEN8));
}

/* Move the 8250 console to @line, with @options; it was on another one. */
static int relief_uart_move_console(int line, char *options)
{
	struct console *con = relief_uart_console();
	int err;

	if (!con)
		return -ENODEV;
	err = unregister_console(con);
	if (err)
		return err;
	con->index = line;
	/* It goes on from here: B's boot is in its log, not replayed. */
	con->flags &= ~(CON_ENABLED | CON_CONSDEV | CON_PRINTBUFFER);
	err = add_preferred_console("ttyS", line, options);
	if (err)
		return err;
	register_console(con);
	return console_is_registered(con) ? 0 : -EIO;
}

/* OLD's console becomes this kernel's; without relief.old_console= none. */
static void relief_uart_take_old_console(void)
{
	char options[16];
	int line, irq, err;
	u16 iobase;

	if (relief_uart_old_line < 0)
		return;
	if (relief_uart_old_line >= ARRAY_SIZE(relief_uart_legacy)) {
		pr_err("NEW: OLD's console ttyS%d is no legacy UART: kept ttyS on %#x\n",
		       relief_uart_old_line, relief_console_port);
		return;
	}
	iobase = relief_uart_legacy[relief_uart_old_line].iobase;
	relief_uart_line_options(iobase, options, sizeof(options));
	irq = relief_uart_irq(relief_uart_old_line);
	line = relief_uart_register(relief_uart_old_line, irq);
	if (line < 0) {
		pr_err("NEW: OLD's console UART at %#x not taken: %d\n", iobase,
		       line);
		return;
	}
	err = relief_uart_move_console(line, options);
	if (err) {
		pr_err("NEW: console not moved to ttyS%d: %d\n", line, err);
		return;
	}
	relief_console_port = iobase;
	relief_uart_took_console = true;
	pr_info("NEW: console on ttyS%d (I/O %#x, %s, irq %d), as OLD had it\n",
		line, iobase, options, irq);
}

/* The legacy line at I/O port @iobase, or -1. */
static int relief_uart_legacy_line(u16 iobase)
{
	int line;

	for (line = 0; line < ARRAY_SIZE(relief_uart_legacy); line++)
		if (iobase && relief_uart_legacy[line].iobase == iobase)
			return line;
	return -1;
}

/*
 * The serial core's state of 8250 line @line (its tty port, its UART),
 * through the driver behind the 8250 console; NULL without one.
 */
static struct uart_state *relief_uart_state(int line)
{
	struct console *con = relief_uart_console();
	struct uart_driver *drv = con ? con->data : NULL;

	return drv && line < drv->nr ? &drv->state[line] : NULL;
}

/*
 * Start @port again with interrupt @irq, under its tty port's mutex, as
 * the serial core does for a change of IRQ (TIOCSSERIAL) but without the
 * hangup, and with the line settings it had.
 */
static int relief_uart_restart(struct uart_port *port, int irq)
{
	struct tty_port *tport = &port->state->port;
	struct tty_struct *tty;
	int err;

	port->ops->shutdown(port);
	port->irq = irq;
	err = port->ops->startup(port);
	if (err)
		return err;
	tty = tty_port_tty_get(tport);
	if (tty) {
		down_read(&tty->termios_rwsem);
		port->ops->set_termios(port, &tty->termios, NULL);
		up_read(&tty->termios_rwsem);
		tty_kref_put(tty);
	}
	/* What was written while it was down goes out now. */
	uart_port_lock_irq(port);
	if (!uart_tx_stopped(port))
		port->ops->start_tx(port);
	uart_port_unlock_irq(port);
	return 0;
}

/*
 * The UART this kernel booted on was polled (relief_uart_fixup()); it
 * gets its interrupt now. Whoever holds it open (init's stdio, a getty,
 * the agent's log) keeps it: no hangup, as unregistering it would be.
 */
static void relief_uart_give_irq(int line)
{
	struct uart_state *state = relief_uart_state(line);
	int irq = relief_uart_irq(line), err = 0;
	struct uart_port *port;
	struct tty_port *tport;

	if (!irq || !state)
		return;
	tport = &state->port;
	mutex_lock(&tport->mutex);
	port = state->uart_port;
	if (!port) {
		mutex_unlock(&tport->mutex);
		return;
	}
	if (tty_port_initialized(tport)) {
		err = relief_uart_restart(port, irq);
		if (err)	/* polled again, as it was */
			err = relief_uart_restart(port, 0) ?: err;
	} else {
		port->irq = irq;
	}
	mutex_unlock(&tport->mutex);
	if (err)
		pr_err("NEW: ttyS%d stays polled: %d\n", line, err);
	else
		pr_info("NEW: ttyS%d is on irq %d\n", line, irq);
}

/**
 * relief_uart_take_console() - the UARTs are this kernel's
 *
 * Once OLD stood relieved and its IOAPICs are this kernel's: OLD's
 * console (named by relief.old_console=) becomes this kernel's, and the
 * UART it booted on is interrupt-driven from now on.
 */
void relief_uart_take_console(void)
{
	int booted = relief_uart_legacy_line(relief_console_port);

	relief_uart_all_mine = true;
	relief_uart_take_old_console();
	if (booted >= 0)
		relief_uart_give_irq(booted);
}
#else
int relief_uart_console_line(void)
{
	return -1;
}

int relief_arch_lend_console(void)
{
	return 0;
}

void relief_arch_return_console(void)
{
}

void __init relief_uart_new_setup(u32 lent)
{
}

void relief_uart_take_console(void)
{
}
#endif
