// SPDX-License-Identifier: GPL-2.0
/*
 * reliefctl swap - start kernel B beside kernel A and follow the run.
 *
 * Everything that can be refused is checked here first, in the order an
 * operator fixes things (who runs it, the kernel, the files given, the
 * CPUs, the region, the processes to move, criu), and refused with one
 * line and exit 3 before any ioctl; the kernel checks again and its
 * refusals get the same treatment. --dry-run stops there and says what a
 * swap would do. Once PREPARE is accepted the kernel runs the swap;
 * reliefctl watches /sys/kernel/relief, reports, and between two looks
 * serves the kernel as its agent (agent.h: the processes' dump, or their
 * thaw on a rollback), ending with the summary (swap_summary.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "relief_abi.h"
#include "criu_run.h"
#include "fillroom.h"
#include "follow.h"
#include "image_check.h"
#include "kstate.h"
#include "moveset.h"
#include "plan.h"
#include "relief_dev.h"
#include "reliefctl.h"
#include "size.h"
#include "swap_move.h"
#include "swap_summary.h"
#include "sysio.h"
#include "topology.h"

#define SWAP_TIMEOUT_DEFAULT_S	60
#define SWAP_TIMEOUT_MAX_S	3600
#define SWAP_STUCK_SLACK_S	10	/* beyond the kernel's own deadline */
#define SWAP_PARK_BYTES		((uint64_t)RELIEF_AREA_SIZE)	/* the park area */
#define SWAP_SLACK_BYTES	(UINT64_C(32) << 20)	/* B's room to unpack */
#define SWAP_APPEND_MAX		4095	/* the kernel takes a page, NUL included */
#define SWAP_MIB		(UINT64_C(1) << 20)
#define SWAP_TRANSFER_MIN	(UINT64_C(4) << 20)	/* the kernel's least */
/*
 * criu's lock on TCP connections: nftables needs nothing but nf_tables in
 * the kernel (criu 3.17 links libnftables anyway), iptables the command.
 */
#define SWAP_NETWORK_LOCK	"nftables"

struct swap_opts {
	const char *image;
	const char *initrd;
	const char *append;
	struct relief_plan_req req;
	int mem_given;
	unsigned int timeout_s;
	int rehearsal;		/* --stop-after ready */
	int bad_version;	/* --inject bad-version */
	int no_marker;		/* --inject no-marker */
	const char *fault;	/* --inject FAULT@STEP: kernel B's relief.inject= */
	char cmdline[SWAP_APPEND_MAX + 80];	/* --append, fault, agent */
	int quiet;
	int dry_run;
	uint64_t transfer;	/* --transfer, bytes; 0: the kernel's default */
	uint32_t console;	/* --console, RELIEF_DEV_CONSOLE_* */
	const char *network_lock;	/* --network-lock */
	int copy_pages;		/* --copy-pages */
	struct moveset moves;	/* --move */
};

static void swap_usage(FILE *f)
{
	fprintf(f,
		"usage: reliefctl swap IMAGE [--initrd FILE] [--append ARGS] "
		"[--cpus LIST]\n"
		"                      [--mem SIZE] [--timeout S] "
		"[--stop-after ready|relieved]\n"
		"                      [--inject bad-version] [--quiet]\n"
		"                      [--move PID[,PID...]] [--transfer SIZE] "
		"[--dry-run]\n"
		"                      [--network-lock iptables|nftables] "
		"[--criu PATH] [--copy-pages]\n"
		"                      [--console ttyS<n>|ring]\n\n"
		"  IMAGE          kernel B: a relief kernel's bzImage, checked whole "
		"first\n"
		"  --initrd FILE  kernel B's initramfs (default: relief's "
		"bootstrap,\n"
		"                 /boot/relief-bootstrap.img, where there is one)\n"
		"  --append ARGS  added to kernel B's command line\n"
		"  --cpus LIST    the CPUs to lend (default: what `reliefctl "
		"plan` picks)\n"
		"  --mem SIZE     memory kernel B needs at least (checked "
		"against the region)\n"
		"  --timeout S    each protocol deadline, seconds (default "
		"%d)\n"
		"  --stop-after ready     a rehearsal: stop once kernel B "
		"qualified\n"
		"  --stop-after relieved  the whole swap (default)\n"
		"  --inject bad-version   test: kernel B sees a protocol it "
		"cannot accept\n"
		"  --inject FAULT@restore test (kernels built with "
		"CONFIG_RELIEF_DEBUG_INJECT):\n"
		"                         kernel B fails, panics or falls "
		"silent at the restore,\n"
		"                         FAULT one of fail, panic, silent; "
		"the swap rolls back\n"
		"  --inject fail@bind     test: kernel B's first device does "
		"not come up\n"
		"  --inject no-marker     test (CONFIG_RELIEF_DEBUG_INJECT): "
		"start IMAGE even if\n"
		"                         it is no relief kernel\n"
		"  --inject fault@entry   test: kernel B faults at its first "
		"instruction\n"
		"  --inject fault@early   test: kernel B faults in early boot, "
		"before its IDT\n"
		"  --inject panic@early   test: kernel B panics in early boot, "
		"before its mailbox\n"
		"  --quiet        do not stream kernel B's console\n"
		"  --console ttyS<n>  kernel B's UART until it takes this "
		"kernel's console\n"
		"                 (default: the one that is not this kernel's)\n"
		"  --console ring     none: kernel B writes to the mailbox "
		"ring only\n"
		"  --move PIDS    the process trees to move to kernel B (their "
		"roots)\n"
		"  --transfer SIZE  the transfer area for their images "
		"(default: the kernel's)\n"
		"  --dry-run      check everything, print the plan, change "
		"nothing\n"
		"  --network-lock M  how criu holds TCP connections while they "
		"move\n"
		"                 (default " SWAP_NETWORK_LOCK ")\n"
		"  --criu PATH    the criu binary (default %s)\n"
		"  --copy-pages   copy the moved processes' pages into the "
		"transfer area\n"
		"                 instead of leaving them where they are for "
		"kernel B\n",
		SWAP_TIMEOUT_DEFAULT_S, CRIU_DEFAULT);
}

