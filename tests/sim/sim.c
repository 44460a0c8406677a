// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sim.c - the two-process simulator (see sim.h).
 *
 * Each process runs one loop: take the lock, pick one event (an injected
 * operator abort, else the completion of the last local action, else the
 * next message in the ring, else a clock tick), step the machine, perform
 * its actions in order, push what it sent, publish its view, check the
 * invariant, drop the lock, sleep a little if it had nothing to do.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "relief_mailbox.h"
#include "relief_names.h"
#include "sim.h"

#define SIM_MS		1000000ULL
#define SIM_GRACE_MS	2000	/* parent: after limit_ms, before SIGKILL */

/* One side as the other and the checker see it. */
struct sim_view {
	uint32_t state;
	uint32_t status;	/* enum relief_view_status */
	uint32_t nr_out;
	uint32_t pad;
	struct relief_owner_table owners;
	struct relief_msg out[SIM_OUTBOX_MAX];	/* sent, not yet in the ring */
};

/* The second shared mapping: lock, signals between sides, views, result. */
struct sim_shared {
	pthread_mutex_t lock;
	uint32_t new_go;	/* OLD performed START_NEW */
	uint32_t stop_new;	/* OLD performed STOP_NEW ... */
	uint32_t pad;
	uint64_t stop_at;	/* ... landing then (CLOCK_MONOTONIC ns) */
	uint32_t quit;		/* parent: give up now */
	struct sim_view view[2];
	struct sim_result res;
};

/* One side's private state, in its own process. */
struct sim_side {
	int idx;
	uint32_t role;
	const struct sim_config *cfg;
	struct sim_shared *sh;
	struct relief_mailbox mb;
	struct relief_rx rx;
	struct relief_old_fsm old;
	struct relief_new_fsm new;
	struct relief_event pending;	/* completion of the last action */
	bool has_pending;
	bool aborted;			/* injected abort given */
	struct relief_msg out[SIM_OUTBOX_MAX];
	uint32_t nr_out;
	uint64_t limit_ns;
	struct sim_side_result r;
};

static struct sim_side side;	/* the one of this process */

static uint64_t sim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sim_sleep(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ULL),
			       .tv_nsec = (long)(ns % 1000000000ULL) };

	nanosleep(&ts, NULL);
}

