// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_qualify.c - qualification checks of the four-step handshake.
 *
 * The order of the checks is part of the protocol (it decides which reason
 * an ABORT carries when several things are wrong): a malformed message
 * first, then version, then features, then hardware.
 */
#include "relief_qualify.h"

/**
 * relief_qualify_version() - highest protocol version both ranges contain.
 * @a_min: first side's lowest version
 * @a_max: first side's highest version
 * @b_min: second side's lowest version
 * @b_max: second side's highest version
 * @version: where to store the chosen version
 *
 * Return: RELIEF_REASON_NONE and *@version = min(a_max, b_max) if the
 * ranges intersect, else RELIEF_REASON_PROTO_VERSION (also for an empty
 * range, min > max).
 */
int relief_qualify_version(uint16_t a_min, uint16_t a_max, uint16_t b_min,
			   uint16_t b_max, uint16_t *version)
{
	uint16_t lo = a_min > b_min ? a_min : b_min;
	uint16_t hi = a_max < b_max ? a_max : b_max;

	if (a_min > a_max || b_min > b_max || lo > hi)
		return RELIEF_REASON_PROTO_VERSION;
	*version = hi;
	return RELIEF_REASON_NONE;
}

/* NUL within the buffer and not empty. */
static bool qualify_release_ok(const char *s)
{
	uint32_t i;

	if (!s[0])
		return false;
	for (i = 1; i < RELIEF_RELEASE_LEN; i++)
		if (!s[i])
			return true;
	return false;
}

/**
 * relief_qualify_check() - OLD's verdict on NEW's qualifications.
 * @exp: what OLD expects (its own range and features, what it described
 *       and lent)
 * @q: NEW's READY_TO_RELIEVE qualifications
 * @agreed: on success, the version and features of the run
 *
 * In order: the release string must be non-empty and NUL-terminated
 * (BAD_MESSAGE); the version ranges must intersect (PROTO_VERSION, the
 * highest common version is chosen); both sides must offer every required
 * feature (FEATURES; the run uses the features both offer); NEW must have
 * parsed the very hwdesc OLD wrote, seen every CPU it described, brought up
 * exactly the CPUs lent, and use no more memory than lent (HW_MISMATCH).
 *
 * Return: RELIEF_REASON_NONE or the enum relief_reason to abort with.
 */
int relief_qualify_check(const struct relief_expect *exp,
			 const struct relief_quals *q,
			 struct relief_msg_agreed *agreed)
{
	uint64_t common = exp->features & q->features;
	uint16_t version = 0;

	if (!qualify_release_ok(q->release))
		return RELIEF_REASON_BAD_MESSAGE;
	if (relief_qualify_version(exp->proto_min, exp->proto_max,
				   q->proto_min, q->proto_max, &version))
		return RELIEF_REASON_PROTO_VERSION;
	if ((common & exp->required) != exp->required)
		return RELIEF_REASON_FEATURES;
	if (q->hwdesc_crc != exp->hwdesc_crc ||
	    q->nr_cpus_seen != exp->nr_cpus_described ||
	    q->nr_cpus_up != exp->nr_cpus_lent ||
	    q->mem_bytes > exp->mem_bytes_lent)
		return RELIEF_REASON_HW_MISMATCH;
	agreed->proto_version = version;
	agreed->features = common;
	return RELIEF_REASON_NONE;
}

/**
 * relief_qualify_check_answer() - NEW's verdict on READY_TO_BE_RELIEVED.
 * @mine: the qualifications NEW sent
 * @required: features NEW cannot do without
 * @agreed: OLD's answer
 *
 * OLD may only choose a version within NEW's range (PROTO_VERSION) and only
 * features NEW offered; and the agreed set must hold everything NEW
 * requires (FEATURES). A rehearsal (no transfer feature agreed) moves no
 * process, so a required transfer feature is not missed there: NEW holds
 * rather than aborts.
 *
 * Return: RELIEF_REASON_NONE or the enum relief_reason to abort with.
 */
int relief_qualify_check_answer(const struct relief_quals *mine,
				uint64_t required,
				const struct relief_msg_agreed *agreed)
{
	if (agreed->proto_version < mine->proto_min ||
	    agreed->proto_version > mine->proto_max)
		return RELIEF_REASON_PROTO_VERSION;
	if (!relief_qualify_can_commit(agreed))
		required &= ~RELIEF_QUALIFY_TRANSFER;
	if ((agreed->features & ~mine->features) ||
	    (agreed->features & required) != required)
		return RELIEF_REASON_FEATURES;
	return RELIEF_REASON_NONE;
}

/**
 * relief_qualify_can_commit() - may this run go past step 2?
 * @agreed: the version and features of the run
 *
 * Return: true if the agreed features hold a way to move processes
 * (RELIEF_QUALIFY_TRANSFER); false for a rehearsal, which NEW never commits
 * and in which OLD refuses I_RELIEVE_YOU.
 */
bool relief_qualify_can_commit(const struct relief_msg_agreed *agreed)
{
	return (agreed->features & RELIEF_QUALIFY_TRANSFER) != 0;
}
