/*
 * relief.pml - SPIN model of the relief handoff: both state machines
 * (proto/relief_fsm_old.c, proto/relief_fsm_new.c) as processes, one
 * mailbox channel per direction, crashing peers, nondeterministic
 * deadlines, and the ownership invariant of relief_owner_check_global().
 *
 * Documentation/relief/model.rst explains the abstraction, the properties
 * and how to run it. State names and numbers are those of enum
 * relief_old_state / enum relief_new_state without the RELIEF_ prefix.
 *
 * Knobs (-D on the spin -a command line):
 *   MAX_CRASH n     crashes allowed per run, either side (default 1)
 *   MAX_LOSS n      messages garbled in flight per run (default 0)
 *   ND n            devices handed over (default 1)
 *   BROKEN_RECLAIM  negative control: OLD takes a released CPU back while
 *                   waiting for TRANSFER_ACK, without rolling back
 *   BROKEN_ACKED_GIVEUP  negative control: NEW in ACKED has a deadline and
 *                   rolls back on its own (what relief_fsm_new.c forbids)
 *   BROKEN_LIVELOCK negative control for the ltl claim: NEW in ACKED may
 *                   spin for ever
 *   EXACT_UNDER_LOSS  keep the exact one-owner rule in loss runs (fails:
 *                   shows the gap described in model.rst)
 *   REACH_*         cover checks: assert that no run ends so (below), so
 *                   that pan must find a run that does
 */

#ifndef MAX_CRASH
#define MAX_CRASH 1
#endif
#ifndef MAX_LOSS
#define MAX_LOSS 0
#endif
#ifndef ND
#define ND 1
#endif

/* enum relief_old_state */
#define OLD_IDLE		0
#define OLD_STARTING		1
#define OLD_WAIT_READY		2
#define OLD_READY_SENT		3
#define OLD_FREEZING		4
#define OLD_DUMPING		5
#define OLD_RELEASING_DEVICE	6
#define OLD_PARKING_CPUS	7
#define OLD_OFFLINING_MEM	8
#define OLD_WAIT_ACK		9
#define OLD_ABORTED		10
#define OLD_ROLLED_BACK		11
#define OLD_STOOD_RELIEVED	12

/* enum relief_new_state */
#define NEW_BOOTING		0
#define NEW_WAIT_ANSWER		1
#define NEW_HOLDING		2
#define NEW_COMMITTED		3
#define NEW_RECEIVING		4
#define NEW_BINDING		5
#define NEW_RESTORING		6
#define NEW_ACKED		7
#define NEW_ABORTED		8
#define NEW_ROLLED_BACK		9
#define NEW_RELIEVED		10

/* enum relief_msg_type; 0 (NONE) stands for a slot the receiver rejects. */
#define MSG_BAD			0
#define MSG_READY_TO_RELIEVE	1
#define MSG_READY_TO_BE_RELIEVED 2
#define MSG_I_RELIEVE_YOU	3
#define MSG_I_STAND_RELIEVED	4
#define MSG_ABORT		5
#define MSG_ROLLBACK		6
#define MSG_PROC_IMAGE		8
#define MSG_DEVICE_HANDOVER	9
#define MSG_CPU_RELEASE		10
#define MSG_MEM_RELEASE		11
#define MSG_TRANSFER_DONE	12
#define MSG_TRANSFER_ACK	13

/* enum relief_view_status */
#define VIEW_ABSENT		0
#define VIEW_ACTIVE		1
#define VIEW_LEFT		2
#define VIEW_DONE		3

/* RELIEF_OWN_*, RELIEF_RES_* */
#define OWN_OLD			1
#define OWN_NEW			2
#define RES_LENT		1
#define RES_KEEP		2
#define RES_CPU			1
#define RES_MEM			2

/*
 * The machine: CPU0 KEEP (OLD runs on it to the end), CPU1 released
 * during the transfer, CPU2 and CPU3 LENT (NEW's partition), MEM0 released
 * during the transfer. Index = entry in both tables.
 */
#define NRES			5
#define QLEN			8

byte rkind[NRES];
byte rflags[NRES];