/* "--opt VALUE" or "--opt=VALUE"; NULL when argv[*i] is not --opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt,
			     int *missing)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int parse_timeout(const char *v, unsigned int *s)
{
	unsigned long n;
	char *end;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || !n || n > SWAP_TIMEOUT_MAX_S)
		return -1;
	*s = (unsigned int)n;
	return 0;
}

/* --console: "ring", or "ttyS<n>" for a legacy UART n. */
static int parse_console(const char *v, uint32_t *console)
{
	unsigned long n;
	char *end;

	if (!strcmp(v, "ring")) {
		*console = RELIEF_DEV_CONSOLE_RING;
		return 0;
	}
	if (strncmp(v, "ttyS", 4) || v[4] < '0' || v[4] > '9')
		return -1;
	errno = 0;
	n = strtoul(v + 4, &end, 10);
	if (errno || *end || n > RELIEF_DEV_CONSOLE_UART_MAX)
		return -1;
	*console = RELIEF_DEV_CONSOLE_UART + (uint32_t)n;
	return 0;
}

static int parse_args(int argc, char **argv, struct swap_opts *o, FILE *err)
{
	char why[128];

	memset(o, 0, sizeof(*o));
	o->timeout_s = SWAP_TIMEOUT_DEFAULT_S;
	o->network_lock = SWAP_NETWORK_LOCK;
	for (int i = 1; i < argc; i++) {
		int missing = 0;
		const char *v;

		if (!strcmp(argv[i], "--quiet")) {
			o->quiet = 1;
		} else if (!strcmp(argv[i], "--dry-run")) {
			o->dry_run = 1;
		} else if (!strcmp(argv[i], "--copy-pages")) {
			o->copy_pages = 1;
		} else if ((v = opt_value(argc, argv, &i, "--move",
					  &missing))) {
			if (moveset_parse(&o->moves, v, why, sizeof(why))) {
				fprintf(err, "reliefctl swap: --move: %s\n",
					why);
				return RELIEFCTL_EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--transfer",
					  &missing))) {
			if (relief_size_parse(v, &o->transfer) ||
			    o->transfer % SWAP_MIB ||
			    o->transfer / SWAP_MIB > UINT32_MAX) {
				fprintf(err, "reliefctl swap: --transfer '%s': "
					"need whole megabytes such as 64M, "
					"1G\n", v);
				return RELIEFCTL_EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--console",
					  &missing))) {
			if (parse_console(v, &o->console)) {
				fprintf(err, "reliefctl swap: --console '%s': "
					"ttyS0 to ttyS%u, or ring\n", v,
					RELIEF_DEV_CONSOLE_UART_MAX);
				return RELIEFCTL_EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--network-lock",
					  &missing))) {
			if (strcmp(v, "iptables") && strcmp(v, "nftables")) {
				fprintf(err, "reliefctl swap: --network-lock "
					"'%s': iptables or nftables\n", v);
				return RELIEFCTL_EXIT_USAGE;
			}
			o->network_lock = v;
		} else if ((v = opt_value(argc, argv, &i, "--criu",
					  &missing))) {
			setenv("RELIEF_CRIU", v, 1);	/* criu_path() */
		} else if ((v = opt_value(argc, argv, &i, "--initrd",
					  &missing))) {
			o->initrd = v;
		} else if ((v = opt_value(argc, argv, &i, "--append",
					  &missing))) {
			if (strlen(v) > SWAP_APPEND_MAX) {
				fprintf(err, "reliefctl swap: --append: %zu "
					"bytes, at most %d\n", strlen(v),
					SWAP_APPEND_MAX);
				return RELIEFCTL_EXIT_USAGE;
			}
			o->append = v;
		} else if ((v = opt_value(argc, argv, &i, "--cpus",
					  &missing))) {
			if (relief_cpulist_parse(v, &o->req.cpus, why,
						 sizeof(why))) {
				fprintf(err, "reliefctl swap: --cpus '%s': "
					"%s\n", v, why);
				return RELIEFCTL_EXIT_USAGE;
			}
			o->req.have_cpus = true;
		} else if ((v = opt_value(argc, argv, &i, "--mem",
					  &missing))) {
			if (relief_size_parse(v, &o->req.mem_bytes)) {
				fprintf(err, "reliefctl swap: --mem '%s': need "
					"a size such as 256M, 1G, 4096K\n", v);
				return RELIEFCTL_EXIT_USAGE;
			}
			o->mem_given = 1;
		} else if ((v = opt_value(argc, argv, &i, "--timeout",
					  &missing))) {
			if (parse_timeout(v, &o->timeout_s)) {
				fprintf(err, "reliefctl swap: --timeout '%s': "
					"need seconds from 1 to %d\n", v,
					SWAP_TIMEOUT_MAX_S);
				return RELIEFCTL_EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--stop-after",
					  &missing))) {
			if (!strcmp(v, "ready")) {
				o->rehearsal = 1;
			} else if (!strcmp(v, "relieved")) {
				o->rehearsal = 0;
			} else {
				fprintf(err, "reliefctl swap: --stop-after "
					"'%s': ready or relieved\n", v);
				return RELIEFCTL_EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--inject",
					  &missing))) {
			if (!strcmp(v, "fail@restore") ||
			    !strcmp(v, "fail@bind") ||
			    !strcmp(v, "fault@entry") ||
			    !strcmp(v, "fault@early") ||
			    !strcmp(v, "panic@early") ||
			    !strcmp(v, "panic@restore") ||
			    !strcmp(v, "silent@restore")) {
				o->fault = v;
			} else if (!strcmp(v, "no-marker")) {
				o->no_marker = 1;
			} else if (strcmp(v, "bad-version")) {
				fprintf(err, "reliefctl swap: --inject '%s': "
					"bad-version, no-marker, fault@entry, "
					"fault@early, panic@early,"
					" fail@bind, or fail, panic or silent "
					"@restore\n", v);
				return RELIEFCTL_EXIT_USAGE;
			} else {
				o->bad_version = 1;
			}
		} else if (missing) {
			fprintf(err, "reliefctl swap: %s needs a value\n",
				argv[i]);
			return RELIEFCTL_EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(err, "reliefctl swap: unknown option '%s'\n",
				argv[i]);
			swap_usage(err);
			return RELIEFCTL_EXIT_USAGE;
		} else if (o->image) {
			fprintf(err, "reliefctl swap: one IMAGE only ('%s' "
				"and '%s')\n", o->image, argv[i]);
			return RELIEFCTL_EXIT_USAGE;
		} else {
			o->image = argv[i];
		}
	}
	if (!o->image) {
		fprintf(err, "reliefctl swap: which kernel? give IMAGE\n");
		swap_usage(err);
		return RELIEFCTL_EXIT_USAGE;
	}
	return RELIEFCTL_EXIT_OK;
}

