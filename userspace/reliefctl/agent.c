// SPDX-License-Identifier: GPL-2.0
/* agent.c - DUMP, THAW, RESTORE and END requests from the kernel (agent.h). */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "criu_run.h"
#include "devices.h"
#include "drain.h"
#include "imgpack.h"
#include "kstate.h"
#include "netcfg.h"
#include "netlock.h"
#include "paths.h"
#include "proctree.h"
#include "sysio.h"
#include "thaw.h"
#include "unixsk.h"

/* A request's working directory: images/ (what is packed) and logs/. */
struct work {
	char dir[512];
	char images[560];
	char logs[560];
	bool own_fs;	/* dir is a tmpfs of the agent's (work_fs()) */
};

/* Page images beyond one a process (shared memory), as append windows. */
#define AREA_APPEND_SPARE	4

static void append_close(struct agent *a);
static void unpacked_drop(struct agent *a);

const char *agent_result_name(uint32_t result)
{
	switch (result) {
	case RELIEF_DEV_RESULT_DONE:
		return "done";
	case RELIEF_DEV_RESULT_ABORTED:
		return "aborted";
	case RELIEF_DEV_RESULT_ROLLED_BACK:
		return "rolled back";
	}
	return "ended";
}

int agent_open(struct agent *a, const struct agent_cfg *cfg)
{
	memset(a, 0, sizeof(*a));
	a->cfg = *cfg;
	a->no_frames = cfg->copy_pages;
	for (unsigned int i = 0; i < MANIFEST_TREES_MAX; i++) {
		a->lazy_status[i] = -1;
		a->swrk[i] = (struct criu_swrk)CRIU_SWRK_INIT;
	}
	a->fd = relief_dev_open();
	return a->fd < 0 ? a->fd : 0;
}

/* --- the hold on B's input (netlock.h) -------------------------------- */

/* The interfaces to be set up, ", "-separated. */
static void link_list(const struct manifest *m, char *buf, size_t len)
{
	size_t n = 0;

	*buf = '\0';
	for (unsigned int i = 0; i < m->nlinks && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
				      m->links[i].name);
}

/* Does a tree's image hold a TCP connection (criu's tcp-stream-INO.img)? */
static bool moves_tcp(const char *images, unsigned int ntrees)
{
	bool tcp = false;

	for (unsigned int i = 0; i < ntrees && !tcp; i++) {
		char dir[600];
		struct dirent *e;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%u", images, i);
		d = opendir(dir);
		while (d && !tcp && (e = readdir(d)))
			tcp = !strncmp(e->d_name, "tcp-stream-", 11);
		if (d)
			closedir(d);
	}
	return tcp;
}

/*
 * From before the interfaces come up until every tree is restored, B
 * drops what comes in on them: a packet of a moved connection would
 * otherwise meet no socket yet and be answered with a RST.
 */
static void hold_input(struct agent *a, const struct manifest *m,
		       const char *images)
{
	const char *names[MANIFEST_LINKS_MAX];
	char list[MANIFEST_LINKS_MAX * (MANIFEST_IFNAME + 2)], why[512];

	if (a->held || !m->nlinks || !moves_tcp(images, m->nr))
		return;
	for (unsigned int i = 0; i < m->nlinks; i++)
		names[i] = m->links[i].name;
	link_list(m, list, sizeof(list));
	if (netlock_hold(names, m->nlinks, why, sizeof(why))) {
		fprintf(a->cfg.err, "agent: cannot hold input on %s until the "
			"restore (%s): moved TCP connections may be reset\n",
			list, why);
		fflush(a->cfg.err);
		return;
	}
	a->held = true;
	fprintf(a->cfg.out, "agent: holding input on %s until the restore\n",
		list);
	fflush(a->cfg.out);
}

static void release_input(struct agent *a)
{
	char why[512];

	if (!a->held)
		return;
	if (netlock_release(why, sizeof(why))) {
		fprintf(a->cfg.err, "agent: cannot release the input held: %s "
			"(it goes when the agent exits)\n", why);
		fflush(a->cfg.err);
		return;
	}
	a->held = false;
	fprintf(a->cfg.out, "agent: input released\n");
	fflush(a->cfg.out);
}

void agent_close(struct agent *a)
{
	/* A release that failed before: once more, at the latest. */
	release_input(a);
	unpacked_drop(a);
	agent_lazy_finish(a);
	append_close(a);
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	manifest_free(&a->moved);
	free(a->keep);
	a->keep = NULL;
	a->nkeep = 0;
	/* A kernel that stood relieved parks with them frozen. */
	free(a->frozen.paths);
	free(a->frozen.devs);
	memset(&a->frozen, 0, sizeof(a->frozen));
}

/* A failure: the full line to err, the kernel's share in the reply. */
static int failed(struct agent *a, struct relief_dev_agent_reply *rep,
		  int err, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(a->cfg.err, "agent: %s\n", line);
	fflush(a->cfg.err);
	/* The kernel keeps a line of its log: the start is what matters. */
	n = strnlen(line, sizeof(rep->why) - 1);
	memcpy(rep->why, line, n);
	rep->why[n] = '\0';
	rep->status = err;
	return -err;
}

/* --- the working directory ------------------------------------------- */

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * The page images are device nodes (append_nodes()), which a nodev file
 * system will not open: systemd mounts /run so. There the work directory
 * gets a tmpfs of its own.
 */
static int work_fs(struct work *w)
{
	struct statvfs sv;
	int ret;

	if (statvfs(w->dir, &sv) || !(sv.f_flag & ST_NODEV))
		return 0;
	ret = reliefctl_mount("relief-agent", w->dir, "tmpfs", MS_NOSUID,
			      "mode=0700");
	w->own_fs = !ret;
	return ret;
}

static void work_remove(struct work *w)
{
	if (w->own_fs) {
		reliefctl_umount(w->dir, MNT_DETACH);
		rmdir(w->dir);
		return;
	}
	rm_rf(w->dir);
}