byte ostate = OLD_IDLE;
byte nstate = NEW_BOOTING;
byte otab[NRES];		/* OLD's table: OWN_* per resource */
byte ntab[NRES];		/* NEW's table, meaningful once nt_valid */
bit nt_valid;			/* NEW ran relief_new_start (table not empty) */
bit rehearsal;			/* OLD's plan: RELIEF_PLAN_REHEARSAL */
bit frozen;			/* OLD: THAW on rollback */
bit parked;			/* OLD: ONLINE on rollback */
byte o_devs;			/* OLD: c.dev_done */
byte n_devs;			/* NEW: c.nr_devices (handovers received) */
byte n_bound;			/* NEW: c.dev_done (devices bound) */
byte o_parking;			/* OLD: mask of CPUs in the PARK_CPUS batch */
byte o_offlining = 255;		/* OLD: entry in OFFLINE_MEM, or 255 (-1) */

bit new_started;		/* OLD performed START_NEW */
bit stop_req;			/* OLD performed STOP_NEW ... */
bit new_stopped;		/* ... and it landed: NEW takes no more steps */
bit old_crashed;
bit new_crashed;
byte crashes = MAX_CRASH;
byte losses = MAX_LOSS;
bit o_rx_broken;		/* OLD rejected a slot: rx never advances */
bit n_rx_broken;

/* History, for the end-state properties. */
bit old_committed_ever;		/* OLD read I_RELIEVE_YOU */
bit settled;			/* the end-state check ran */
bit crossed;			/* NEW read ABORT after I_RELIEVE_YOU */
bit held;			/* NEW entered HOLDING */

/* Ghosts: decodable messages in flight, as relief_owner_check_global sees */
byte g_grant[NRES];		/* CPU_RELEASE / MEM_RELEASE naming r */
byte g_isr;			/* I_STAND_RELIEVED */
byte g_q;			/* NEW's ABORT / ROLLBACK */

chan o2n = [QLEN] of { byte, byte };	/* type, resource mask */
chan n2o = [QLEN] of { byte, byte };

hidden byte gi;
hidden byte by_old, by_new;
hidden byte os, ns;
hidden byte m_t, m_a;
hidden byte ok;
hidden byte n_old_all, n_new_all;

#define OLD_TERMINAL	(ostate >= OLD_ABORTED)
#define OLD_COMMITTED	(ostate >= OLD_FREEZING && ostate <= OLD_WAIT_ACK)
#define NEW_TERMINAL	(nstate >= NEW_ABORTED)
#define NEW_COMMITTED_S	(nstate >= NEW_COMMITTED && nstate <= NEW_ACKED)
#define OLD_GONE	(old_crashed || OLD_TERMINAL)
#define NEW_GONE	(new_crashed || new_stopped || NEW_TERMINAL)
#define NV(r)		(nt_valid && ntab[r] == OWN_NEW)
#define BIT(r)		(1 << (r))

/*
 * The invariant: exactly one claimant (else ENONE or EBOTH). With loss a
 * rejected slot is no decoded message, so it grants nothing and the
 * resources it carried have no owner until the receiver reads it (see
 * model.rst); the loss runs check only that no resource has two owners,
 * and EXACT_UNDER_LOSS keeps the exact rule to show the gap.
 */
#if MAX_LOSS > 0 && !defined(EXACT_UNDER_LOSS)
#define ONE_OWNER	(!(by_old && by_new))
#define ALL_OLD		(n_new_all == 0)
#define ALL_NEW		(n_old_all == 0)
#else
#define ONE_OWNER	(by_old != by_new)
#define ALL_OLD		(n_old_all == NRES)
#define ALL_NEW		(n_new_all == NRES)
#endif

/* relief_old_view_status / relief_new_view_status */
inline view_status()
{
	if
	:: ostate == OLD_STOOD_RELIEVED -> os = VIEW_DONE
	:: ostate == OLD_ABORTED || ostate == OLD_ROLLED_BACK -> os = VIEW_LEFT
	:: else -> os = VIEW_ACTIVE
	fi;
	if
	:: nstate == NEW_BOOTING -> ns = VIEW_ABSENT
	:: nstate == NEW_ABORTED || nstate == NEW_ROLLED_BACK -> ns = VIEW_LEFT
	:: nstate == NEW_RELIEVED -> ns = VIEW_DONE
	:: else -> ns = VIEW_ACTIVE
	fi
}

