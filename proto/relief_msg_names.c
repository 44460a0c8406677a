// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_msg_names.c - enum relief_msg_type / relief_reason / relief_role
 * to strings. Designated initializers keep each name next to its number, and
 * the static asserts below catch an enum that grew without a name.
 */
#include "relief_names.h"
#include "relief_msg.h"

static const char *const relief_msg_type_names[] = {
	[RELIEF_MSG_NONE] = "NONE",
	[RELIEF_MSG_READY_TO_RELIEVE] = "READY_TO_RELIEVE",
	[RELIEF_MSG_READY_TO_BE_RELIEVED] = "READY_TO_BE_RELIEVED",
	[RELIEF_MSG_I_RELIEVE_YOU] = "I_RELIEVE_YOU",
	[RELIEF_MSG_I_STAND_RELIEVED] = "I_STAND_RELIEVED",
	[RELIEF_MSG_ABORT] = "ABORT",
	[RELIEF_MSG_ROLLBACK] = "ROLLBACK",
	[RELIEF_MSG_HEARTBEAT] = "HEARTBEAT",
	[RELIEF_MSG_PROC_IMAGE] = "PROC_IMAGE",
	[RELIEF_MSG_DEVICE_HANDOVER] = "DEVICE_HANDOVER",
	[RELIEF_MSG_CPU_RELEASE] = "CPU_RELEASE",
	[RELIEF_MSG_MEM_RELEASE] = "MEM_RELEASE",
	[RELIEF_MSG_TRANSFER_DONE] = "TRANSFER_DONE",
	[RELIEF_MSG_TRANSFER_ACK] = "TRANSFER_ACK",
};

RELIEF_STATIC_ASSERT(sizeof(relief_msg_type_names) /
		     sizeof(relief_msg_type_names[0]) == RELIEF_MSG_TYPE_COUNT,
		     "every message type has a name");

static const char *const relief_reason_names[] = {
	[RELIEF_REASON_NONE] = "NONE",
	[RELIEF_REASON_OPERATOR] = "OPERATOR",
	[RELIEF_REASON_TIMEOUT] = "TIMEOUT",
	[RELIEF_REASON_PROTO_VERSION] = "PROTO_VERSION",
	[RELIEF_REASON_FEATURES] = "FEATURES",
	[RELIEF_REASON_HW_MISMATCH] = "HW_MISMATCH",
	[RELIEF_REASON_BAD_MESSAGE] = "BAD_MESSAGE",
	[RELIEF_REASON_UNEXPECTED] = "UNEXPECTED",
	[RELIEF_REASON_DUMP_FAILED] = "DUMP_FAILED",
	[RELIEF_REASON_RESTORE_FAILED] = "RESTORE_FAILED",
	[RELIEF_REASON_DEVICE_FAILED] = "DEVICE_FAILED",
	[RELIEF_REASON_PEER_DEAD] = "PEER_DEAD",
	[RELIEF_REASON_PANIC] = "PANIC",
	[RELIEF_REASON_INTERNAL] = "INTERNAL",
};

RELIEF_STATIC_ASSERT(sizeof(relief_reason_names) /
		     sizeof(relief_reason_names[0]) == RELIEF_REASON_COUNT,
		     "every reason has a name");

/**
 * relief_msg_type_name() - name of a message type
 * @type: enum relief_msg_type
 *
 * Return: e.g. "READY_TO_RELIEVE"; "UNKNOWN" if @type is out of range.
 */
const char *relief_msg_type_name(uint32_t type)
{
	if (type >= RELIEF_MSG_TYPE_COUNT)
		return "UNKNOWN";
	return relief_msg_type_names[type];
}

/**
 * relief_reason_name() - name of an abort/rollback reason
 * @reason: enum relief_reason
 *
 * Return: e.g. "PEER_DEAD"; "UNKNOWN" if @reason is out of range.
 */
const char *relief_reason_name(uint32_t reason)
{
	if (reason >= RELIEF_REASON_COUNT)
		return "UNKNOWN";
	return relief_reason_names[reason];
}

/**
 * relief_role_name() - name of a role
 * @role: enum relief_role
 *
 * Return: "OLD", "NEW" or "UNKNOWN".
 */
const char *relief_role_name(uint32_t role)
{
	if (role == RELIEF_ROLE_OLD)
		return "OLD";
	if (role == RELIEF_ROLE_NEW)
		return "NEW";
	return "UNKNOWN";
}