static int work_make(struct agent *a, struct work *w)
{
	const char *base = a->cfg.workdir ? a->cfg.workdir :
			   getenv("RELIEF_WORKDIR");
	int ret;

	w->own_fs = false;
	if (!base || !*base)
		base = AGENT_WORKDIR_DEFAULT;
	snprintf(w->dir, sizeof(w->dir), "%s/relief-agent.XXXXXX", base);
	if (!mkdtemp(w->dir)) {
		ret = -errno;
		/* to say where */
		snprintf(w->dir, sizeof(w->dir), "%s", base);
		return ret;
	}
	ret = work_fs(w);
	if (ret) {
		rmdir(w->dir);
		return ret;
	}
	snprintf(w->images, sizeof(w->images), "%s/images", w->dir);
	snprintf(w->logs, sizeof(w->logs), "%s/logs", w->dir);
	if (mkdir(w->images, 0700) || mkdir(w->logs, 0700)) {
		ret = -errno;
		work_remove(w);
		return ret;
	}
	return 0;
}

/* Gone on success; on failure the logs stay, for the operator. */
static void work_done(struct agent *a, struct work *w, int ok)
{
	if (ok) {
		work_remove(w);
		return;
	}
	rm_rf(w->images);
	fprintf(a->cfg.err, "agent: criu's logs are in %s\n", w->logs);
}

static void print_pids(FILE *f, const struct manifest *m)
{
	for (unsigned int i = 0; i < m->nr; i++)
		for (unsigned int k = 0; k < m->trees[i].nr; k++)
			fprintf(f, " %d", (int)m->trees[i].pids[k]);
}

/* --- DUMP / THAW ------------------------------------------------------ */

/* The tree's processes someone else stopped: a thaw leaves them so. */
static int note_stopped(struct agent *a, const struct proc_tree *t)
{
	for (unsigned int i = 0; i < t->nr; i++) {
		pid_t *k;

		if (t->procs[i].state != 'T' && t->procs[i].state != 't')
			continue;
		k = realloc(a->keep, (a->nkeep + 1) * sizeof(*k));
		if (!k)
			return -ENOMEM;
		a->keep = k;
		a->keep[a->nkeep++] = t->procs[i].pid;
	}
	return 0;
}

static int thaw_all(struct agent *a, unsigned int ntrees, char *why,
		    size_t whylen)
{
	struct thaw_stats st = { 0 };
	int first = 0;

	for (unsigned int i = 0; i < ntrees; i++) {
		char one[256];
		int r = thaw_tree(a->cfg.roots[i], a->cfg.network_lock,
				  a->keep, a->nkeep, &st, one, sizeof(one));

		if (r && !first) {
			first = r;
			snprintf(why, whylen, "%s", one);
		}
	}
	a->resumed = st.resumed;
	a->stopped = false;
	fprintf(a->cfg.out, "agent: resumed %u processes in this kernel",
		st.resumed);
	if (st.kept)
		fprintf(a->cfg.out, " (%u stopped before the dump stay so)",
			st.kept);
	if (st.tcp_repaired)
		fprintf(a->cfg.out, "; %u TCP sockets out of repair mode",
			st.tcp_repaired);
	if (st.unlocked)
		fprintf(a->cfg.out, ", %u netfilter locks of criu's gone",
			st.unlocked);
	fputc('\n', a->cfg.out);
	fflush(a->cfg.out);
	return first;
}

/* Dump tree i into w->images/i; on success its pids go into a->moved. */
/*
 * Before tree i's dump: pages-1.img... of its directory are nodes of
 * append windows, so criu writes the page images into the area, where B
 * reads them, with no copy on tmpfs and none into the area. One a
 * process, and a few more (shared memory); criu makes any beyond them
 * as files, which are packed as usual. A kernel without append windows:
 * files all along.
 */
static void append_nodes(struct agent *a, const char *dir, unsigned int n,
			 uint64_t area_size)
{
	struct agent_node *nn;

	if (a->no_append || area_size <= IMGPACK_AREA_HDR_LEN)
		return;
	nn = realloc(a->nodes, (a->nnodes + n) * sizeof(*nn));
	if (!nn)
		return;
	a->nodes = nn;
	for (unsigned int k = 1; k <= n; k++) {
		struct agent_node *nd = &a->nodes[a->nnodes];
		uint64_t off = IMGPACK_AREA_HDR_LEN;
		uint64_t len = area_size - IMGPACK_AREA_HDR_LEN;
		int ret = -EOPNOTSUPP;

		/* Frames only if kernel B reads them (the run agreed). */
		if (!a->no_frames)
			ret = relief_dev_agent_window_ex(a->fd,
				RELIEF_DEV_WINDOW_APPEND | RELIEF_DEV_WINDOW_FRAMES,
				&off, &len, &nd->dev);
		if (ret == -EOPNOTSUPP || ret == -EINVAL) {
			a->no_frames = true;
			ret = relief_dev_agent_window_ex(a->fd,
				RELIEF_DEV_WINDOW_APPEND, &off, &len, &nd->dev);
		}
		if (ret) {
			if (ret == -ENOTTY || ret == -EINVAL)
				a->no_append = true;
			fprintf(a->cfg.out, "agent: the page images are "
				"copied: no append window on the transfer "
				"area (%s)\n", strerror(-ret));
			return;
		}
		snprintf(nd->path, sizeof(nd->path), "%s/pages-%u.img", dir,
			 k);
		nd->off = RELIEF_DEV_WINDOW_UNPLACED;
		nd->len = 0;
		nd->frames = !a->no_frames;
		if (mknod(nd->path, S_IFCHR | 0600, nd->dev)) {
			fprintf(a->cfg.err, "agent: %s: %s\n", nd->path,
				strerror(errno));
			return;
		}
		a->nnodes++;
	}
}

/* Where a node's bytes (or frame list) end in the area. */
static uint64_t node_end(const struct agent_node *nd)
{
	return nd->off + (nd->frames ? IMGPACK_FRAMES_LEN(nd->len) : nd->len);
}

/* Where criu wrote a node's bytes, into nd->off and nd->len. */
static int query_node(struct agent *a, struct agent_node *nd)
{
	return relief_dev_agent_window_ex(a->fd, RELIEF_DEV_WINDOW_QUERY,
					  &nd->off, &nd->len, &nd->dev);
}

