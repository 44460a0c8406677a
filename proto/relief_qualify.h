/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_qualify.h - does the relieving kernel qualify, and does the answer
 * it got make sense?
 *
 * OLD checks NEW's READY_TO_RELIEVE qualifications against what OLD set up
 * for it (relief_qualify_check) and, if they pass, chooses the protocol
 * version and features of the run. NEW checks OLD's READY_TO_BE_RELIEVED
 * answer against what it offered (relief_qualify_check_answer).
 */
#ifndef RELIEF_QUALIFY_H
#define RELIEF_QUALIFY_H

#include "relief_compat.h"
#include "relief_msg.h"

/* What OLD expects of NEW; filled from the plan OLD started NEW with. */
struct relief_expect {
	uint16_t proto_min;		/* OLD's own version range */
	uint16_t proto_max;
	uint32_t hwdesc_crc;		/* CRC32C of the hwdesc OLD handed over */
	uint64_t features;		/* what OLD offers */
	uint64_t required;		/* what the run cannot do without */
	uint32_t nr_cpus_described;	/* CPUs in that hwdesc */
	uint32_t nr_cpus_lent;		/* CPUs of NEW's partition */
	uint64_t mem_bytes_lent;	/* memory of NEW's partition */
};

/*
 * The features that move processes. A run whose agreed set holds neither
 * is a rehearsal: it goes through steps 1 and 2 and never commits.
 */
#define RELIEF_QUALIFY_TRANSFER \
	(RELIEF_FEAT_PROC_COPY | RELIEF_FEAT_PROC_IN_PLACE)

int relief_qualify_version(uint16_t a_min, uint16_t a_max, uint16_t b_min,
			   uint16_t b_max, uint16_t *version);
int relief_qualify_check(const struct relief_expect *exp,
			 const struct relief_quals *q,
			 struct relief_msg_agreed *agreed);
int relief_qualify_check_answer(const struct relief_quals *mine,
				uint64_t required,
				const struct relief_msg_agreed *agreed);
bool relief_qualify_can_commit(const struct relief_msg_agreed *agreed);

#endif /* RELIEF_QUALIFY_H */