/* Does this kernel do relief at all: its sysfs directory and device. */
static int check_relief(FILE *err)
{
	char path[1024];
	const char *what = path;
	struct stat sb;

	snprintf(path, sizeof(path), "%s/version", reliefctl_sysfs_dir());
	if (!stat(path, &sb)) {
		what = reliefctl_dev_path();
		if (!stat(what, &sb))
			return 0;
	}
	fprintf(err, "reliefctl swap: this kernel has no relief support (%s: "
		"%s); boot a kernel built with CONFIG_RELIEF=y\n", what,
		strerror(errno));
	return -1;
}

/*
 * kernel.kexec_load_disabled: an operator who forbade this kernel to load
 * another one forbade relief too (the kernel refuses PREPARE as well).
 * A kernel without kexec has no such file: nothing is forbidden then.
 */
static int check_kexec_allowed(FILE *err)
{
	FILE *f = fopen(reliefctl_kexec_disabled_path(), "r");
	int disabled = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &disabled) != 1)
		disabled = 0;
	fclose(f);
	if (!disabled)
		return 0;
	fprintf(err, "reliefctl swap: kernel.kexec_load_disabled is set: this "
		"kernel loads no other kernel, relief's included, until it "
		"reboots\n");
	return -1;
}

/*
 * The IOMMUs this kernel drives (/sys/class/iommu), space-separated in
 * @names: Intel's (dmarN) if @intel is set, the others if not.
 * Return: how many.
 */