/* After a tree's dump: where its nodes' bytes went; unused nodes go. */
static int append_placed(struct agent *a, unsigned int first,
			 struct relief_dev_agent_reply *rep)
{
	for (unsigned int k = first; k < a->nnodes; k++) {
		struct agent_node *nd = &a->nodes[k];
		int ret = query_node(a, nd);

		if (ret)
			return failed(a, rep, -ret, "where criu wrote %s: %s",
				      nd->path, strerror(-ret));
		if (nd->off == RELIEF_DEV_WINDOW_UNPLACED)
			unlink(nd->path);
	}
	return 0;
}

/* A dump that failed: did criu run out of area (ENOSPC on a window)? */
static bool area_full(struct agent *a, unsigned int first, uint64_t size)
{
	for (unsigned int k = first; k < a->nnodes; k++) {
		struct agent_node *nd = &a->nodes[k];

		if (!query_node(a, nd) && nd->off != RELIEF_DEV_WINDOW_UNPLACED &&
		    node_end(nd) >= size)
			return true;
	}
	return false;
}

static int place_node(void *arg, const char *path, dev_t dev, uint64_t *off,
		      uint64_t *len, bool *frames)
{
	struct agent *a = arg;
	size_t n = strlen(path);

	for (unsigned int k = 0; k < a->nnodes; k++) {
		const char *p = a->nodes[k].path;
		size_t pn = strlen(p);

		/* The pack's path is below the images directory. */
		if (a->nodes[k].dev != dev ||
		    a->nodes[k].off == RELIEF_DEV_WINDOW_UNPLACED ||
		    pn <= n || p[pn - n - 1] != '/' || strcmp(p + pn - n, path))
			continue;
		*off = a->nodes[k].off;
		*len = a->nodes[k].len;
		*frames = a->nodes[k].frames;
		return 0;
	}
	return -ENOENT;
}

/* The dump is over (packed or failed): no more writing through them. */
static void append_close(struct agent *a)
{
	if (a->nnodes)
		relief_dev_agent_window(a->fd, 0, 0, NULL);
	free(a->nodes);
	a->nodes = NULL;
	a->nnodes = 0;
}

/*
 * The tree's unix streams whose peer stays here (journald's, for a
 * systemd service's stdout): criu may leave exactly these behind, and B
 * writes what comes down them to its kernel log. 0 or -errno.
 */
static int note_outside(struct agent *a, const struct proc_tree *t,
			struct manifest_tree *mt)
{
	struct unixsk_outside v[MANIFEST_OUTSIDE_MAX];
	int n = unixsk_outside(t, v, MANIFEST_OUTSIDE_MAX);

	if (n < 0)
		return n;
	if (n > MANIFEST_OUTSIDE_MAX)
		return -E2BIG;
	mt->nr_outside = (unsigned int)n;
	for (int k = 0; k < n; k++) {
		mt->outside[k] = v[k].ino;
		fprintf(a->cfg.err, "agent: %d (%s) fd %d: a unix stream to "
			"%s stays behind; kernel B logs what is written to it\n",
			(int)v[k].pid, mt->comm, v[k].fd,
			*v[k].peer_name ? v[k].peer_name : "an unnamed peer");
	}
	return 0;
}

static int dump_tree(struct agent *a, unsigned int i, const struct work *w,
		     const struct relief_dev_agent_req *req,
		     struct relief_dev_agent_reply *rep)
{
	unsigned int nprocs, first;
	pid_t root = a->cfg.roots[i];
	struct manifest_tree *mt = &a->moved.trees[i];
	struct criu_tree_opts o = {
		.network_lock = a->cfg.network_lock,
		.timeout_ms = a->cfg.criu_timeout_ms,
	};
	char dir[600], log[600], line[512];
	struct proc_tree t;
	int ret = proctree_read(root, &t);

	if (ret)
		return failed(a, rep, ESRCH, "process %d is gone: %s",
			      (int)root, strerror(-ret));
	ret = note_stopped(a, &t);
	/* criu refuses a root that does not lead its session, unless told. */
	o.shell_job = t.procs[0].sid != root;
	mt->root = root;
	mt->shell_job = o.shell_job;
	snprintf(mt->comm, sizeof(mt->comm), "%s", t.procs[0].comm);
	nprocs = t.nr;
	if (!ret)
		ret = note_outside(a, &t, mt);
	proctree_free(&t);
	if (ret)
		return failed(a, rep, -ret, "%s", strerror(-ret));
	o.nr_outside = mt->nr_outside;
	o.outside = mt->outside;
	snprintf(dir, sizeof(dir), "%s/%u", w->images, i);
	snprintf(log, sizeof(log), "%s/dump-%u.log", w->logs, i);
	if (mkdir(dir, 0700))
		return failed(a, rep, errno, "%s: %s", dir, strerror(errno));
	first = a->nnodes;
	append_nodes(a, dir, nprocs + AREA_APPEND_SPARE, req->area_size);
	if (criu_dump(root, dir, log, &o, line, sizeof(line))) {
		const char *hint = criu_log_hint(line);

		if (area_full(a, first, req->area_size))
			return failed(a, rep, ENOSPC, "criu dump of %d (%s): "
				      "the page images fill the %" PRIu64
				      "-byte transfer area; a larger "
				      "--transfer (and relief_region=) would "
				      "hold them", (int)root, mt->comm,
				      req->area_size);
		ret = failed(a, rep, EIO, "criu dump of %d (%s) failed: %s",
			     (int)root, mt->comm, line);
		if (hint)
			fprintf(a->cfg.err, "agent: %s\n", hint);
		return ret;
	}
	ret = append_placed(a, first, rep);
	if (ret)
		return ret;
	/* Frozen now: this is what moves. */
	ret = proctree_read(root, &t);
	if (ret)
		return failed(a, rep, ESRCH, "process %d is gone after its "
			      "dump: %s", (int)root, strerror(-ret));
	mt->pids = malloc(t.nr * sizeof(*mt->pids));
	if (!mt->pids) {
		proctree_free(&t);
		return failed(a, rep, ENOMEM, "%s", strerror(ENOMEM));
	}
	for (unsigned int k = 0; k < t.nr; k++)
		mt->pids[mt->nr++] = t.procs[k].pid;
	proctree_free(&t);
	return 0;
}