/* Who claims resource gi, by the rule of relief_owner_check_global(). */
inline claims()
{
	by_old = (otab[gi] == OWN_OLD) ||
		 (os == VIEW_ACTIVE && ns == VIEW_LEFT && g_q > 0);
	if
	:: os == VIEW_LEFT -> by_new = (ns == VIEW_DONE && NV(gi))
	:: os != VIEW_LEFT && ns == VIEW_ABSENT ->
		by_new = (os == VIEW_ACTIVE && otab[gi] == OWN_NEW)
	:: os != VIEW_LEFT && (ns == VIEW_ACTIVE || ns == VIEW_DONE) ->
		by_new = (NV(gi) || g_grant[gi] > 0 || g_isr > 0)
	:: os != VIEW_LEFT && ns == VIEW_LEFT -> by_new = 0
	fi
}

/* After every step: both tables valid, every resource one owner. */
inline check_global()
{
	view_status();
	gi = 0;
	do
	:: gi < NRES ->
		assert(otab[gi] == OWN_OLD || otab[gi] == OWN_NEW);
		assert(!nt_valid || ntab[gi] == OWN_OLD || ntab[gi] == OWN_NEW);
		claims();
		assert(ONE_OWNER);
		gi++
	:: else -> break
	od;
	gi = 0; by_old = 0; by_new = 0; os = 0; ns = 0
}

/* Publish a message; it may be garbled (rejected by the receiver). */
inline o_send(t, a)
{
	assert(len(o2n) < QLEN);
	if
	:: losses > 0 -> losses--; o2n!MSG_BAD,0
	:: true ->
		o2n!t,a;
		if
		:: t == MSG_I_STAND_RELIEVED -> g_isr++
		:: t == MSG_CPU_RELEASE || t == MSG_MEM_RELEASE ->
			gi = 0;
			do
			:: gi < NRES && (a & BIT(gi)) -> g_grant[gi]++; gi++
			:: gi < NRES && !(a & BIT(gi)) -> gi++
			:: else -> break
			od;
			gi = 0
		:: else -> skip
		fi
	fi
}

inline n_send(t)
{
	assert(len(n2o) < QLEN);
	if
	:: losses > 0 -> losses--; n2o!MSG_BAD,0
	:: true ->
		n2o!t,0;
		if
		:: t == MSG_ABORT || t == MSG_ROLLBACK -> g_q++
		:: else -> skip
		fi
	fi
}

/* Consume the head of a channel into m_t/m_a, settling the ghosts. */
inline o_recv()
{
	n2o?m_t,m_a;
	if
	:: m_t == MSG_ABORT || m_t == MSG_ROLLBACK -> g_q--
	:: else -> skip
	fi;
	if
	:: m_t == MSG_BAD -> o_rx_broken = 1
	:: else -> skip
	fi;
	if
	:: o_rx_broken -> m_t = MSG_BAD	/* OUT_OF_ORDER from now on */
	:: else -> skip
	fi
}

inline n_recv()
{
	o2n?m_t,m_a;
	if
	:: m_t == MSG_I_STAND_RELIEVED -> g_isr--
	:: m_t == MSG_CPU_RELEASE || m_t == MSG_MEM_RELEASE ->
		gi = 0;
		do
		:: gi < NRES && (m_a & BIT(gi)) -> g_grant[gi]--; gi++
		:: gi < NRES && !(m_a & BIT(gi)) -> gi++
		:: else -> break
		od;
		gi = 0
	:: else -> skip
	fi;
	if
	:: m_t == MSG_BAD -> n_rx_broken = 1
	:: else -> skip
	fi;
	if
	:: n_rx_broken -> m_t = MSG_BAD
	:: else -> skip
	fi
}

/* ---------------------------------------------------------------- OLD */

/* old_leave(): abort before commit, roll back after; STOP_NEW at once. */
inline old_leave(peer)
{
	if
	:: ostate != OLD_IDLE ->
		if
		:: !peer && OLD_COMMITTED -> o_send(MSG_ROLLBACK, 0)
		:: !peer && !OLD_COMMITTED -> o_send(MSG_ABORT, 0)
		:: else -> skip
		fi;
		stop_req = 1
	:: else -> skip
	fi;
	gi = 0;
	do
	:: gi < NRES -> otab[gi] = OWN_OLD; gi++
	:: else -> break
	od;
	gi = 0;
	if
	:: OLD_COMMITTED -> ostate = OLD_ROLLED_BACK
	:: else -> ostate = OLD_ABORTED
	fi;
	frozen = 0; parked = 0; o_offlining = 255; o_parking = 0
}