static int iommu_names(bool intel, char *names, size_t size)
{
	DIR *d = opendir(reliefctl_iommu_dir());
	struct dirent *e;
	size_t at = 0;
	int n = 0;

	names[0] = '\0';
	if (!d)
		return 0;	/* no IOMMU support: none is on */
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    !strncmp(e->d_name, "dmar", 4) != intel)
			continue;
		n++;
		if (at < size)
			at += (size_t)snprintf(names + at, size - at, "%s%s",
					       at ? " " : "", e->d_name);
	}
	closedir(d);
	return n;
}

/*
 * An Intel IOMMU kernel A lends to kernel B for the handover (remapping
 * off once the devices are quiesced), and B starts it once A stood
 * relieved (handover.rst, "The IOMMU"). Any other one (AMD's ivhdN)
 * would go on translating B's DMA through tables in A's memory, which B
 * reuses after the swap: refused.
 */
static int check_iommu(FILE *err)
{
	char names[128];

	if (!iommu_names(false, names, sizeof(names)))
		return 0;
	fprintf(err, "reliefctl swap: an IOMMU kernel B cannot take over is "
		"on in this kernel (%s): only Intel's (dmar) is handed over; "
		"boot this kernel with it off (amd_iommu=off) to swap it\n",
		names);
	return -1;
}

/* Nothing in progress, and nothing still lent from a run that ended. */
static int check_idle(FILE *err)
{
	struct relief_cpuset lent;
	struct kstate_state st;
	char list[256];
	int ret = kstate_read_state(&st);

	if (ret) {
		fprintf(err, "reliefctl swap: cannot read %s/state: %s\n",
			reliefctl_sysfs_dir(), strerror(-ret));
		return -1;
	}
	if (kstate_classify(st.name) == KSTATE_RUNNING) {
		fprintf(err, "reliefctl swap: a swap is already in progress "
			"(state %s); see reliefctl status\n", st.name);
		return -1;
	}
	if (!kstate_read_cpus(reliefctl_sysfs_dir(), "cpus", &lent) &&
	    relief_cpuset_count(&lent)) {
		relief_cpulist_format(&lent, list, sizeof(list));
		fprintf(err, "reliefctl swap: CPUs %s are still lent from the "
			"last run (state %s); see reliefctl status\n", list,
			st.name);
		return -1;
	}
	return 0;
}

/* The CPUs: the operator's, checked, or the plan's choice. */
static int make_plan(const struct swap_opts *o,
		     const struct relief_topology *topo, struct relief_plan *p,
		     FILE *out, FILE *err)
{
	char list[1024], mem[32];
	int last;

	if (relief_plan_make(topo, &o->req, p) != RELIEF_PLAN_OK) {
		fprintf(err, "reliefctl swap: refused (%s): %s\n",
			relief_plan_rule(p->verdict), p->reason);
		return -1;
	}
	relief_cpulist_format(&p->cpus, list, sizeof(list));
	last = relief_cpuset_last(&p->cpus);
	if (last >= RELIEF_DEV_MAX_CPUS) {
		fprintf(err, "reliefctl swap: CPU %d is beyond what relief "
			"can lend (CPUs 0-%d)\n", last,
			RELIEF_DEV_MAX_CPUS - 1);
		return -1;
	}
	relief_size_format(p->mem_bytes, mem, sizeof(mem));
	fprintf(out, "plan: node %d, CPUs %s (%u), %s of memory: %s\n",
		p->node, list, p->ncpus, mem, p->reason);
	return 0;
}

/* The transfer area the kernel makes: --transfer, or its default. */
static uint64_t transfer_bytes(const struct swap_opts *o,
			       const struct kstate_region *r)
{
	/* The kernel's rule: a quarter of the region, at least 4M. */
	uint64_t t = r->size / 4 & ~(SWAP_MIB - 1);

	if (o->transfer)
		return o->transfer;
	return t > SWAP_TRANSFER_MIN ? t : SWAP_TRANSFER_MIN;
}

/* The region exists and holds B: its memory, its image and initrd. */
static int check_region(const struct swap_opts *o, const struct image_files *f,
			struct kstate_region *region, FILE *err)
{
	struct kstate_region r;
	char a[32], b[32], c[32], d[32], why[256];
	uint64_t room, need, keep;
	int ret = kstate_read_region(&r);