static int pack_area(struct agent *a, const struct work *w,
		     const struct relief_dev_agent_req *req,
		     struct relief_dev_agent_reply *rep)
{
	struct imgpack_places pl = { .place = place_node, .arg = a };
	struct imgpack_stats st;
	char path[600], why[256], size[32];
	uint64_t t_pack, now, pack_off = 0;
	void *area;
	long n;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", w->images, MANIFEST_NAME);
	ret = manifest_write(path, &a->moved);
	if (ret)
		return failed(a, rep, -ret, "%s: %s", path, strerror(-ret));
	if (!req->area_size)
		return failed(a, rep, ENODEV, "the kernel has no transfer area "
			      "for the images");
	t_pack = reliefctl_now_ns();
	area = mmap(NULL, req->area_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    a->fd, 0);
	if (area == MAP_FAILED)
		return failed(a, rep, errno, "cannot map the transfer area "
			      "(%" PRIu64 " bytes): %s", req->area_size,
			      strerror(errno));
	/* After the page images criu wrote into the area, if it did. */
	for (unsigned int k = 0; k < a->nnodes; k++)
		if (a->nodes[k].off != RELIEF_DEV_WINDOW_UNPLACED &&
		    node_end(&a->nodes[k]) > pack_off)
			pack_off = node_end(&a->nodes[k]);
	if (pack_off)
		pack_off = (pack_off + IMGPACK_AREA_HDR_LEN - 1) /
			   IMGPACK_AREA_HDR_LEN * IMGPACK_AREA_HDR_LEN;
	if (pack_off >= req->area_size) {
		munmap(area, req->area_size);
		return failed(a, rep, ENOSPC, "the page images fill the %"
			      PRIu64 "-byte transfer area: no room for the "
			      "rest", req->area_size);
	}
	n = imgpack_pack_placed(w->images, (uint8_t *)area + pack_off,
				req->area_size - pack_off, &pl, &st, why,
				sizeof(why));
	if (n >= 0 && pack_off)
		imgpack_area_header(area, pack_off, (uint64_t)n);
	munmap(area, req->area_size);
	if (n < 0)
		return failed(a, rep, (int)-n, "%s", why);
	n += (long)pack_off;
	a->image_len = (uint64_t)n;
	rep->image_len = (uint64_t)n;
	rep->nr_procs = manifest_procs(&a->moved);
	imgpack_format_size((uint64_t)n, size, sizeof(size));
	fprintf(a->cfg.out, "agent: dumped %u processes in %u trees (pids",
		rep->nr_procs, a->moved.nr);
	print_pids(a->cfg.out, &a->moved);
	now = reliefctl_now_ns();
	fprintf(a->cfg.out, "): %s of images in %" PRIu64 " ms (criu %" PRIu64
		" ms, pack %" PRIu64 " ms)", size,
		(now - a->t_dump_ns) / 1000000u,
		(t_pack - a->t_dump_ns) / 1000000u, (now - t_pack) / 1000000u);
	if (st.frames) {
		imgpack_format_size(st.frames_bytes, size, sizeof(size));
		fprintf(a->cfg.out, "; %u page images (%s) left in place",
			st.frames, size);
	}
	fputc('\n', a->cfg.out);
	fflush(a->cfg.out);
	return 0;
}

/*
 * What lives on the devices the kernel hands over once the dump is
 * replied: the interfaces B must set up again, the file systems it must
 * mount (and A must freeze).
 */
static int record_devices(struct agent *a, struct relief_dev_agent_reply *rep)
{
	struct devlist dl;
	char why[512];
	int ret = devices_read(&dl, why, sizeof(why));

	if (ret)
		return failed(a, rep, -ret, "which devices are handed over? %s",
			      why);
	ret = netcfg_record(&dl, &a->moved, a->cfg.out, why, sizeof(why));
	if (!ret)
		ret = mounts_record(&dl, &a->moved, why, sizeof(why));
	if (ret)
		return failed(a, rep, -ret, "%s", why);
	return 0;
}

/* Their file systems on disk, nothing more written until a thaw. */
static int freeze_devices(struct agent *a, struct relief_dev_agent_reply *rep)
{
	char why[1200];
	int ret;

	if (!a->moved.nmounts)
		return 0;
	/* Blocked on a frozen disk, the agent could not thaw it. */
	for (int i = 0; i < 2; i++) {
		int k = mounts_fd_on(&a->moved, fileno(i ? a->cfg.err :
							  a->cfg.out));

		if (k >= 0)
			return failed(a, rep, EBUSY, "the agent's output goes "
				      "to %s, which it must freeze: send it "
				      "elsewhere",
				      a->moved.mounts[k].mountpoint);
	}
	ret = mounts_freeze(&a->moved, &a->frozen, why, sizeof(why));
	if (ret)
		return failed(a, rep, -ret, "%s", why);
	fprintf(a->cfg.out, "agent: froze %u file systems on the handed-over "
		"devices:", a->frozen.nr);
	for (unsigned int i = 0; i < a->frozen.nr; i++)
		fprintf(a->cfg.out, " %s", a->frozen.paths[i]);
	fputc('\n', a->cfg.out);
	fflush(a->cfg.out);
	return 0;
}

/* Before the processes run on: their files must be writable. */
static int thaw_devices(struct agent *a, char *why, size_t whylen)
{
	int n;

	if (!a->frozen.nr)
		return 0;
	n = mounts_thaw(&a->frozen, why, whylen);
	if (n < 0)
		return n;
	fprintf(a->cfg.out, "agent: thawed %d file systems\n", n);
	fflush(a->cfg.out);
	return 0;
}

static void do_dump(struct agent *a, const struct relief_dev_agent_req *req,
		    struct relief_dev_agent_reply *rep)
{
	struct work w;
	unsigned int i;
	char why[256];
	int ret;

