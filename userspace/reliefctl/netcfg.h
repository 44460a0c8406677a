/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netcfg.h - the network setup of the interfaces on handed-over devices.
 * The old kernel's agent records it at DUMP (rtnetlink); the new kernel's
 * agent, whose kernel has just bound the same NICs, finds each interface
 * by its MAC, names it as it was, gives it its IPv4 addresses and MTU,
 * brings it up and adds its routes, before criu restores TCP connections
 * that must reach their peers. What is already there is left as it is.
 */
#ifndef RELIEFCTL_NETCFG_H
#define RELIEFCTL_NETCFG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "devices.h"
#include "manifest.h"

#define NETCFG_POLL_MS	100	/* between looks for an interface */

/*
 * netcfg_record() - add to m every interface on a device of dl (not the
 * loopback; one on none is named on out), its IPv4 addresses and its main
 * table's IPv4 unicast routes but those the kernel made for an address.
 * 0, or -errno with why.
 */
int netcfg_record(const struct devlist *dl, struct manifest *m, FILE *out,
		  char *why, size_t whylen);

/*
 * netcfg_apply() - set up m's interfaces here, waiting at most wait_ms
 * for each to appear; then the routes. 0, or -errno with why.
 */
int netcfg_apply(const struct manifest *m, unsigned int wait_ms, FILE *out,
		 char *why, size_t whylen);

#endif /* RELIEFCTL_NETCFG_H */
