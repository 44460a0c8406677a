// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_fsm_common.c - the pieces both state machines share: building the
 * action list and the messages they send, deadlines, names.
 */
#include "relief_fsm.h"

/**
 * relief_fsm_push() - append an action.
 * @acts: the list
 * @type: enum relief_action_type
 *
 * Transitions are written so that none asks for more than
 * RELIEF_ACTIONS_MAX actions; a full list is a bug, and the action is
 * dropped rather than overflowing.
 *
 * Return: the zeroed action to fill in, or NULL if the list is full.
 */
struct relief_action *relief_fsm_push(struct relief_actions *acts,
				      uint32_t type)
{
	struct relief_action *a;

	if (acts->nr >= RELIEF_ACTIONS_MAX)
		return NULL;
	a = &acts->a[acts->nr++];
	*a = (struct relief_action){ .type = type };
	return a;
}

/**
 * relief_fsm_send() - append a SEND of a fresh message.
 * @c: the sender's machine (its sequence number advances)
 * @acts: the list
 * @role: enum relief_role of the sender
 * @type: enum relief_msg_type
 *
 * Return: the message to fill in the payload of, or NULL if the list is
 * full.
 */
struct relief_msg *relief_fsm_send(struct relief_fsm_common *c,
				   struct relief_actions *acts, uint32_t role,
				   uint32_t type)
{
	struct relief_action *a = relief_fsm_push(acts, RELIEF_ACT_SEND);

	if (!a)
		return NULL;
	a->u.msg.type = type;
	a->u.msg.sender = role;
	a->u.msg.seq = ++c->tx_seq;
	return &a->u.msg;
}

/**
 * relief_fsm_send_reason() - append a SEND of ABORT or ROLLBACK.
 * @c: the sender's machine
 * @acts: the list
 * @role: enum relief_role of the sender
 * @type: RELIEF_MSG_ABORT or RELIEF_MSG_ROLLBACK
 * @reason: enum relief_reason
 * @text: NUL-terminated diagnostic, truncated to fit
 */
void relief_fsm_send_reason(struct relief_fsm_common *c,
			    struct relief_actions *acts, uint32_t role,
			    uint32_t type, uint32_t reason, const char *text)
{
	struct relief_msg *m = relief_fsm_send(c, acts, role, type);
	uint32_t i;

	if (!m)
		return;
	m->u.reason.reason = reason;
	for (i = 0; i + 1 < RELIEF_TEXT_LEN && text[i]; i++)
		m->u.reason.text[i] = text[i];
	m->u.reason.text[i] = '\0';
}

/**
 * relief_fsm_report() - append the REPORT of how the run ended.
 * @acts: the list
 * @result: enum relief_result
 * @reason: enum relief_reason
 */
void relief_fsm_report(struct relief_actions *acts, uint32_t result,
		       uint32_t reason)
{
	struct relief_action *a = relief_fsm_push(acts, RELIEF_ACT_REPORT);

	if (!a)
		return;
	a->u.report.result = result;
	a->u.report.reason = reason;
}

/**
 * relief_fsm_heartbeat() - append a HEARTBEAT if one is due.
 * @c: the sender's machine
 * @acts: the list
 * @role: enum relief_role of the sender
 * @now_ns: the caller's clock
 */
void relief_fsm_heartbeat(struct relief_fsm_common *c,
			  struct relief_actions *acts, uint32_t role,
			  uint64_t now_ns)
{
	struct relief_msg *m;

	if (!c->t.hb_period_ns || now_ns < c->next_hb_ns)
		return;
	m = relief_fsm_send(c, acts, role, RELIEF_MSG_HEARTBEAT);
	if (!m)
		return;
	m->u.heartbeat.count = ++c->hb_count;
	m->u.heartbeat.now_ns = now_ns;
	c->next_hb_ns = relief_fsm_deadline(now_ns, c->t.hb_period_ns);
}

/**
 * relief_fsm_deadline() - absolute deadline @timeout_ns after @now_ns.
 * @now_ns: the caller's clock
 * @timeout_ns: relative timeout, > 0
 *
 * Return: the sum, saturated so that a huge timeout means "never".
 */
uint64_t relief_fsm_deadline(uint64_t now_ns, uint64_t timeout_ns)
{
	return now_ns + timeout_ns < now_ns ? UINT64_MAX : now_ns + timeout_ns;
}

/**
 * relief_action_name() - name of an enum relief_action_type value.
 * @type: the value
 *
 * Return: the enum name without its RELIEF_ACT_ prefix, "?" if unknown.
 */
const char *relief_action_name(uint32_t type)
{
	static const char *const names[RELIEF_ACT_COUNT] = {
		[RELIEF_ACT_NONE] = "NONE",
		[RELIEF_ACT_SEND] = "SEND",
		[RELIEF_ACT_START_NEW] = "START_NEW",
		[RELIEF_ACT_STOP_NEW] = "STOP_NEW",
		[RELIEF_ACT_FREEZE] = "FREEZE",
		[RELIEF_ACT_DUMP] = "DUMP",
		[RELIEF_ACT_THAW] = "THAW",
		[RELIEF_ACT_RELEASE_DEVICE] = "RELEASE_DEVICE",
		[RELIEF_ACT_RETAKE_DEVICES] = "RETAKE_DEVICES",
		[RELIEF_ACT_PARK_CPUS] = "PARK_CPUS",
		[RELIEF_ACT_OFFLINE_MEM] = "OFFLINE_MEM",
		[RELIEF_ACT_ONLINE] = "ONLINE",
		[RELIEF_ACT_PARK_SELF] = "PARK_SELF",
		[RELIEF_ACT_BIND_DEVICE] = "BIND_DEVICE",
		[RELIEF_ACT_RESTORE] = "RESTORE",
		[RELIEF_ACT_HALT] = "HALT",
		[RELIEF_ACT_REPORT] = "REPORT",
	};

	return type < RELIEF_ACT_COUNT ? names[type] : "?";
}

/**
 * relief_event_name() - name of an enum relief_event_type value.
 * @type: the value
 *
 * Return: the enum name without its RELIEF_EV_ prefix, "?" if unknown.
 */
const char *relief_event_name(uint32_t type)
{
	static const char *const names[RELIEF_EV_COUNT] = {
		[RELIEF_EV_NONE] = "NONE",
		[RELIEF_EV_START] = "START",
		[RELIEF_EV_MSG] = "MSG",
		[RELIEF_EV_TICK] = "TICK",
		[RELIEF_EV_DONE] = "DONE",
		[RELIEF_EV_FAILED] = "FAILED",
		[RELIEF_EV_ABORT] = "ABORT",
	};

	return type < RELIEF_EV_COUNT ? names[type] : "?";
}