	a->t_dump_ns = reliefctl_now_ns();
	/* A run before ended without a thaw: its file systems first. */
	thaw_devices(a, why, sizeof(why));
	manifest_free(&a->moved);
	snprintf(a->moved.network_lock, sizeof(a->moved.network_lock), "%s",
		 a->cfg.network_lock ? a->cfg.network_lock : "");
	if (!a->cfg.nroots) {
		/* Nothing to move: the empty image, which B takes as is. */
		fputs("agent: no process to move (no --move)\n", a->cfg.out);
		if (!record_devices(a, rep))
			freeze_devices(a, rep);
		return;
	}
	ret = work_make(a, &w);
	if (ret) {
		failed(a, rep, -ret, "cannot make a directory for the images "
		       "in %s: %s", w.dir, strerror(-ret));
		return;
	}
	drain_listeners(a->cfg.roots, a->cfg.nroots, a->cfg.out, a->cfg.err);
	for (i = 0; i < a->cfg.nroots && !ret; i++) {
		ret = dump_tree(a, i, &w, req, rep);
		if (!ret)
			a->moved.nr = i + 1;
	}
	a->stopped = a->moved.nr > 0;
	if (!ret)
		ret = record_devices(a, rep);
	if (!ret)
		ret = pack_area(a, &w, req, rep);
	append_close(a);
	/* Before the freeze: the working directory may be on such a disk. */
	work_done(a, &w, !ret);
	if (!ret)
		ret = freeze_devices(a, rep);
	if (ret && a->moved.nr) {
		/* The kernel rolls back: what is stopped must run again. */
		fprintf(a->cfg.out, "agent: the dump failed; resuming the "
			"dumped processes\n");
		thaw_all(a, a->moved.nr, why, sizeof(why));
	}
	if (ret)
		drain_end(a->cfg.err);
}

static void do_thaw(struct agent *a, struct relief_dev_agent_reply *rep)
{
	char why[1200], procs[256];
	int ret = thaw_devices(a, why, sizeof(why));

	if (thaw_all(a, a->moved.nr, procs, sizeof(procs)) && !ret) {
		ret = -EIO;
		snprintf(why, sizeof(why), "%s", procs);
	}
	drain_end(a->cfg.err);
	if (ret)
		failed(a, rep, -ret, "%s", why);
}

/* --- RESTORE ---------------------------------------------------------- */

/* A pid the images need that this kernel already uses. */
static int pid_taken(const struct manifest *m, pid_t *pid, char *comm,
		     size_t len)
{
	for (unsigned int i = 0; i < m->nr; i++)
		for (unsigned int k = 0; k < m->trees[i].nr; k++) {
			struct proc_info pi;

			if (proctree_stat(m->trees[i].pids[k], &pi))
				continue;
			*pid = pi.pid;
			snprintf(comm, len, "%s", pi.comm);
			return 1;
		}
	return 0;
}

/* A restore failed after trees [0, n) came back: they must not run on. */
static void kill_restored(const struct manifest *m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int k = 0; k < m->trees[i].nr; k++)
			kill(m->trees[i].pids[k], SIGKILL);
}

static int open_window(void *arg, uint64_t off, uint64_t size, bool frames,
		       dev_t *dev)
{
	struct agent *a = arg;

	a->windows = true;
	if (frames)
		return relief_dev_agent_window_ex(a->fd,
						  RELIEF_DEV_WINDOW_FRAMES,
						  &off, &size, dev);
	return relief_dev_agent_window(a->fd, off, size, dev);
}

/* The page images' windows are closed once nothing reads them. */
static void windows_close(struct agent *a)
{
	int ret;

	if (!a->windows)
		return;
	a->windows = false;
	ret = relief_dev_agent_window(a->fd, 0, 0, NULL);
	if (ret)
		fprintf(a->cfg.err, "agent: cannot close the windows on the "
			"transfer area: %s\n", strerror(-ret));
}

static int unpack_area(struct agent *a, const struct work *w,
		       const struct relief_dev_agent_req *req,
		       struct relief_dev_agent_reply *rep)
{
	struct imgpack_windows win = {
		.min = AGENT_WINDOW_MIN, .open = open_window, .arg = a,
	};
	struct imgpack_stats st;
	char why[256], size[32];
	void *area;
	int ret;

	if (!req->image_len || req->image_len > req->area_size)
		return failed(a, rep, EINVAL, "the kernel says %" PRIu64
			      " bytes of images in a transfer area of %" PRIu64,
			      req->image_len, req->area_size);
	area = mmap(NULL, req->area_size, PROT_READ, MAP_SHARED, a->fd, 0);
	if (area == MAP_FAILED)
		return failed(a, rep, errno, "cannot map the transfer area "
			      "(%" PRIu64 " bytes): %s", req->area_size,
			      strerror(errno));
	win.area = area;
	win.area_len = req->image_len;
	ret = imgpack_area_pack(area, req->image_len, &win.pack_off, why,
				sizeof(why));
	if (ret) {
		munmap(area, req->area_size);
		return failed(a, rep, -ret, "%s", why);
	}
	ret = imgpack_unpack_windows((const uint8_t *)area + win.pack_off,
				     req->image_len - win.pack_off, w->images,
				     &win, &st, why, sizeof(why));
	munmap(area, req->area_size);
	if (win.fallback_err)
		fprintf(a->cfg.err, "agent: the page images are copied: no "
			"window on the transfer area (%s)\n",
			strerror(-win.fallback_err));
	if (ret) {
		windows_close(a);
		return failed(a, rep, -ret, "the images do not unpack: %s", why);
	}
	if (win.opened) {
		imgpack_format_size(win.bytes, size, sizeof(size));
		fprintf(a->cfg.out, "agent: %u page images (%s) are read in "
			"place, from the transfer area", win.opened, size);
		if (st.frames) {
			imgpack_format_size(st.frames_bytes, size,
					    sizeof(size));
			fprintf(a->cfg.out, "; %u of them (%s) from kernel A's "
				"memory, where its pages were left",
				st.frames, size);
		}
		fputc('\n', a->cfg.out);
	}
	return 0;
}

/*
 * What the processes find around them in A: the interfaces their
 * connections go through, the file systems their files are on.
 */
static int setup_devices(struct agent *a, const struct work *w,
			 struct relief_dev_agent_reply *rep)
{
	unsigned int ms = a->cfg.setup_wait_ms ? a->cfg.setup_wait_ms :
			  AGENT_SETUP_WAIT_MS;
	char why[1200];
	int ret = netcfg_apply(&a->moved, ms, a->cfg.out, why, sizeof(why));

	if (!ret)
		ret = mounts_apply(&a->moved, w->dir, ms, a->cfg.out, why,
				   sizeof(why));
	return ret ? failed(a, rep, -ret, "%s", why) : 0;
}