/* old_next_mem(): one transfer-time range at a time, then TRANSFER_DONE */
inline old_next_mem()
{
	gi = 0;
	do
	:: gi < NRES && rkind[gi] == RES_MEM && rflags[gi] == 0 &&
	   otab[gi] == OWN_OLD -> break
	:: gi < NRES && !(rkind[gi] == RES_MEM && rflags[gi] == 0 &&
	   otab[gi] == OWN_OLD) -> gi++
	:: gi >= NRES -> break
	od;
	if
	:: gi < NRES ->
		o_offlining = gi; parked = 1; ostate = OLD_OFFLINING_MEM
	:: else ->
		o_send(MSG_TRANSFER_DONE, 0);
		ostate = OLD_WAIT_ACK
	fi;
	gi = 0
}

/* old_next_cpus(): every transfer-time CPU still OLD's, in one batch. */
inline old_next_cpus()
{
	o_parking = 0;
	gi = 0;
	do
	:: gi < NRES ->
		if
		:: rkind[gi] == RES_CPU && rflags[gi] == 0 &&
		   otab[gi] == OWN_OLD -> o_parking = o_parking | BIT(gi)
		:: else -> skip
		fi;
		gi++
	:: else -> break
	od;
	gi = 0;
	if
	:: o_parking != 0 -> parked = 1; ostate = OLD_PARKING_CPUS
	:: else -> old_next_mem()
	fi
}

inline old_next_device()
{
	if
	:: o_devs < ND -> ostate = OLD_RELEASING_DEVICE
	:: else -> old_next_cpus()
	fi
}

/* old_done(): the local action of the current state completed. */
inline old_done()
{
	if
	:: ostate == OLD_STARTING -> ostate = OLD_WAIT_READY
	:: ostate == OLD_FREEZING -> ostate = OLD_DUMPING
	:: ostate == OLD_DUMPING ->
		o_send(MSG_PROC_IMAGE, 0);
		old_next_device()
	:: ostate == OLD_RELEASING_DEVICE ->
		o_send(MSG_DEVICE_HANDOVER, 0);
		o_devs++;
		old_next_device()
	:: ostate == OLD_PARKING_CPUS ->
		/* NEW's from the instant the release is published. */
		gi = 0;
		do
		:: gi < NRES ->
			if
			:: o_parking & BIT(gi) -> otab[gi] = OWN_NEW
			:: else -> skip
			fi;
			gi++
		:: else -> break
		od;
		gi = 0;
		o_send(MSG_CPU_RELEASE, o_parking);
		old_next_cpus()
	:: ostate == OLD_OFFLINING_MEM ->
		otab[o_offlining] = OWN_NEW;
		o_send(MSG_MEM_RELEASE, BIT(o_offlining));
		o_offlining = 255;
		old_next_mem()
	fi
}

/* old_msg(): a message from NEW (m_t); anything unlisted is UNEXPECTED. */
inline old_msg()
{
	if
	:: m_t == MSG_BAD -> old_leave(0)		/* BAD_MESSAGE */
	:: m_t == MSG_ABORT && !OLD_COMMITTED -> old_leave(1)
	:: m_t == MSG_ROLLBACK && OLD_COMMITTED -> old_leave(1)
	:: m_t == MSG_READY_TO_RELIEVE && ostate == OLD_WAIT_READY ->
		if
		:: true ->	/* relief_qualify_check() passes; arg 1: the
				 * agreed set cannot move processes */
			o_send(MSG_READY_TO_BE_RELIEVED, rehearsal);
			ostate = OLD_READY_SENT
		:: true -> old_leave(0)	/* refused: PROTO_VERSION, ... */
		fi
	:: m_t == MSG_I_RELIEVE_YOU && ostate == OLD_READY_SENT && !rehearsal ->
		old_committed_ever = 1;	/* the commit point */
		frozen = 1;
		ostate = OLD_FREEZING
	:: m_t == MSG_TRANSFER_ACK && ostate == OLD_WAIT_ACK ->
		gi = 0;
		do
		:: gi < NRES -> otab[gi] = OWN_NEW; gi++
		:: else -> break
		od;
		gi = 0;
		o_send(MSG_I_STAND_RELIEVED, 0);
		frozen = 0; parked = 0;
		ostate = OLD_STOOD_RELIEVED
	:: else -> old_leave(0)				/* UNEXPECTED */
	fi
}