	if (ret) {
		fprintf(err, "reliefctl swap: cannot read %s/region: %s\n",
			reliefctl_sysfs_dir(), strerror(-ret));
		return -1;
	}
	if (!r.base && !r.size) {
		fprintf(err, "reliefctl swap: no relief region: boot with "
			"relief_region=SIZE\n");
		return -1;
	}
	*region = r;
	relief_size_format(r.size, a, sizeof(a));
	/*
	 * The kernel keeps the area out of B's RAM: B keeps more than half
	 * the region, or more than RELIEF_DEV_NEW_RAM_MIN_MB of a large one.
	 */
	keep = (uint64_t)RELIEF_DEV_NEW_RAM_MIN_MB << 20;
	if (keep > r.size / 2)
		keep = r.size / 2;
	if (o->transfer && (o->transfer >= r.size ||
			    r.size - o->transfer <= keep)) {
		relief_size_format(o->transfer, c, sizeof(c));
		relief_size_format(keep, d, sizeof(d));
		fprintf(err, "reliefctl swap: the transfer area (--transfer %s) "
			"must leave kernel B more than %s of the %s region; "
			"boot with a larger relief_region=\n", c, d, a);
		return -1;
	}
	room = r.size > SWAP_PARK_BYTES + o->transfer ?
	       r.size - SWAP_PARK_BYTES - o->transfer : 0;
	relief_size_format(room, b, sizeof(b));
	if (o->mem_given && o->req.mem_bytes > room) {
		relief_size_format(o->req.mem_bytes, c, sizeof(c));
		fprintf(err, "reliefctl swap: the relief region is too small: "
			"--mem %s, but the %s region leaves kernel B %s (1M "
			"is the CPUs' park area%s); boot with a larger "
			"relief_region=\n", c, a, b,
			o->transfer ? ", the rest --transfer" : "");
		return -1;
	}
	need = f->image_size + f->initrd_size + SWAP_SLACK_BYTES;
	if (need > room) {
		relief_size_format(need, c, sizeof(c));
		relief_size_format(f->image_size + f->initrd_size, d,
				   sizeof(d));
		fprintf(err, "reliefctl swap: the relief region is too small: "
			"the image and initrd (%s) and 32M to unpack them need "
			"%s, but the %s region leaves kernel B %s%s; boot with a "
			"larger relief_region=\n", d, c, a, b,
			o->transfer ? " beside --transfer" : "");
		return -1;
	}
	if (image_fits(f, r.base, r.size, SWAP_PARK_BYTES,
		       transfer_bytes(o, &r), why, sizeof(why))) {
		fprintf(err, "reliefctl swap: the relief region is too small: "
			"%s; boot with a larger relief_region=%s\n", why,
			o->transfer ? " (or a smaller --transfer)" : "");
		return -1;
	}
	return 0;
}

/* The kernel refused PREPARE: say why in the operator's terms. */
static void prepare_refused(int e, const struct swap_opts *o,
			    const char *cpus, FILE *err)
{
	fputs("reliefctl swap: the kernel refused: ", err);
	switch (e) {
	case EPERM:
	case EACCES:
		if ((o->fault || o->no_marker) && e == EPERM)
			fputs("fault injection needs a kernel built with "
			      "CONFIG_RELIEF_DEBUG_INJECT\n", err);
		else if (e == EPERM && geteuid() == 0)
			fputs("it loads no other kernel (kernel.kexec_load_"
			      "disabled, or kernel.kexec_load_limit_reboot used "
			      "up)\n", err);
		else
			fputs("must be root (CAP_SYS_BOOT)\n", err);
		break;
	case EBUSY:
		fputs("a swap is already in progress; see reliefctl status\n",
		      err);
		break;
	case ENOEXEC:
		fprintf(err, "%s is not a kernel this machine can boot\n",
			o->image);
		break;
	case EKEYREJECTED:
		fprintf(err, "%s does not pass this kernel's signature policy "
			"(lockdown or enforced kexec signatures); sign it\n",
			o->image);
		break;
	case EINVAL:
		fprintf(err, "CPUs %s cannot be lent (offline, this kernel's "
			"or the machine's boot CPU, or every CPU); see "
			"dmesg\n", cpus);
		break;
	case ENXIO:
		fputs("no relief region: boot with relief_region=SIZE\n", err);
		break;
	case ENOSPC:
		fputs("the relief region is too small for the image, initrd "
		      "and transfer area; boot with a larger relief_region= "
		      "(or a smaller --transfer)\n", err);
		break;
	case EADDRINUSE:
		fputs("kernel B's UART is this kernel's console; choose "
		      "another with --console, or boot this kernel with "
		      "another console= (see dmesg)\n", err);
		break;
	case ENODEV:
		fputs("kernel B's --console is no legacy UART of this "
		      "machine (see dmesg)\n", err);
		break;
	case ENOMEM:
		fputs("not enough memory: no region could be made from "
		      "movable memory below 4G, or the kernel is short of "
		      "memory (see dmesg)\n", err);
		break;
	default:
		fprintf(err, "%s\n", strerror(e));
	}
}

static void print_peer(FILE *out)
{
	char buf[2048];

	if (kstate_read(reliefctl_sysfs_dir(), "peer", buf, sizeof(buf)) >= 0)
		reliefctl_show_peer(out, buf);
}

/*
 * Where kernel B died, when the park or B's early handlers saw it (the
 * peer file's "died" line): why the run ended as PANIC.
 */
static void print_death(FILE *err)
{
	char buf[2048], *nl;

	if (kstate_read(reliefctl_sysfs_dir(), "peer", buf, sizeof(buf)) < 0 ||
	    strncmp(buf, "died", 4))
		return;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	fprintf(err, "kernel B %s\n", buf);
}