/*
 * Lazy: tree i's daemon, listening before its restore connects: the one
 * UNPACK spawned (early_spawn()), else one started now. Without one the
 * tree is restored with its memory, as it would be anyway.
 */
static bool lazy_start(struct agent *a, const struct work *w, unsigned int i,
		       const char *images)
{
	char log[600], why[512];
	int ret;

	snprintf(log, sizeof(log), "%s/lazy-%u.log", w->logs, i);
	if (a->nlazy < i + 1)
		a->nlazy = i + 1;
	if (a->lazy[i] > 0 && a->lazy_status[i] >= 0) {
		ret = criu_lazy_listening(&a->lazy[i], a->lazy_status[i], log,
					  a->cfg.criu_timeout_ms, why,
					  sizeof(why));
		a->lazy_status[i] = -1;
	} else {
		ret = criu_lazy_start(images, log, a->cfg.criu_timeout_ms,
				      &a->lazy[i], why, sizeof(why));
	}
	if (!ret)
		return true;
	a->lazy[i] = 0;
	fprintf(a->cfg.err, "agent: no lazy restore of tree %u: %s; its "
		"memory is restored first\n", i, why);
	return false;
}

/*
 * UNPACK: start what each tree's restore needs without waiting for it,
 * so that criu's start (its exec, its set-up: about 0.1 s under TCG for
 * each) runs while the devices are handed over: its service worker, and
 * with cfg.lazy its lazy-pages daemon, which RESTORE waits for to listen.
 * What fails to start here is started again at RESTORE, which says why.
 */
static void early_spawn(struct agent *a, const struct work *w,
			const struct manifest *m)
{
	char path[600], log[600], why[512];

	for (unsigned int i = 0; i < m->nr && i < MANIFEST_TREES_MAX; i++) {
		snprintf(path, sizeof(path), "%s/%u", w->images, i);
		snprintf(log, sizeof(log), "%s/restore-%u.log.out", w->logs,
			 i);
		criu_swrk_spawn(&a->swrk[i], log, why, sizeof(why));
		if (!a->cfg.lazy)
			continue;
		snprintf(log, sizeof(log), "%s/lazy-%u.log", w->logs, i);
		if (!criu_lazy_spawn(path, log, &a->lazy[i],
				     &a->lazy_status[i], why, sizeof(why)))
			a->nlazy = i + 1;
	}
}

/* Workers UNPACK started that no RESTORE will use. */
static void swrk_stop(struct agent *a)
{
	for (unsigned int i = 0; i < MANIFEST_TREES_MAX; i++)
		criu_swrk_stop(&a->swrk[i]);
}

/* Tree i's restore, through the worker UNPACK started or one started now. */
static int restore_tree(struct agent *a, unsigned int i, const char *dir,
			const char *log, const struct criu_tree_opts *o,
			char *why, size_t whylen)
{
	if (a->swrk[i].pid > 0)
		return criu_swrk_restore(&a->swrk[i], dir, log, o, why,
					 whylen);
	return criu_restore(dir, log, o, why, whylen);
}

/*
 * Lazy: criu maps each process's whole memory before B has the RAM for it
 * (A's RAM is added once A stood relieved), and the kernel's heuristic
 * overcommit refuses a mapping larger than all of B's RAM. The agent
 * allows it (vm.overcommit_memory=1) from the restore until every page
 * is in, then puts the old value back.
 */
static void overcommit_allow(struct agent *a)
{
	const char *path = reliefctl_overcommit_path();
	char v[8] = "";
	FILE *f;

	if (*a->overcommit)
		return;
	f = fopen(path, "re");
	if (!f || !fgets(v, sizeof(v), f) || !*v) {
		if (f)
			fclose(f);
		fprintf(a->cfg.err, "agent: cannot read %s; a lazy restore "
			"may find no room to map\n", path);
		return;
	}
	fclose(f);
	v[strcspn(v, "\n")] = '\0';
	if (!strcmp(v, "1"))
		return;
	f = fopen(path, "we");
	if (!f || fputs("1\n", f) < 0 || fclose(f)) {
		fprintf(a->cfg.err, "agent: cannot allow overcommit in %s: %s; "
			"a lazy restore may find no room to map\n", path,
			strerror(errno));
		return;
	}
	snprintf(a->overcommit, sizeof(a->overcommit), "%s", v);
}

static void overcommit_restore(struct agent *a)
{
	FILE *f;

	if (!*a->overcommit)
		return;
	f = fopen(reliefctl_overcommit_path(), "we");
	if (!f || fprintf(f, "%s\n", a->overcommit) < 0 || fclose(f))
		fprintf(a->cfg.err, "agent: cannot put vm.overcommit_memory "
			"back to %s\n", a->overcommit);
	a->overcommit[0] = '\0';
}

/* A restore failed, or never came: the daemons have nothing to fill. */
static void lazy_stop(struct agent *a)
{
	for (unsigned int i = 0; i < a->nlazy; i++) {
		if (a->lazy[i] > 0) {
			kill(a->lazy[i], SIGKILL);
			waitpid(a->lazy[i], NULL, 0);
			a->lazy[i] = 0;
		}
		if (a->lazy_status[i] >= 0)
			close(a->lazy_status[i]);
		a->lazy_status[i] = -1;
	}
	a->nlazy = 0;
}