/* The local action pending in this state, if any (old_pending[]). */
#define OLD_PENDING	(ostate == OLD_STARTING || \
			 (ostate >= OLD_FREEZING && ostate <= OLD_OFFLINING_MEM))

proctype Old()
{
	do
	:: atomic { OLD_GONE -> break }
	/* Operator start: the partition is NEW's from START_NEW on. */
	:: atomic { !OLD_GONE && ostate == OLD_IDLE ->
		gi = 0;
		do
		:: gi < NRES ->
			if
			:: rflags[gi] == RES_LENT -> otab[gi] = OWN_NEW
			:: else -> skip
			fi;
			gi++
		:: else -> break
		od;
		gi = 0;
		if
		:: rehearsal = 0
		:: rehearsal = 1
		fi;
		new_started = 1;
		ostate = OLD_STARTING;
		check_global() }
	/* Operator abort (or local panic), any non-terminal state. */
	:: atomic { !OLD_GONE ->
		if
		:: ostate == OLD_IDLE -> old_leave(1)
		:: else -> old_leave(0)
		fi;
		check_global() }
	/* Deadline or heartbeat loss: every state but IDLE has a deadline. */
	:: atomic { !OLD_GONE && ostate != OLD_IDLE ->
		old_leave(0);
		check_global() }
	/* The pending local action completes or fails. */
	:: atomic { !OLD_GONE && OLD_PENDING -> old_done(); check_global() }
	:: atomic { !OLD_GONE && OLD_PENDING -> old_leave(0); check_global() }
	/* A message from NEW. */
	:: atomic { !OLD_GONE && ostate != OLD_IDLE && nempty(n2o) ->
		o_recv();
		old_msg();
		m_t = 0; m_a = 0;
		check_global() }
#ifdef BROKEN_RECLAIM
	:: atomic { !OLD_GONE && ostate == OLD_WAIT_ACK ->
		otab[1] = OWN_OLD;
		check_global() }
#endif
	:: atomic { !OLD_GONE && crashes > 0 ->
		crashes--; old_crashed = 1; check_global() }
	od
}

/* ---------------------------------------------------------------- NEW */

/* new_end(): give everything back in the instant the message is out. */
inline new_end(peer, commit)
{
	if
	:: !peer && commit -> n_send(MSG_ROLLBACK)
	:: !peer && !commit -> n_send(MSG_ABORT)
	:: else -> skip
	fi;
	gi = 0;
	do
	:: gi < NRES -> ntab[gi] = OWN_OLD; gi++
	:: else -> break
	od;
	gi = 0;
	if
	:: commit -> nstate = NEW_ROLLED_BACK
	:: else -> nstate = NEW_ABORTED
	fi
}

inline new_leave(peer)
{
	if
	:: NEW_COMMITTED_S -> new_end(peer, 1)
	:: else -> new_end(peer, 0)
	fi
}

/* new_reject(): in ACKED only OLD can end the run: say so, stay. */
inline new_reject()
{
	if
	:: nstate != NEW_ACKED -> new_leave(0)
	:: else -> n_send(MSG_ROLLBACK)
	fi
}

inline new_next_bind()
{
	if
	:: n_bound < n_devs -> nstate = NEW_BINDING
	:: else -> nstate = NEW_RESTORING
	fi
}

/* new_take_cpus() / new_take_mem(): known, OLD's, not LENT; all or none */
inline new_take(mask)
{
	ok = (mask != 0);
	gi = 0;
	do
	:: gi < NRES ->
		if
		:: (mask & BIT(gi)) &&
		   (ntab[gi] != OWN_OLD || rflags[gi] == RES_LENT) -> ok = 0
		:: else -> skip
		fi;
		gi++
	:: else -> break
	od;
	gi = 0;
	if
	:: ok ->
		do
		:: gi < NRES ->
			if
			:: mask & BIT(gi) -> ntab[gi] = OWN_NEW
			:: else -> skip
			fi;
			gi++
		:: else -> break
		od;
		gi = 0;
		nstate = NEW_RECEIVING
	:: else -> new_leave(0)	/* BAD_MESSAGE */
	fi;
	ok = 0
}