/* The CPUs lent, and whether kernel A has them back. */
static void print_lent(FILE *out, const char *cpus, enum follow_result res)
{
	struct relief_cpuset now;
	char list[1024];

	if (res == FOLLOW_TARGET) {
		fprintf(out, "lent CPUs: %s (with kernel B)\n", cpus);
		return;
	}
	if (kstate_read_cpus(reliefctl_sysfs_dir(), "cpus", &now)) {
		fprintf(out, "lent CPUs: %s\n", cpus);
		return;
	}
	relief_cpulist_format(&now, list, sizeof(list));
	if (*list)
		fprintf(out, "lent CPUs: %s (still lent: %s; see reliefctl "
			"status)\n", cpus, list);
	else
		fprintf(out, "lent CPUs: %s (back with kernel A)\n", cpus);
}

/*
 * Follow the run; unless it is a rehearsal, serve the kernel as its agent
 * meanwhile (sa is then open), which prints the summary at the END.
 */
static int follow_swap(const struct swap_opts *o, const char *cpus,
		       uint64_t t0, struct swap_agent *sa, FILE *out,
		       FILE *err)
{
	struct follow f = {
		.target = o->rehearsal ? "READY_SENT" : NULL,
		.stuck_ns = (uint64_t)(o->timeout_s + SWAP_STUCK_SLACK_S) *
			    1000000000u,
		.quiet = o->quiet,
		.out = out,
		.t0 = t0,
		.idle = sa->on ? swap_agent_idle : NULL,
		.idle_arg = sa,
	};
	enum follow_result res = follow_run(&f);
	int rc = RELIEFCTL_EXIT_FAIL;

	switch (res) {
	case FOLLOW_TARGET:
		print_peer(out);
		fprintf(out, "rehearsal: kernel B qualified and holds CPUs %s "
			"until `reliefctl abort` or its %u s deadline\n", cpus,
			o->timeout_s);
		rc = RELIEFCTL_EXIT_OK;
		break;
	case FOLLOW_ENDED:
		if (!strcmp(f.st.name, "STOOD_RELIEVED")) {
			fprintf(out, "relieved: kernel B runs the machine\n");
			rc = RELIEFCTL_EXIT_OK;
		} else {
			fprintf(err, "%s: %s\n",
				strcmp(f.st.name, "ROLLED_BACK") ?
				"swap aborted" : "rolled back",
				*f.st.reason ? f.st.reason : "no reason given");
			print_death(err);
		}
		break;
	case FOLLOW_STUCK:
		fprintf(err, "reliefctl swap: no progress: stuck in %s for "
			"%u s (the kernel's deadline is %u s); see reliefctl "
			"status, end it with reliefctl abort\n", f.st.name,
			o->timeout_s + SWAP_STUCK_SLACK_S, o->timeout_s);
		break;
	case FOLLOW_LOST:
		fprintf(err, "reliefctl swap: cannot read %s/state: %s; the "
			"swap goes on without reliefctl: see reliefctl "
			"status\n", reliefctl_sysfs_dir(), strerror(-f.err));
		break;
	}
	swap_agent_finish(sa, res == FOLLOW_ENDED);
	if (!sa->sum.printed)
		swap_print_timings(out);
	print_lent(out, cpus, res);
	return rc;
}

/* What a swap would do, for --dry-run: the plan line is already out. */
/*
 * The devices that move with the machine, as the kernel lists them
 * (/sys/kernel/relief/devices: "NAME DRIVER freeze|unbind|fixed", or
 * "movable" for freeze from kernels before unbind), and the way each
 * goes; a "fixed" one makes the kernel refuse the swap.
 */
static const char *device_way(const char *how)
{
	if (!strcmp(how, "freeze") || !strcmp(how, "movable"))
		return ": handed over to kernel B (frozen here)";
	if (!strcmp(how, "unbind"))
		return ": handed over to kernel B (unbound here: no freeze "
		       "in its driver; a rollback probes it again)";
	return ": cannot be handed over, the kernel will refuse";
}

static void print_devices(FILE *out)
{
	char path[512], line[256], name[64], drv[64], how[16];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/devices", reliefctl_sysfs_dir());
	f = fopen(path, "r");
	if (!f) {
		fputs("devices: this kernel does not list them\n", out);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %63s %15s", name, drv, how) != 3)
			continue;
		fprintf(out, "%s %s (%s)%s\n", n++ ? "        " : "devices:",
			name, drv, device_way(how));
	}
	if (!n)
		fputs("devices: none with a driver\n", out);
	fclose(f);
}

/* The IOMMUs, which go with the devices (check_iommu() refused others). */
static void print_iommus(FILE *out)
{
	char names[128];

	if (iommu_names(true, names, sizeof(names)))
		fprintf(out, "iommu: %s: lent to kernel B once the devices are "
			"quiesced (remapping off), kernel B's once kernel A "
			"stood relieved (identity domains, no interrupt "
			"remapping)\n", names);
}