int agent_lazy_finish(struct agent *a)
{
	char log[700], why[512];
	unsigned int i, done = 0;
	int ret = 0;

	for (i = 0; i < a->nlazy; i++) {
		const struct manifest_tree *t = i < a->moved.nr ?
						&a->moved.trees[i] : NULL;

		if (a->lazy[i] <= 0)
			continue;
		snprintf(log, sizeof(log), "%s/logs/lazy-%u.log", a->lazy_dir,
			 i);
		if (!criu_lazy_wait(a->lazy[i], log, a->cfg.criu_timeout_ms,
				    why, sizeof(why))) {
			done++;
		} else {
			ret = -EIO;
			fprintf(a->cfg.err, "agent: the memory of %d (%s) was "
				"not all filled in: %s; killing the tree, which "
				"would read zeroes there\n", t ? (int)t->root : -1,
				t ? t->comm : "?", why);
			for (unsigned int k = 0; t && k < t->nr; k++)
				kill(t->pids[k], SIGKILL);
		}
		a->lazy[i] = 0;
	}
	if (done)
		fprintf(a->cfg.out, "agent: the memory of %u trees was all in "
			"%" PRIu64 " ms after the restore (criu lazy-pages)\n",
			done, (reliefctl_now_ns() - a->t_restored_ns) / 1000000u);
	a->nlazy = 0;
	if (*a->lazy_dir) {
		struct work w = { .own_fs = a->lazy_own_fs };

		snprintf(w.dir, sizeof(w.dir), "%s", a->lazy_dir);
		snprintf(w.images, sizeof(w.images), "%s/images", w.dir);
		snprintf(w.logs, sizeof(w.logs), "%s/logs", w.dir);
		work_done(a, &w, !ret);
		a->lazy_dir[0] = '\0';
	}
	windows_close(a);
	overcommit_restore(a);
	fflush(a->cfg.out);
	fflush(a->cfg.err);
	return ret;
}

/* UNPACK's images that RESTORE did not take (a run that rolled back). */
static void unpacked_drop(struct agent *a)
{
	if (!a->unpacked)
		return;
	lazy_stop(a);
	swrk_stop(a);
	work_done(a, a->unpacked, 1);
	windows_close(a);
	free(a->unpacked);
	a->unpacked = NULL;
}

/*
 * Kernel B's clocks continue A's (/sys/kernel/relief/clocks says
 * "continued"): the machine's CLOCK_MONOTONIC and CLOCK_BOOTTIME ran on
 * through the pause. criu would restore each tree into a time namespace of
 * its own whose offsets start those clocks again where they were dumped,
 * hiding the pause from the moved processes and setting them apart from
 * B's own. Without a tree's timens-0.img (the clocks of a tree that was in
 * A's own time namespace) criu restores it in B's, as it ran in A's.
 */
static void clocks_continue(struct agent *a, const struct work *w)
{
	char state[32] = "", path[600];
	unsigned int i, n = 0;
	struct stat sb;

	if (kstate_read(reliefctl_sysfs_dir(), "clocks", state,
			sizeof(state)) < 0 || strncmp(state, "continued", 9))
		return;
	for (i = 0;; i++) {
		snprintf(path, sizeof(path), "%s/%u", w->images, i);
		if (stat(path, &sb))
			break;
		snprintf(path, sizeof(path), "%s/%u/timens-0.img", w->images,
			 i);
		if (!unlink(path))
			n++;
	}
	if (n)
		fprintf(a->cfg.out, "agent: kernel B's clocks continue kernel "
			"A's: %u tree%s keep%s the machine's time\n", n,
			n == 1 ? "" : "s", n == 1 ? "s" : "");
}

/* A work directory with the area's images in it, in *w. */
static int images_make(struct agent *a, struct work *w,
		       const struct relief_dev_agent_req *req,
		       struct relief_dev_agent_reply *rep)
{
	int ret = work_make(a, w);

	if (ret)
		return failed(a, rep, -ret, "cannot make a directory for the "
			      "images in %s: %s", w->dir, strerror(-ret));
	ret = unpack_area(a, w, req, rep);
	if (ret)
		work_done(a, w, 0);
	else
		clocks_continue(a, w);
	return ret;
}

/*
 * UNPACK (B): the images are in the area before the devices are bound,
 * and RESTORE waits for them: unpacking now takes that off the pause.
 */
static void do_unpack(struct agent *a, const struct relief_dev_agent_req *req,
		      struct relief_dev_agent_reply *rep)
{
	struct work *w = calloc(1, sizeof(*w));
	char path[600], why[512];
	struct manifest m;

	unpacked_drop(a);
	if (!w) {
		failed(a, rep, ENOMEM, "%s", strerror(ENOMEM));
		return;
	}
	if (images_make(a, w, req, rep)) {
		free(w);
		return;
	}
	a->unpacked = w;
	a->unpacked_len = req->image_len;
	/*
	 * What RESTORE would start first, started now: the hold on the
	 * interfaces (they need not exist yet), criu's service workers and
	 * the lazy daemons. A manifest that does not read is RESTORE's to
	 * report.
	 */
	snprintf(path, sizeof(path), "%s/%s", w->images, MANIFEST_NAME);
	if (manifest_read(path, &m, why, sizeof(why)))
		return;
	hold_input(a, &m, w->images);
	early_spawn(a, w, &m);
	manifest_free(&m);
}

static void do_restore(struct agent *a, const struct relief_dev_agent_req *req,
		       struct relief_dev_agent_reply *rep)
{
	struct manifest *m = &a->moved;
	char path[600], log[600], line[512], comm[17];
	uint64_t t_dev = 0, t_lazy = 0, t_criu = 0, t0;
	unsigned int i;
	struct work w;
	pid_t pid;
	int ret;