inline new_msg()
{
	if
	:: m_t == MSG_BAD -> new_reject()		/* BAD_MESSAGE */
	:: m_t == MSG_ABORT && nstate <= NEW_COMMITTED ->
		crossed = crossed || nstate == NEW_COMMITTED;
		new_end(1, 0)
	:: m_t == MSG_ROLLBACK && NEW_COMMITTED_S -> new_leave(1)
	:: m_t == MSG_READY_TO_BE_RELIEVED && nstate == NEW_WAIT_ANSWER ->
		if
		:: m_a == 0 ->	/* relief_qualify_check_answer() passes */
			n_send(MSG_I_RELIEVE_YOU);
			nstate = NEW_COMMITTED
		:: m_a == 1 ->	/* passes, a rehearsal: hold */
			held = 1;
			nstate = NEW_HOLDING
		:: true -> new_leave(0)	/* refused */
		fi
	:: m_t == MSG_PROC_IMAGE && nstate == NEW_COMMITTED ->
		nstate = NEW_RECEIVING
	:: m_t == MSG_DEVICE_HANDOVER && nstate == NEW_RECEIVING ->
		n_devs++
	:: m_t == MSG_CPU_RELEASE && nstate == NEW_RECEIVING -> new_take(m_a)
	:: m_t == MSG_MEM_RELEASE && nstate == NEW_RECEIVING -> new_take(m_a)
	:: m_t == MSG_TRANSFER_DONE && nstate == NEW_RECEIVING ->
		if
		:: n_devs == ND -> new_next_bind()
		:: else -> new_leave(0)	/* BAD_MESSAGE */
		fi
	:: m_t == MSG_I_STAND_RELIEVED && nstate == NEW_ACKED ->
		gi = 0;
		do
		:: gi < NRES -> ntab[gi] = OWN_NEW; gi++
		:: else -> break
		od;
		gi = 0;
		nstate = NEW_RELIEVED
	:: else -> new_reject()				/* UNEXPECTED */
	fi
}

/* States with a deadline (and, from COMMITTED, the heartbeat watch). */
#define NEW_DEADLINE	(nstate >= NEW_WAIT_ANSWER && nstate <= NEW_RESTORING)

proctype New()
{
end_new:
	do
	:: atomic { NEW_GONE -> break }
	/* The kernel is up on the partition OLD lent it. */
	:: atomic { !NEW_GONE && nstate == NEW_BOOTING && new_started ->
		gi = 0;
		do
		:: gi < NRES ->
			if
			:: rflags[gi] == RES_LENT -> ntab[gi] = OWN_NEW
			:: else -> ntab[gi] = OWN_OLD
			fi;
			gi++
		:: else -> break
		od;
		gi = 0;
		nt_valid = 1;
		n_send(MSG_READY_TO_RELIEVE);
		nstate = NEW_WAIT_ANSWER;
		check_global() }
	/* Local abort or panic: ignored in ACKED. */
	:: atomic { !NEW_GONE && new_started && nstate != NEW_ACKED ->
		new_leave(0);
		check_global() }
	:: atomic { !NEW_GONE && NEW_DEADLINE -> new_leave(0); check_global() }
#ifdef BROKEN_ACKED_GIVEUP
	:: atomic { !NEW_GONE && nstate == NEW_ACKED ->
		new_end(0, 1); check_global() }
#endif
#ifdef BROKEN_LIVELOCK
	/* NEW in ACKED may spin for ever (say, re-sending TRANSFER_ACK). */
	:: !NEW_GONE && nstate == NEW_ACKED -> skip
#endif
	/* BIND_DEVICE / RESTORE complete or fail. */
	:: atomic { !NEW_GONE && nstate == NEW_BINDING ->
		n_bound++; new_next_bind(); check_global() }
	:: atomic { !NEW_GONE && nstate == NEW_RESTORING ->
		n_send(MSG_TRANSFER_ACK);
		nstate = NEW_ACKED;
		check_global() }
	:: atomic { !NEW_GONE && (nstate == NEW_BINDING ||
				 nstate == NEW_RESTORING) ->
		new_leave(0); check_global() }
	/* A message from OLD (NEW reads the ring once it runs its machine). */
	:: atomic { !NEW_GONE && nstate != NEW_BOOTING && nempty(o2n) ->
		n_recv();
		new_msg();
		m_t = 0; m_a = 0;
		check_global() }
	/*
	 * STOP_NEW lands some time after OLD asked: NEW may still read
	 * OLD's ABORT/ROLLBACK first. Its claims are void from OLD's step on.
	 */
	:: atomic { !NEW_GONE && stop_req -> new_stopped = 1; check_global() }
	:: atomic { !NEW_GONE && new_started && crashes > 0 ->
		crashes--; new_crashed = 1; check_global() }
	od
}