/*
 * Pages left in A's RAM are copied into B's own by its lazy restore before
 * B adds the memory blocks that hold them: the moved trees' private memory
 * must fit in B's room in the region and the rest of A's RAM, which B adds
 * at once (fillroom.h; handover.rst, Pages left in place).
 */
static int check_moved_memory(const struct swap_opts *o,
			      const struct image_files *f,
			      const struct kstate_region *r, FILE *err)
{
	uint64_t t = transfer_bytes(o, r), room, need;
	char a[32], b[32], c[32], d[32], e[32], g[32];
	struct fillroom fr;

	if (!o->moves.nr || o->copy_pages || o->rehearsal)
		return 0;
	/* Unknown: count none of A's RAM, as if every block held pages. */
	if (fillroom_measure(&o->moves, r, &fr))
		fr.at_once = 0;
	room = r->size > SWAP_PARK_BYTES + t ? r->size - SWAP_PARK_BYTES - t : 0;
	need = fr.anon + f->image_size + f->initrd_size + SWAP_SLACK_BYTES;
	if (need <= room + fr.at_once)
		return 0;
	relief_size_format(fr.anon, a, sizeof(a));
	relief_size_format(fr.after, b, sizeof(b));
	relief_size_format(need, c, sizeof(c));
	relief_size_format(room + fr.at_once, d, sizeof(d));
	relief_size_format(room, e, sizeof(e));
	relief_size_format(fr.at_once, g, sizeof(g));
	fprintf(err, "reliefctl swap: kernel B cannot hold the moved memory: "
		"the trees hold %s of private memory, which kernel B copies "
		"from kernel A's RAM before it adds the %s of it that holds "
		"them; with its image, initrd and 32M that needs %s, but "
		"kernel B has %s (%s of the region, %s of kernel A's RAM at "
		"once); boot with a larger relief_region= (or --copy-pages)\n",
		a, b, c, d, e, g);
	return -1;
}

static void print_dry_run(const struct swap_opts *o,
			  const struct kstate_region *r,
			  const struct swap_summary *sum, FILE *out)
{
	char a[32], b[32], c[32], all[1024];
	struct relief_cpuset cpus = sum->online;

	relief_size_format(r->size, a, sizeof(a));
	fprintf(out, "region: %s at %#" PRIx64 "\n", a, r->base);
	relief_size_format(transfer_bytes(o, r), b, sizeof(b));
	if (o->transfer)
		fprintf(out, "transfer area: %s (--transfer)\n", b);
	else
		fprintf(out, "transfer area: %s (the kernel's default: a "
			"quarter of the region)\n", b);
	for (unsigned int i = 0; i < RELIEF_MAX_CPUS / 64; i++)
		cpus.bits[i] |= sum->lent.bits[i];
	relief_cpulist_format(&cpus, all, sizeof(all));
	relief_size_format(sum->mem_a, b, sizeof(b));
	relief_size_format(sum->mem_a + r->size, c, sizeof(c));
	fprintf(out, "after the swap: kernel B has CPUs %s and %s of memory "
		"(kernel A's %s and the %s region)\n", all, c, b, a);
	print_devices(out);
	print_iommus(out);
	fputs("dry run: nothing was changed\n", out);
}

/* Before the swap: kernel A's CPUs and memory, B's start, for the end. */
static void summary_before(struct swap_summary *sum,
			   const struct relief_topology *topo,
			   const struct relief_plan *plan,
			   const struct kstate_region *r, FILE *out)
{
	memset(sum, 0, sizeof(*sum));
	sum->out = out;
	if (kstate_read_cpus(reliefctl_cpu_dir(), "online", &sum->online))
		for (unsigned int i = 0; i < topo->ncpus; i++)
			if (topo->cpus[i].online)
				relief_cpuset_set(&sum->online,
						  (unsigned int)topo->cpus[i].id);
	sum->lent = plan->cpus;
	for (unsigned int i = 0; i < topo->nnodes; i++)
		sum->mem_a += topo->nodes[i].mem_bytes;
	sum->region = r->size;
}

/*
 * No --initrd: relief's bootstrap (relief-mkbootstrap), where the
 * reliefctl package made it. Without one kernel B boots with no agent,
 * which is what an operator testing only the kernel asks for.
 */
static void default_initrd(struct swap_opts *o, FILE *out)
{
	const char *bootstrap = reliefctl_bootstrap_path();

	if (o->initrd || access(bootstrap, R_OK))
		return;
	o->initrd = bootstrap;
	fprintf(out, "initrd: %s (relief's bootstrap; --initrd names "
		"another)\n", bootstrap);
}