	a->t_dump_ns = reliefctl_now_ns();
	manifest_free(m);
	if (a->unpacked && a->unpacked_len == req->image_len) {
		w = *a->unpacked;
		free(a->unpacked);
		a->unpacked = NULL;
	} else {
		unpacked_drop(a);
		if (images_make(a, &w, req, rep))
			return;
	}
	snprintf(path, sizeof(path), "%s/%s", w.images, MANIFEST_NAME);
	ret = manifest_read(path, m, line, sizeof(line));
	if (ret)
		failed(a, rep, -ret, "the images hold no list of trees: %s",
		       line);
	if (!ret && req->nr_procs != manifest_procs(m))
		ret = failed(a, rep, EBADMSG, "the kernel says %u processes, "
			     "the images hold %u", req->nr_procs,
			     manifest_procs(m));
	if (!ret && pid_taken(m, &pid, comm, sizeof(comm)))
		ret = failed(a, rep, EEXIST, "pid %d is taken here by %s: "
			     "the moved processes need their pids", (int)pid,
			     comm);
	if (!ret && a->cfg.lazy)
		overcommit_allow(a);
	if (!ret) {
		t0 = reliefctl_now_ns();
		hold_input(a, m, w.images);
		ret = setup_devices(a, &w, rep);
		t_dev = reliefctl_now_ns() - t0;
		/*
		 * The workers UNPACK started see the bootstrap's root, not
		 * A's that the agent entered: restore_tree() starts others.
		 */
		if (!ret && mounts_has_root(m))
			swrk_stop(a);
	}
	for (i = 0; !ret && i < m->nr; i++) {
		const struct manifest_tree *t = &m->trees[i];
		struct criu_tree_opts o = {
			.shell_job = t->shell_job,
			.network_lock = *m->network_lock ? m->network_lock :
					NULL,
			.timeout_ms = a->cfg.criu_timeout_ms,
			.nr_outside = t->nr_outside, .outside = t->outside,
		};

		snprintf(path, sizeof(path), "%s/%u", w.images, i);
		t0 = reliefctl_now_ns();
		if (a->cfg.lazy)
			o.lazy = lazy_start(a, &w, i, path);
		t_lazy += reliefctl_now_ns() - t0;
		snprintf(log, sizeof(log), "%s/restore-%u.log", w.logs, i);
		t0 = reliefctl_now_ns();
		ret = restore_tree(a, i, path, log, &o, line, sizeof(line));
		t_criu += reliefctl_now_ns() - t0;
		if (ret) {
			const char *hint = criu_log_hint(line);

			ret = failed(a, rep, EIO, "criu restore of %d (%s) "
				     "failed: %s", (int)t->root, t->comm,
				     line);
			if (hint)
				fprintf(a->cfg.err, "agent: %s\n", hint);
			kill_restored(m, i);
		}
	}
	/* Every tree restored, or the restore failed. */
	swrk_stop(a);
	release_input(a);
	a->t_restored_ns = reliefctl_now_ns();
	if (ret)
		lazy_stop(a);
	if (!ret) {
		rep->nr_procs = manifest_procs(m);
		fprintf(a->cfg.out, "agent: restored %u processes in %u trees "
			"(pids", rep->nr_procs, m->nr);
		print_pids(a->cfg.out, m);
		fprintf(a->cfg.out, ") in %" PRIu64 " ms (devices %" PRIu64
			" ms, lazy-pages %" PRIu64 " ms, criu %" PRIu64 " ms)\n",
			(reliefctl_now_ns() - a->t_dump_ns) / 1000000u,
			t_dev / 1000000u, t_lazy / 1000000u,
			t_criu / 1000000u);
		fflush(a->cfg.out);
	} else {
		manifest_free(m);
	}
	/* The lazy daemons read the images until END. */
	if (!ret && a->nlazy) {
		snprintf(a->lazy_dir, sizeof(a->lazy_dir), "%s", w.dir);
		a->lazy_own_fs = w.own_fs;
	} else {
		work_done(a, &w, !ret);
		windows_close(a);
		overcommit_restore(a);
	}
}

/* --- the loop --------------------------------------------------------- */

static const char *op_name(uint32_t op)
{
	static const char *const names[] = {
		"NONE", "DUMP", "THAW", "RESTORE", "END", "UNPACK",
	};

	return op < sizeof(names) / sizeof(*names) ? names[op] : "unknown";
}

static void do_end(struct agent *a, const struct relief_dev_agent_req *req)
{
	char why[1200];

	release_input(a);
	unpacked_drop(a);
	if (agent_lazy_finish(a))
		a->status = EIO;
	/* This kernel goes on (no THAW came): its disks must be writable. */
	if (req->result != RELIEF_DEV_RESULT_DONE &&
	    thaw_devices(a, why, sizeof(why)) < 0)
		fprintf(a->cfg.err, "agent: %s\n", why);
	a->ended = true;
	a->t_end_ns = reliefctl_now_ns();
	a->result = req->result;
	snprintf(a->reason, sizeof(a->reason), "%s", req->reason_name);
	if (a->cfg.on_end) {
		a->cfg.on_end(a, a->cfg.end_arg);
	} else {
		fprintf(a->cfg.out, "agent: the run ended: %s%s%s%s\n",
			agent_result_name(a->result), *a->reason ? " (" : "",
			a->reason, *a->reason ? ")" : "");
	}
	fflush(a->cfg.out);
	fflush(a->cfg.err);
}

int agent_poll(struct agent *a, unsigned int timeout_ms)
{
	struct relief_dev_agent_reply rep;
	struct relief_dev_agent_req req;
	int ret = relief_dev_agent_wait(a->fd, timeout_ms, &req);
	bool mine;

	if (ret == -EAGAIN || ret == -EINTR)
		return AGENT_IDLE;
	if (ret == -ESRCH)
		return AGENT_NO_RUN;
	if (ret)
		return ret;
	memset(&rep, 0, sizeof(rep));
	rep.seq = req.seq;
	mine = req.op == RELIEF_DEV_AGENT_END ||
	       (a->cfg.role == AGENT_OLD) == (req.op == RELIEF_DEV_AGENT_DUMP ||
					      req.op == RELIEF_DEV_AGENT_THAW);
	switch (mine ? req.op : RELIEF_DEV_AGENT_NONE) {
	case RELIEF_DEV_AGENT_DUMP:
		do_dump(a, &req, &rep);
		break;
	case RELIEF_DEV_AGENT_THAW:
		do_thaw(a, &rep);
		break;
	case RELIEF_DEV_AGENT_RESTORE:
		do_restore(a, &req, &rep);
		break;
	case RELIEF_DEV_AGENT_UNPACK:
		do_unpack(a, &req, &rep);
		break;
	case RELIEF_DEV_AGENT_END:
		do_end(a, &req);
		break;
	default:
		failed(a, &rep, EOPNOTSUPP, "request %s (%u) is not for the "
		       "%s kernel's agent", op_name(req.op), req.op,
		       a->cfg.role == AGENT_OLD ? "old" : "new");
	}
	if (req.op == RELIEF_DEV_AGENT_DUMP ||
	    req.op == RELIEF_DEV_AGENT_RESTORE)
		a->status = rep.status;
	a->handled++;
	ret = relief_dev_agent_reply(a->fd, &rep);
	if (ret)
		fprintf(a->cfg.err, "agent: the kernel took no reply to %s: "
			"%s\n", op_name(req.op), strerror(-ret));
	return req.op == RELIEF_DEV_AGENT_END ? AGENT_ENDED : AGENT_HANDLED;
}