/* ------------------------------------------------------------ the end */

/*
 * Runs once nothing else can move. Every run gets here: without
 * heartbeats every step consumes a message or moves a machine forward.
 */
inline check_end()
{
	/* OLD always has a deadline or a start: it ends or crashes. */
	assert(old_crashed || OLD_TERMINAL);
	/*
	 * NEW ends, crashes, is stopped, or was never started; or it waits in
	 * ACKED for an OLD that crashed (or, with loss, whose
	 * I_STAND_RELIEVED it rejected): only OLD can end the run there.
	 */
	assert(NEW_GONE || (nstate == NEW_BOOTING && !new_started) ||
	       (nstate == NEW_ACKED && (old_crashed || MAX_LOSS > 0)));
	view_status();
	n_old_all = 0; n_new_all = 0;
	gi = 0;
	do
	:: gi < NRES ->
		claims();
		assert(ONE_OWNER);
		if
		:: by_old -> n_old_all++
		:: else -> skip
		fi;
		if
		:: by_new -> n_new_all++
		:: else -> skip
		fi;
		gi++
	:: else -> break
	od;
	/* Abort before commit, and every rollback: OLD owns everything. */
	assert(!(ostate == OLD_ABORTED || ostate == OLD_ROLLED_BACK) || ALL_OLD);
	/* OLD stood relieved: NEW owns everything, and was not stopped. */
	assert(ostate != OLD_STOOD_RELIEVED || (ALL_NEW && !stop_req));
	/* A rehearsal never commits. */
	assert(!(rehearsal && old_committed_ever));
	/* Nobody committed, and the run ended on either side: all OLD's. */
	assert(old_committed_ever || !(OLD_TERMINAL || NEW_TERMINAL) || ALL_OLD);
	/*
	 * Any run that ended on either side: all NEW's or all OLD's. The run
	 * does not end only if both sides crashed, or in the documented gap:
	 * NEW waits in ACKED for an OLD that died in WAIT_ACK (or, with loss,
	 * whose I_STAND_RELIEVED it rejected).
	 */
	assert(!(OLD_TERMINAL || NEW_TERMINAL) || ALL_OLD || ALL_NEW);
	assert(OLD_TERMINAL || NEW_TERMINAL || nstate == NEW_ACKED ||
	       (old_crashed && new_crashed) ||
	       (old_crashed && nstate == NEW_BOOTING && !new_started));
#if defined(REACH_RELIEVED)
	assert(!(ostate == OLD_STOOD_RELIEVED && nstate == NEW_RELIEVED));
#elif defined(REACH_ROLLBACK_NEW_DEAD)
	assert(!(new_crashed && ostate == OLD_ROLLED_BACK));
#elif defined(REACH_ABORT_CROSSING)
	assert(!(crossed && ostate == OLD_ABORTED && nstate == NEW_ABORTED));
#elif defined(REACH_ACKED_GAP)
	assert(!(old_crashed && ostate == OLD_WAIT_ACK && nstate == NEW_ACKED));
#elif defined(REACH_REHEARSAL)
	assert(!(held && ostate == OLD_ABORTED && nstate == NEW_ABORTED));
#elif defined(REACH_ROLLBACK_OLD_DEAD)
	assert(!(old_crashed && nstate == NEW_ROLLED_BACK));
#endif
	settled = 1
}

active proctype Monitor()
{
	timeout -> atomic { check_end() }
}

init {
	atomic {
		rkind[0] = RES_CPU; rflags[0] = RES_KEEP;
		rkind[1] = RES_CPU; rflags[1] = 0;
		rkind[2] = RES_CPU; rflags[2] = RES_LENT;
		rkind[3] = RES_CPU; rflags[3] = RES_LENT;
		rkind[4] = RES_MEM; rflags[4] = 0;
		gi = 0;
		do
		:: gi < NRES -> otab[gi] = OWN_OLD; gi++
		:: else -> break
		od;
		gi = 0;
		check_global();
		run Old();
		run New()
	}
}

/* Every run settles: no livelock, the end-state check always runs. */
ltl terminates { <> settled }