static uint32_t sim_load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void sim_store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* First harness error wins; the shared result is written under the lock. */
static void sim_error(struct sim_shared *sh, const char *fmt, ...)
{
	va_list ap;

	if (sh->res.error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(sh->res.error, sizeof(sh->res.error), fmt, ap);
	va_end(ap);
}

/**
 * sim_state_name() - name of a state of either side.
 * @idx: SIM_OLD or SIM_NEW
 * @state: the state
 *
 * Return: the enum name without prefix.
 */
const char *sim_state_name(int idx, uint32_t state)
{
	return idx == SIM_OLD ? relief_old_state_name(state) :
	       relief_new_state_name(state);
}

/* ---------------------------------------------------------- the plans */

/**
 * sim_default_config() - the machine of the simulated runs.
 * @cfg: filled in
 *
 * CPUs 0..7: 0 KEEP, 1..3 released during the transfer, 4..7 LENT; memory
 * [0,1G) KEEP, [1G,2G) and [2G,3G) released, [4G,6G) LENT; devices 3 and 7
 * handed over. Timeouts short enough for tests, long enough for a loaded
 * machine; heartbeats every 20 ms, peer dead after 400 ms of silence. No
 * faults.
 */
void sim_default_config(struct sim_config *cfg)
{
	struct relief_old_plan *op = &cfg->old_plan;
	struct relief_new_plan *np = &cfg->new_plan;
	struct relief_owner_table *t = &op->owners;
	uint32_t i;

	memset(cfg, 0, sizeof(*cfg));
	relief_owner_init(t);
	relief_owner_add_cpu(t, 0, RELIEF_OWN_OLD, RELIEF_RES_KEEP);
	for (i = 1; i < 4; i++)
		relief_owner_add_cpu(t, i, RELIEF_OWN_OLD, 0);
	for (i = 4; i < 8; i++)
		relief_owner_add_cpu(t, i, RELIEF_OWN_OLD, RELIEF_RES_LENT);
	relief_owner_add_mem(t, 0, 1ULL << 30, RELIEF_OWN_OLD, RELIEF_RES_KEEP);
	relief_owner_add_mem(t, 1ULL << 30, 1ULL << 30, RELIEF_OWN_OLD, 0);
	relief_owner_add_mem(t, 2ULL << 30, 1ULL << 30, RELIEF_OWN_OLD, 0);
	relief_owner_add_mem(t, 4ULL << 30, 2ULL << 30, RELIEF_OWN_OLD,
			     RELIEF_RES_LENT);
	op->expect.proto_min = RELIEF_PROTO_VERSION_MIN;
	op->expect.proto_max = RELIEF_PROTO_VERSION_MAX;
	op->expect.features = RELIEF_FEAT_HEARTBEAT | RELIEF_FEAT_PROC_COPY |
			      RELIEF_FEAT_DEVICE_HANDOVER |
			      RELIEF_FEAT_CONSOLE_RING;
	op->expect.required = RELIEF_FEAT_PROC_COPY;
	op->expect.hwdesc_crc = 0x5eed1234u;
	op->expect.nr_cpus_described = 8;
	op->nr_devices = 2;
	op->devices[0] = 3;
	op->devices[1] = 7;
	op->t.boot_ns = 3000 * SIM_MS;
	op->t.answer_ns = 3000 * SIM_MS;
	op->t.step_ns = 3000 * SIM_MS;
	op->t.transfer_ns = 3000 * SIM_MS;
	op->t.hb_period_ns = 20 * SIM_MS;
	op->t.hb_timeout_ns = 400 * SIM_MS;

	np->owners = op->owners;
	for (i = 0; i < np->owners.nr; i++)
		np->owners.res[i].owner =
			(np->owners.res[i].flags & RELIEF_RES_LENT) ?
			RELIEF_OWN_NEW : RELIEF_OWN_OLD;
	snprintf(np->quals.release, sizeof(np->quals.release),
		 "6.12.0-relief-sim");
	np->quals.proto_min = RELIEF_PROTO_VERSION_MIN;
	np->quals.proto_max = RELIEF_PROTO_VERSION_MAX;
	np->quals.features = RELIEF_FEAT_HEARTBEAT | RELIEF_FEAT_PROC_COPY |
			     RELIEF_FEAT_DEVICE_HANDOVER;
	np->quals.hwdesc_crc = op->expect.hwdesc_crc;
	np->quals.nr_cpus_seen = 8;
	np->quals.nr_cpus_up = relief_owner_count(t, RELIEF_RES_CPU,
						  RELIEF_RES_LENT);
	np->quals.mem_bytes = relief_owner_mem_bytes(t, RELIEF_RES_LENT);
	np->required = RELIEF_FEAT_PROC_COPY;
	np->t = op->t;

	for (i = 0; i < 2; i++) {
		cfg->fault[i].abort_in = SIM_NO_STATE;
		cfg->fault[i].stop_in = SIM_NO_STATE;
	}
	cfg->limit_ms = 8000;
	cfg->poll_ns = 100000;
}

/* ------------------------------------------------- the global invariant */

/* Decoded messages between the consumer and producer index of a ring. */
static uint32_t sim_ring_peek(const struct relief_ring *r,
			      struct relief_msg *out, uint32_t max)
{
	uint32_t prod = relief_load_acquire(&r->prod.idx);
	uint32_t cons = relief_load_acquire(&r->cons.idx);
	uint32_t n = 0;

	for (; cons != prod && n < max; cons++) {
		const struct relief_wire_slot *s =
			&r->slot[cons & (RELIEF_RING_SLOTS - 1)];

		if (relief_wire_decode(s, sizeof(*s), &out[n]) ==
		    RELIEF_WIRE_OK)
			n++;
	}
	return n;
}

/*
 * relief_owner_check_global() over the published views and everything in
 * flight: both rings and both outboxes. Caller holds the lock (or is the
 * parent after both sides are gone).
 */
static void sim_check_global(struct sim_shared *sh,
			     struct relief_mailbox_layout *l, const char *who)
{
	static struct relief_msg fl[2 * (RELIEF_RING_SLOTS + SIM_OUTBOX_MAX)];
	struct relief_owner_view ov, nv;
	struct relief_owner_fault f;
	uint32_t n = 0, i, k;
	int err;

	n += sim_ring_peek(&l->ring_o2n, &fl[n], RELIEF_RING_SLOTS);
	n += sim_ring_peek(&l->ring_n2o, &fl[n], RELIEF_RING_SLOTS);
	for (k = 0; k < 2; k++)
		for (i = 0; i < sh->view[k].nr_out && i < SIM_OUTBOX_MAX; i++)
			fl[n++] = sh->view[k].out[i];
	ov = (struct relief_owner_view){ .table = &sh->view[SIM_OLD].owners,
					 .status = sh->view[SIM_OLD].status };
	nv = (struct relief_owner_view){ .table = &sh->view[SIM_NEW].owners,
					 .status = sh->view[SIM_NEW].status };
	err = relief_owner_check_global(&ov, &nv, fl, n, &f);
	sh->res.checks++;
	if (err == RELIEF_OWNER_OK)
		return;
	if (!sh->res.violations++)
		snprintf(sh->res.violation, sizeof(sh->res.violation),
			 "%s: %s at entry %u (owners 0x%x), old %s, new %s, "
			 "%u in flight", who, relief_owner_err_name(err),
			 f.index, f.owners,
			 relief_old_state_name(sh->view[SIM_OLD].state),
			 relief_new_state_name(sh->view[SIM_NEW].state), n);
}

/* ------------------------------------------------------- one side */

static uint32_t side_state(void)
{
	return side.idx == SIM_OLD ? side.old.c.state : side.new.c.state;
}

static bool side_terminal(void)
{
	return side.idx == SIM_OLD ? relief_old_terminal(&side.old) :
	       relief_new_terminal(&side.new);
}

static void side_publish(void)
{
	struct sim_view *v = &side.sh->view[side.idx];
	uint32_t i;

	if (side.idx == SIM_OLD) {
		v->status = relief_old_view_status(&side.old);
		v->owners = side.old.owners;
	} else {
		v->status = relief_new_view_status(&side.new);
		v->owners = side.new.owners;
	}
	v->state = side_state();
	v->nr_out = side.nr_out;
	for (i = 0; i < side.nr_out; i++)
		v->out[i] = side.out[i];
}

/* Push what fits; a HEARTBEAT that finds the ring full is dropped. */
static void side_flush(void)
{
	uint32_t i = 0, j;
	int rc;

	while (i < side.nr_out) {
		rc = relief_mailbox_send(&side.mb, side.role, &side.out[i]);
		if (rc == -RELIEF_RING_FULL &&
		    side.out[i].type != RELIEF_MSG_HEARTBEAT)
			break;
		if (rc == 0)
			side.r.sent |= 1u << side.out[i].type;
		else if (rc != -RELIEF_RING_FULL)
			sim_error(side.sh, "%s: relief_mailbox_send(%s): %d",
				  side.idx ? "new" : "old",
				  relief_msg_type_name(side.out[i].type), rc);
		i++;
	}
	for (j = 0; i + j < side.nr_out; j++)
		side.out[j] = side.out[i + j];
	side.nr_out = j;
}

/* Queue the completion of a local action: at once, or the injected fault */
static void side_complete(uint32_t act)
{
	const struct sim_fault *f = &side.cfg->fault[side.idx];
	struct relief_event *ev = &side.pending;

	memset(ev, 0, sizeof(*ev));
	ev->type = f->fail_act == act ? RELIEF_EV_FAILED : RELIEF_EV_DONE;
	ev->act = act;
	if (act == RELIEF_ACT_DUMP) {
		ev->u.image.phys = 8ULL << 30;
		ev->u.image.len = 1 << 20;
		ev->u.image.nr_procs = 3;
		ev->u.image.crc = 0xfeedbeefu;
	}
	side.has_pending = true;
}

static void side_act(const struct relief_action *a)
{
	if (a->type < 32)
		side.r.acts |= 1u << a->type;
	switch (a->type) {
	case RELIEF_ACT_SEND:
		if (side.nr_out >= SIM_OUTBOX_MAX) {
			sim_error(side.sh, "%s: outbox overflow",
				  side.idx ? "new" : "old");
			return;
		}
		side.out[side.nr_out++] = a->u.msg;
		break;
	case RELIEF_ACT_START_NEW:
		sim_store(&side.sh->new_go, 1);
		side_complete(a->type);
		break;
	case RELIEF_ACT_STOP_NEW:
		__atomic_store_n(&side.sh->stop_at, sim_now() +
				 side.cfg->stop_delay_ms * SIM_MS,
				 __ATOMIC_RELAXED);
		sim_store(&side.sh->stop_new, 1);
		break;
	case RELIEF_ACT_FREEZE:
	case RELIEF_ACT_DUMP:
	case RELIEF_ACT_RELEASE_DEVICE:
	case RELIEF_ACT_PARK_CPUS:
	case RELIEF_ACT_OFFLINE_MEM:
	case RELIEF_ACT_BIND_DEVICE:
	case RELIEF_ACT_RESTORE:
		side_complete(a->type);
		break;
	case RELIEF_ACT_REPORT:
		side.r.result = a->u.report.result;
		side.r.report_reason = a->u.report.reason;
		break;
	default:	/* THAW, RETAKE_DEVICES, ONLINE, PARK_SELF, HALT */
		break;
	}
}

/* The next event; false if there is nothing but time passing. */
static bool side_event(struct relief_event *ev)
{
	const struct sim_fault *f = &side.cfg->fault[side.idx];
	struct relief_rx *rx = &side.rx;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (!side.aborted && f->abort_in == side_state()) {
		side.aborted = true;
		ev->type = RELIEF_EV_ABORT;
		ev->reason = f->abort_reason;
		return true;
	}
	if (side.has_pending) {
		*ev = side.pending;
		side.has_pending = false;
		return true;
	}
	rc = relief_mailbox_recv(&side.mb, side.role, rx, &ev->u.msg);
	if (rc == -RELIEF_RING_EMPTY) {
		ev->type = RELIEF_EV_TICK;
		return false;
	}
	ev->type = RELIEF_EV_MSG;
	if (rc) {
		/* Rejected slot: an invalid message, BAD_MESSAGE to the fsm. */
		side.r.rejected++;
		memset(&ev->u.msg, 0, sizeof(ev->u.msg));
	}
	return true;
}

static void side_step(const struct relief_event *ev)
{
	struct relief_actions acts;
	uint32_t i;
	int rc;

	if (side.idx == SIM_OLD)
		rc = relief_old_step(&side.old, ev, sim_now(), &side.old,
				     &acts);
	else
		rc = relief_new_step(&side.new, ev, sim_now(), &side.new,
				     &acts);
	side.r.steps++;
	side.r.started = true;
	if (rc == RELIEF_STEP_EINVAL)
		sim_error(side.sh, "%s: step(%s) in %s: EINVAL",
			  side.idx ? "new" : "old",
			  relief_event_name(ev->type),
			  sim_state_name(side.idx, side_state()));
	for (i = 0; i < acts.nr; i++)
		side_act(&acts.a[i]);
}

/* Checks after a step, with the lock held. */
static void side_check(void)
{
	const struct relief_owner_table *t = side.idx == SIM_OLD ?
		&side.old.owners : &side.new.owners;
	struct relief_owner_fault f;
	int err = relief_owner_check(t, &f);

	if (err && !side.sh->res.violations++)
		snprintf(side.sh->res.violation,
			 sizeof(side.sh->res.violation),
			 "%s: own table %s at entry %u in %s",
			 side.idx ? "new" : "old", relief_owner_err_name(err),
			 f.index, sim_state_name(side.idx, side_state()));
	sim_check_global(side.sh, side.mb.l,
			 side.idx ? "new" : "old");
}

/* Stop for a reason the caller set in side.r; false: go on. */
static bool side_must_stop(void)
{
	if (sim_load(&side.sh->quit) || sim_now() >= side.limit_ns) {
		side.r.quit = true;
		return true;
	}
	if (side.idx == SIM_NEW && sim_load(&side.sh->stop_new) &&
	    sim_now() >= __atomic_load_n(&side.sh->stop_at,
					 __ATOMIC_RELAXED)) {
		side.r.stopped = true;
		return true;
	}
	return false;
}

static void side_loop(void)
{
	const struct sim_fault *f = &side.cfg->fault[side.idx];
	struct relief_event ev;
	bool busy;

	for (;;) {
		pthread_mutex_lock(&side.sh->lock);
		if (side_must_stop()) {
			pthread_mutex_unlock(&side.sh->lock);
			return;
		}
		side_flush();
		busy = side_event(&ev);
		side_step(&ev);
		side_flush();
		side_publish();
		side_check();
		pthread_mutex_unlock(&side.sh->lock);
		if (f->stop_in == side_state()) {
			side.r.crashed = true;
			return;
		}
		if (side_terminal() && !side.nr_out && !side.has_pending)
			return;
		if (!busy)
			sim_sleep(side.cfg->poll_ns);
	}
}

static void side_init(int idx, const struct sim_config *cfg,
		      struct sim_shared *sh)
{
	memset(&side, 0, sizeof(side));
	side.idx = idx;
	side.role = idx == SIM_OLD ? RELIEF_ROLE_OLD : RELIEF_ROLE_NEW;
	side.cfg = cfg;
	side.sh = sh;
	side.limit_ns = sim_now() + cfg->limit_ms * SIM_MS;
	relief_rx_init(&side.rx);
	relief_old_init(&side.old);
	relief_new_init(&side.new);
}

static void side_finish(void)
{
	pthread_mutex_lock(&side.sh->lock);
	side.r.state = side_state();
	side.r.reason = side.idx == SIM_OLD ? side.old.c.reason :
			side.new.c.reason;
	side.r.finished = true;
	side.sh->res.side[side.idx] = side.r;
	pthread_mutex_unlock(&side.sh->lock);
}

static void sim_old_main(const struct sim_config *cfg, struct sim_shared *sh,
			 void *mem)
{
	struct relief_event ev;
	enum relief_mb_err err;

	side_init(SIM_OLD, cfg, sh);
	pthread_mutex_lock(&sh->lock);
	err = relief_mailbox_init(mem, RELIEF_MAILBOX_SIZE);
	if (err == RELIEF_MB_OK)
		err = relief_mailbox_attach(&side.mb, mem, RELIEF_MAILBOX_SIZE);
	if (err != RELIEF_MB_OK) {
		sim_error(sh, "old: mailbox: %s", relief_mb_err_name(err));
		pthread_mutex_unlock(&sh->lock);
		side_finish();
		return;
	}
	side_publish();
	if (cfg->fault[SIM_OLD].silent) {
		pthread_mutex_unlock(&sh->lock);
		while (!side_must_stop())
			sim_sleep(cfg->poll_ns);
		side_finish();
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = RELIEF_EV_START;
	ev.u.old_plan = &cfg->old_plan;
	side_step(&ev);
	side_flush();
	side_publish();
	side_check();
	pthread_mutex_unlock(&sh->lock);
	if (cfg->fault[SIM_OLD].stop_in == side_state())
		side.r.crashed = true;
	else
		side_loop();
	side_finish();
}

/*
 * NEW boots when OLD performs START_NEW, on its own mapping of the
 * mailbox: nothing in it may depend on where OLD mapped it.
 */
static void sim_new_main(const struct sim_config *cfg, struct sim_shared *sh,
			 int fd)
{
	struct relief_event ev;
	enum relief_mb_err err;
	void *mem;

	side_init(SIM_NEW, cfg, sh);
	while (!sim_load(&sh->new_go))
		if (side_must_stop()) {
			side_finish();
			return;
		}
		else
			sim_sleep(cfg->poll_ns);
	mem = mmap(NULL, RELIEF_MAILBOX_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, 0);
	pthread_mutex_lock(&sh->lock);
	err = mem == MAP_FAILED ? RELIEF_MB_TOO_SMALL :
	      relief_mailbox_attach(&side.mb, mem, RELIEF_MAILBOX_SIZE);
	if (err != RELIEF_MB_OK) {
		sim_error(sh, "new: mailbox attach: %s",
			  relief_mb_err_name(err));
		pthread_mutex_unlock(&sh->lock);
		side_finish();
		return;
	}
	if (cfg->fault[SIM_NEW].silent || side_must_stop()) {
		pthread_mutex_unlock(&sh->lock);
		while (!side_must_stop())
			sim_sleep(cfg->poll_ns);
		side_finish();
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = RELIEF_EV_START;
	ev.u.new_plan = &cfg->new_plan;
	side_step(&ev);
	side_flush();
	side_publish();
	side_check();
	pthread_mutex_unlock(&sh->lock);
	if (cfg->fault[SIM_NEW].stop_in == side_state())
		side.r.crashed = true;
	else
		side_loop();
	side_finish();
}

/* ---------------------------------------------------------- the parent */

static void *sim_map(int fd, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A non-empty table whose every entry is @owner's. */
static bool sim_all(const struct relief_owner_table *t, uint8_t owner)
{
	uint32_t i;

	for (i = 0; i < t->nr; i++)
		if (t->res[i].owner != owner)
			return false;
	return t->nr > 0;
}

/* Wait for both children, bounded; kill what outlives the grace period. */
static void sim_reap(struct sim_shared *sh, pid_t pid[2], uint64_t limit_ns)
{
	bool done[2] = { false, false };
	int st, i;

	while (!done[0] || !done[1]) {
		for (i = 0; i < 2; i++) {
			if (done[i] || waitpid(pid[i], &st, WNOHANG) != pid[i])
				continue;
			done[i] = true;
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				sim_error(sh, "%s process died (status 0x%x)",
					  i ? "new" : "old", st);
		}
		if (sim_now() >= limit_ns)
			sim_store(&sh->quit, 1);
		if (sim_now() >= limit_ns + SIM_GRACE_MS * SIM_MS) {
			for (i = 0; i < 2; i++)
				if (!done[i]) {
					kill(pid[i], SIGKILL);
					waitpid(pid[i], &st, 0);
					done[i] = true;
					sim_error(sh, "%s process hung: killed",
						  i ? "new" : "old");
				}
		}
		sim_sleep(1000000);
	}
}

/**
 * sim_run() - one run of both sides, to the end.
 * @cfg: plans, faults, limits
 * @res: the outcome
 *
 * Return: 0 if the harness worked (the run itself may have aborted,
 * rolled back or violated the invariant: see @res), -1 if not (see
 * res->error).
 */
int sim_run(const struct sim_config *cfg, struct sim_result *res)
{
	uint64_t t0 = sim_now();
	struct sim_shared *sh = NULL;
	pthread_mutexattr_t ma;
	void *mem = NULL;
	int mfd, sfd;
	pid_t pid[2];

	memset(res, 0, sizeof(*res));
	mfd = memfd_create("relief-mailbox", 0);
	sfd = memfd_create("relief-sim", 0);
	if (mfd < 0 || sfd < 0 ||
	    ftruncate(mfd, RELIEF_MAILBOX_SIZE) ||
	    ftruncate(sfd, sizeof(*sh)) ||
	    !(mem = sim_map(mfd, RELIEF_MAILBOX_SIZE)) ||
	    !(sh = sim_map(sfd, sizeof(*sh)))) {
		snprintf(res->error, sizeof(res->error), "setup: %s",
			 strerror(errno));
		goto out;
	}
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	sh->view[SIM_NEW].status = RELIEF_VIEW_ABSENT;
	fflush(NULL);

	pid[SIM_OLD] = fork();
	if (pid[SIM_OLD] == 0) {
		sim_old_main(cfg, sh, mem);
		_exit(0);
	}
	pid[SIM_NEW] = pid[SIM_OLD] < 0 ? -1 : fork();
	if (pid[SIM_NEW] == 0) {
		sim_new_main(cfg, sh, mfd);
		_exit(0);
	}
	if (pid[SIM_OLD] < 0 || pid[SIM_NEW] < 0) {
		snprintf(res->error, sizeof(res->error), "fork: %s",
			 strerror(errno));
		sim_store(&sh->quit, 1);
		if (pid[SIM_OLD] > 0)
			waitpid(pid[SIM_OLD], NULL, 0);
		goto out;
	}
	sim_reap(sh, pid, t0 + cfg->limit_ms * SIM_MS);
	/* Both gone: the final cut is exact. */
	sim_check_global(sh, mem, "end");
	*res = sh->res;
	res->old_all_old = sim_all(&sh->view[SIM_OLD].owners, RELIEF_OWN_OLD);
	res->old_all_new = sim_all(&sh->view[SIM_OLD].owners, RELIEF_OWN_NEW);
	res->new_all_new = sim_all(&sh->view[SIM_NEW].owners, RELIEF_OWN_NEW);
	res->elapsed_ms = (sim_now() - t0) / SIM_MS;
out:
	if (sh) {
		pthread_mutex_destroy(&sh->lock);
		munmap(sh, sizeof(*sh));
	}
	if (mem)
		munmap(mem, RELIEF_MAILBOX_SIZE);
	if (mfd >= 0)
		close(mfd);
	if (sfd >= 0)
		close(sfd);
	return res->error[0] ? -1 : 0;
}

/**
 * sim_describe() - one line about a run, for failure messages.
 * @res: the outcome
 * @buf: where to write
 * @len: its size
 */
void sim_describe(const struct sim_result *res, char *buf, size_t len)
{
	const struct sim_side_result *o = &res->side[SIM_OLD];
	const struct sim_side_result *n = &res->side[SIM_NEW];

	snprintf(buf, len,
		 "old %s (%s)%s%s, new %s (%s)%s%s%s; %u checks, %u "
		 "violations%s%s%s%s; %llu ms",
		 relief_old_state_name(o->state),
		 relief_reason_name(o->reason), o->crashed ? " crashed" : "",
		 o->quit ? " quit" : "", relief_new_state_name(n->state),
		 relief_reason_name(n->reason), n->crashed ? " crashed" : "",
		 n->stopped ? " stopped" : "", n->quit ? " quit" : "",
		 res->checks, res->violations,
		 res->violation[0] ? ": " : "", res->violation,
		 res->error[0] ? "; harness: " : "", res->error,
		 (unsigned long long)res->elapsed_ms);
}