static int swap(struct swap_opts *o, const struct relief_topology *topo,
		FILE *out, FILE *err)
{
	struct image_files files = { .image_fd = -1, .initrd_fd = -1 };
	struct relief_topology own = { 0 };
	struct swap_agent sa = { 0 };
	struct relief_dev_prepare p;
	struct kstate_region region;
	struct relief_plan plan;
	char cpus[1024], line[1100], why[256];
	uint64_t t0;
	int ret, rc = RELIEFCTL_EXIT_REFUSED;

	if (geteuid() != 0) {
		fprintf(err, "reliefctl swap: must be root (CAP_SYS_BOOT)\n");
		return RELIEFCTL_EXIT_REFUSED;
	}
	default_initrd(o, out);
	if (check_relief(err) || check_kexec_allowed(err) || check_idle(err) ||
	    check_iommu(err) ||
	    (o->no_marker ? image_open_unmarked : image_open)(o->image,
							      o->initrd,
							      &files, err))
		goto out;
	image_describe(&files, out);
	if (!topo) {
		if (relief_topology_read(&own, "/proc/meminfo", why,
					 sizeof(why))) {
			fprintf(err, "reliefctl swap: %s\n", why);
			rc = RELIEFCTL_EXIT_FAIL;
			goto out;
		}
		topo = &own;
	}
	/* The CPUs the kernel never lends (older kernels do not say). */
	ret = kstate_read_keep(&o->req.keep);
	if (ret) {
		fprintf(err, "reliefctl swap: cannot read %s/keep: %s\n",
			reliefctl_sysfs_dir(), strerror(-ret));
		rc = RELIEFCTL_EXIT_FAIL;
		goto out;
	}
	if (make_plan(o, topo, &plan, out, err) ||
	    check_region(o, &files, &region, err) ||
	    swap_move_check(&o->moves, o->network_lock, out, err) ||
	    check_moved_memory(o, &files, &region, err))
		goto out;
	summary_before(&sa.sum, topo, &plan, &region, out);
	if (o->dry_run) {
		print_dry_run(o, &region, &sa.sum, out);
		rc = RELIEFCTL_EXIT_OK;
		goto out;
	}

	memset(&p, 0, sizeof(p));
	p.kernel_fd = files.image_fd;
	p.initrd_fd = files.initrd_fd;
	/*
	 * Kernel B is ready only once its agent waits for the restore
	 * (relief.agent), so the freeze never waits on B's userspace.
	 */
	snprintf(o->cmdline, sizeof(o->cmdline), "%s%s%s%s%s",
		 o->append ? o->append : "",
		 o->append && o->fault ? " " : "",
		 o->fault ? "relief.inject=" : "", o->fault ? o->fault : "",
		 o->moves.nr && !o->rehearsal ? " relief.agent" : "");
	p.cmdline = o->cmdline[0] == ' ' ? o->cmdline + 1 : o->cmdline;
	if (!p.cmdline[0])
		p.cmdline = NULL;
	p.flags = (o->rehearsal ? RELIEF_DEV_REHEARSAL : 0) |
		  (o->bad_version ? RELIEF_DEV_BAD_VERSION : 0) |
		  (o->no_marker ? RELIEF_DEV_NO_MARKER : 0);
	p.timeout_ms = o->timeout_s * 1000u;
	p.transfer_mb = (uint32_t)(o->transfer / SWAP_MIB);
	p.console = o->console;
	for (int c = relief_cpuset_first(&plan.cpus); c >= 0;
	     c = relief_cpuset_next(&plan.cpus, c))
		p.cpus[c / 64] |= UINT64_C(1) << (c % 64);
	relief_cpulist_format(&plan.cpus, cpus, sizeof(cpus));

	t0 = reliefctl_now_ns();
	ret = relief_dev_prepare(&p);
	if (ret) {
		prepare_refused(-ret, o, cpus, err);
		goto out;
	}
	snprintf(line, sizeof(line), "prepared: CPUs %s lent, kernel B "
		 "loaded%s", cpus, o->rehearsal ? " (rehearsal)" : "");
	{
		struct follow hdr = { .out = out, .t0 = t0 };

		follow_phase_line(&hdr, line);
	}
	/* The kernel asks its agent for the dump once B has committed. */
	sa.copy_pages = o->copy_pages;
	if (!o->rehearsal)
		swap_agent_start(&sa, &o->moves, o->network_lock, o->timeout_s,
				 out, err);
	else if (o->moves.nr)
		fputs("a rehearsal moves no process: --move was only checked\n",
		      out);
	rc = follow_swap(o, cpus, t0, &sa, out, err);
out:
	if (topo == &own)
		relief_topology_free(&own);
	image_close(&files);
	return rc;
}

int cmd_swap_with(int argc, char **argv, const struct relief_topology *topo,
		  FILE *out, FILE *err)
{
	struct swap_opts o;
	int rc;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		swap_usage(out);
		return RELIEFCTL_EXIT_OK;
	}
	rc = parse_args(argc, argv, &o, err);
	if (!rc)
		rc = swap(&o, topo, out, err);
	moveset_free(&o.moves);
	return rc;
}

int cmd_swap(int argc, char **argv)
{
	return cmd_swap_with(argc, argv, NULL, stdout, stderr);
}
