/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpupower_abi.h - the part of libcpupower's ABI that reliefctl uses.
 *
 * Debian 12's libcpupower-dev (Linux 6.1 tools) ships libcpupower.so but not
 * its cpupower.h, so these declarations are ours, written against the 6.1
 * library as built (checked by disassembling get_cpu_topology() and by
 * tests/reliefctl/topology-sysfs.sh, which compares what we read through
 * them with /sys/devices/system/cpu/cpu*\/topology on the running machine):
 *
 *  - get_cpu_topology() takes ONE argument (newer trees add a base CPU),
 *    fills one cpuid_core_info per configured CPU (16 bytes each), sorts
 *    them by (pkg, core, cpu) - NOT by cpu - and returns their number, or a
 *    negative errno. A CPU whose topology files cannot be read (an offline
 *    CPU has none) gets pkg = core = -1. It sets cores and pkgs, never
 *    threads.
 *  - cpu_topology_release() takes the struct BY VALUE and frees core_info.
 *  - cpupower_is_cpu_online() returns 1, 0, or a negative errno; is_online
 *    is that value cut to one bit, so an error can read as "online".
 */
#ifndef RELIEFCTL_CPUPOWER_ABI_H
#define RELIEFCTL_CPUPOWER_ABI_H

struct cpuid_core_info {
	int pkg;
	int core;
	int cpu;
	unsigned int is_online:1;
};

struct cpupower_topology {
	unsigned int cores;
	unsigned int pkgs;
	unsigned int threads;
	struct cpuid_core_info *core_info;
};

int get_cpu_topology(struct cpupower_topology *cpu_top);
void cpu_topology_release(struct cpupower_topology cpu_top);
int cpupower_is_cpu_online(unsigned int cpu);

#endif /* RELIEFCTL_CPUPOWER_ABI_H */
