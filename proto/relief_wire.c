// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_wire.c - struct relief_msg <-> 256-byte slot.
 *
 * The decoder trusts nothing: the slot lives in memory the peer kernel can
 * write at any moment, so it is first copied into a private buffer (one read
 * of each byte, no double fetch) and every check and every field read is
 * made on that copy. A rejected slot leaves *out all zero, so a caller that
 * ignores the return value still cannot act on half a message.
 *
 * The encoder applies the same checks, so nothing invalid is ever put on
 * the wire by relief itself.
 */
#include "relief_wire.h"
#include "relief_crc32c.h"

#define RELIEF_SENDS_OLD	(1u << RELIEF_ROLE_OLD)
#define RELIEF_SENDS_NEW	(1u << RELIEF_ROLE_NEW)
#define RELIEF_SENDS_ANY	(RELIEF_SENDS_OLD | RELIEF_SENDS_NEW)

/* Per type: exact payload length and who may send it. */
static const struct {
	uint16_t payload_len;
	uint8_t senders;
} relief_wire_types[RELIEF_MSG_TYPE_COUNT] = {
	[RELIEF_MSG_READY_TO_RELIEVE] = {
		sizeof(struct relief_wire_quals), RELIEF_SENDS_NEW },
	[RELIEF_MSG_READY_TO_BE_RELIEVED] = {
		sizeof(struct relief_wire_agreed), RELIEF_SENDS_OLD },
	[RELIEF_MSG_I_RELIEVE_YOU] = { 0, RELIEF_SENDS_NEW },
	[RELIEF_MSG_I_STAND_RELIEVED] = { 0, RELIEF_SENDS_OLD },
	[RELIEF_MSG_ABORT] = {
		sizeof(struct relief_wire_reason), RELIEF_SENDS_ANY },
	[RELIEF_MSG_ROLLBACK] = {
		sizeof(struct relief_wire_reason), RELIEF_SENDS_ANY },
	[RELIEF_MSG_HEARTBEAT] = {
		sizeof(struct relief_wire_heartbeat), RELIEF_SENDS_ANY },
	[RELIEF_MSG_PROC_IMAGE] = {
		sizeof(struct relief_wire_proc_image), RELIEF_SENDS_OLD },
	[RELIEF_MSG_DEVICE_HANDOVER] = {
		sizeof(struct relief_wire_device), RELIEF_SENDS_OLD },
	[RELIEF_MSG_CPU_RELEASE] = {
		sizeof(struct relief_wire_cpu_release), RELIEF_SENDS_OLD },
	[RELIEF_MSG_MEM_RELEASE] = {
		sizeof(struct relief_wire_mem_release), RELIEF_SENDS_OLD },
	[RELIEF_MSG_TRANSFER_DONE] = {
		sizeof(struct relief_wire_transfer_done), RELIEF_SENDS_OLD },
	[RELIEF_MSG_TRANSFER_ACK] = { 0, RELIEF_SENDS_NEW },
};

static const char *const relief_wire_err_names[RELIEF_WIRE_ERR_COUNT] = {
	[RELIEF_WIRE_OK] = "OK",
	[RELIEF_WIRE_BAD_MAGIC] = "BAD_MAGIC",
	[RELIEF_WIRE_BAD_VERSION] = "BAD_VERSION",
	[RELIEF_WIRE_BAD_CRC] = "BAD_CRC",
	[RELIEF_WIRE_TRUNCATED] = "TRUNCATED",
	[RELIEF_WIRE_UNKNOWN_TYPE] = "UNKNOWN_TYPE",
	[RELIEF_WIRE_BAD_SENDER] = "BAD_SENDER",
	[RELIEF_WIRE_BAD_FIELD] = "BAD_FIELD",
	[RELIEF_WIRE_OUT_OF_ORDER] = "OUT_OF_ORDER",
};

static void relief_wire_zero(void *dst, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = 0;
}

static void relief_wire_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
}

/*
 * Copy a string field of @n bytes, insisting on a NUL inside it and zeroes
 * after the NUL (the canonical form). @dst is assumed zeroed by the caller.
 * Used in both directions, so host and wire strings obey the same rule.
 */
static bool relief_wire_str(char *dst, const char *src, size_t n)
{
	size_t len = 0;

	while (len < n && src[len])
		len++;
	if (len == n)
		return false;
	relief_wire_copy(dst, src, len);
	return true;
}

/* Like relief_wire_str() but for decoding: also rejects junk after the NUL. */
static bool relief_wire_str_in(char *dst, const char *src, size_t n)
{
	size_t len = 0;

	while (len < n && src[len])
		len++;
	if (len == n || !relief_all_zero(src + len, n - len))
		return false;
	relief_wire_copy(dst, src, len);
	return true;
}

static bool relief_wire_range_ok(uint64_t base, uint64_t len)
{
	return base + len >= base;
}

/**
 * relief_wire_payload_len() - payload length of a message type on the wire
 * @type: enum relief_msg_type
 *
 * Return: the exact payload_len a slot of @type carries, or 0 for a type
 * without payload or an unknown type.
 */
uint32_t relief_wire_payload_len(uint32_t type)
{
	if (type >= RELIEF_MSG_TYPE_COUNT)
		return 0;
	return relief_wire_types[type].payload_len;
}

/**
 * relief_wire_sender_ok() - may @sender send messages of @type?
 * @type: enum relief_msg_type
 * @sender: enum relief_role
 *
 * Return: true if @type is known and @sender is a role allowed to send it
 * (e.g. only the new kernel sends READY_TO_RELIEVE).
 */
bool relief_wire_sender_ok(uint32_t type, uint32_t sender)
{
	if (type >= RELIEF_MSG_TYPE_COUNT)
		return false;
	if (sender != RELIEF_ROLE_OLD && sender != RELIEF_ROLE_NEW)
		return false;
	return relief_wire_types[type].senders & (1u << sender);
}

/* Host -> wire payload. @s is zeroed. Checks what decode would check. */
static enum relief_wire_err relief_wire_put(const struct relief_msg *m,
					    struct relief_wire_slot *s)
{
	switch (m->type) {
	case RELIEF_MSG_READY_TO_RELIEVE: {
		struct relief_wire_quals *w = &s->payload.quals;
		const struct relief_quals *q = &m->u.quals;

		if (!q->proto_min || q->proto_min > q->proto_max ||
		    q->nr_cpus_up > q->nr_cpus_seen ||
		    !relief_wire_str(w->release, q->release,
				     RELIEF_RELEASE_LEN))
			return RELIEF_WIRE_BAD_FIELD;
		w->proto_min = q->proto_min;
		w->proto_max = q->proto_max;
		w->hwdesc_crc = q->hwdesc_crc;
		w->features = q->features;
		w->mem_bytes = q->mem_bytes;
		w->nr_cpus_seen = q->nr_cpus_seen;
		w->nr_cpus_up = q->nr_cpus_up;
		break;
	}
	case RELIEF_MSG_READY_TO_BE_RELIEVED: {
		struct relief_wire_agreed *w = &s->payload.agreed;

		if (!m->u.agreed.proto_version)
			return RELIEF_WIRE_BAD_FIELD;
		w->proto_version = m->u.agreed.proto_version;
		w->features = m->u.agreed.features;
		break;
	}
	case RELIEF_MSG_ABORT:
	case RELIEF_MSG_ROLLBACK: {
		struct relief_wire_reason *w = &s->payload.reason;

		if (m->u.reason.reason >= RELIEF_REASON_COUNT ||
		    !relief_wire_str(w->text, m->u.reason.text,
				     RELIEF_TEXT_LEN))
			return RELIEF_WIRE_BAD_FIELD;
		w->reason = m->u.reason.reason;
		break;
	}
	case RELIEF_MSG_HEARTBEAT: {
		struct relief_wire_heartbeat *w = &s->payload.heartbeat;

		w->count = m->u.heartbeat.count;
		w->now_ns = m->u.heartbeat.now_ns;
		break;
	}
	case RELIEF_MSG_PROC_IMAGE: {
		struct relief_wire_proc_image *w = &s->payload.proc_image;
		const struct relief_msg_proc_image *pi = &m->u.proc_image;

		if (!relief_wire_range_ok(pi->phys, pi->len))
			return RELIEF_WIRE_BAD_FIELD;
		w->phys = pi->phys;
		w->len = pi->len;
		w->nr_procs = pi->nr_procs;
		w->crc = pi->crc;
		break;
	}
	case RELIEF_MSG_DEVICE_HANDOVER: {
		struct relief_wire_device *w = &s->payload.device;

		w->hw_index = m->u.device.hw_index;
		w->flags = m->u.device.flags;
		break;
	}
	case RELIEF_MSG_CPU_RELEASE: {
		struct relief_wire_cpu_release *w = &s->payload.cpus;
		uint32_t i;

		if (m->u.cpus.nr > RELIEF_CPU_RELEASE_MAX)
			return RELIEF_WIRE_BAD_FIELD;
		w->nr = m->u.cpus.nr;
		for (i = 0; i < w->nr; i++)
			w->hw_ids[i] = m->u.cpus.hw_ids[i];
		break;
	}
	case RELIEF_MSG_MEM_RELEASE: {
		struct relief_wire_mem_release *w = &s->payload.mem;

		if (!relief_wire_range_ok(m->u.mem.base, m->u.mem.size))
			return RELIEF_WIRE_BAD_FIELD;
		w->base = m->u.mem.base;
		w->size = m->u.mem.size;
		break;
	}
	case RELIEF_MSG_TRANSFER_DONE: {
		struct relief_wire_transfer_done *w = &s->payload.done;

		w->nr_procs = m->u.done.nr_procs;
		w->nr_devices = m->u.done.nr_devices;
		break;
	}
	default:	/* no payload */
		break;
	}
	return RELIEF_WIRE_OK;
}

/* Wire -> host payload. @m is zeroed; the caller re-zeroes it on failure. */
static enum relief_wire_err relief_wire_get(const struct relief_wire_slot *s,
					    struct relief_msg *m)
{
	switch (s->hdr.type) {
	case RELIEF_MSG_READY_TO_RELIEVE: {
		const struct relief_wire_quals *w = &s->payload.quals;
		struct relief_quals *q = &m->u.quals;

		if (!w->proto_min || w->proto_min > w->proto_max ||
		    w->nr_cpus_up > w->nr_cpus_seen ||
		    !relief_all_zero(w->pad, sizeof(w->pad)) ||
		    !relief_wire_str_in(q->release, w->release,
					RELIEF_RELEASE_LEN))
			return RELIEF_WIRE_BAD_FIELD;
		q->proto_min = w->proto_min;
		q->proto_max = w->proto_max;
		q->hwdesc_crc = w->hwdesc_crc;
		q->features = w->features;
		q->mem_bytes = w->mem_bytes;
		q->nr_cpus_seen = w->nr_cpus_seen;
		q->nr_cpus_up = w->nr_cpus_up;
		break;
	}
	case RELIEF_MSG_READY_TO_BE_RELIEVED: {
		const struct relief_wire_agreed *w = &s->payload.agreed;

		if (!w->proto_version ||
		    !relief_all_zero(w->pad, sizeof(w->pad)))
			return RELIEF_WIRE_BAD_FIELD;
		m->u.agreed.proto_version = w->proto_version;
		m->u.agreed.features = w->features;
		break;
	}
	case RELIEF_MSG_ABORT:
	case RELIEF_MSG_ROLLBACK: {
		const struct relief_wire_reason *w = &s->payload.reason;

		if (w->reason >= RELIEF_REASON_COUNT ||
		    !relief_wire_str_in(m->u.reason.text, w->text,
					RELIEF_TEXT_LEN))
			return RELIEF_WIRE_BAD_FIELD;
		m->u.reason.reason = w->reason;
		break;
	}
	case RELIEF_MSG_HEARTBEAT: {
		const struct relief_wire_heartbeat *w = &s->payload.heartbeat;

		m->u.heartbeat.count = w->count;
		m->u.heartbeat.now_ns = w->now_ns;
		break;
	}
	case RELIEF_MSG_PROC_IMAGE: {
		const struct relief_wire_proc_image *w = &s->payload.proc_image;

		if (!relief_wire_range_ok(w->phys, w->len))
			return RELIEF_WIRE_BAD_FIELD;
		m->u.proc_image.phys = w->phys;
		m->u.proc_image.len = w->len;
		m->u.proc_image.nr_procs = w->nr_procs;
		m->u.proc_image.crc = w->crc;
		break;
	}
	case RELIEF_MSG_DEVICE_HANDOVER: {
		const struct relief_wire_device *w = &s->payload.device;

		m->u.device.hw_index = w->hw_index;
		m->u.device.flags = w->flags;
		break;
	}
	case RELIEF_MSG_CPU_RELEASE: {
		const struct relief_wire_cpu_release *w = &s->payload.cpus;
		uint32_t i;

		if (w->nr > RELIEF_CPU_RELEASE_MAX ||
		    !relief_all_zero(&w->hw_ids[w->nr],
					  (RELIEF_CPU_RELEASE_MAX - w->nr) *
					  sizeof(w->hw_ids[0])))
			return RELIEF_WIRE_BAD_FIELD;
		m->u.cpus.nr = w->nr;
		for (i = 0; i < w->nr; i++)
			m->u.cpus.hw_ids[i] = w->hw_ids[i];
		break;
	}
	case RELIEF_MSG_MEM_RELEASE: {
		const struct relief_wire_mem_release *w = &s->payload.mem;

		if (!relief_wire_range_ok(w->base, w->size))
			return RELIEF_WIRE_BAD_FIELD;
		m->u.mem.base = w->base;
		m->u.mem.size = w->size;
		break;
	}
	case RELIEF_MSG_TRANSFER_DONE: {
		const struct relief_wire_transfer_done *w = &s->payload.done;

		m->u.done.nr_procs = w->nr_procs;
		m->u.done.nr_devices = w->nr_devices;
		break;
	}
	default:	/* no payload */
		break;
	}
	return RELIEF_WIRE_OK;
}

static uint32_t relief_wire_crc(const struct relief_wire_slot *s)
{
	struct relief_wire_hdr h = s->hdr;
	uint32_t crc;

	h.crc = 0;
	crc = relief_crc32c(0, &h, sizeof(h));
	return relief_crc32c(crc, s->payload.bytes, s->hdr.payload_len);
}

/**
 * relief_wire_encode() - encode a message into one wire slot
 * @msg: the message; type, sender, seq and the payload for type are used
 * @slot: destination, at least RELIEF_WIRE_SLOT_SIZE bytes, any alignment
 * @size: size of @slot
 *
 * Writes exactly RELIEF_WIRE_SLOT_SIZE bytes (unused bytes zero). The
 * message is checked as the decoder would check it, so an invalid message
 * (unknown type, wrong sender, unterminated string, count over its maximum,
 * reason out of range) is refused rather than sent.
 *
 * Return: RELIEF_WIRE_OK, or the reason the message cannot be encoded; on
 * error the first min(@size, RELIEF_WIRE_SLOT_SIZE) bytes of @slot are zero.
 */
enum relief_wire_err relief_wire_encode(const struct relief_msg *msg,
					void *slot, size_t size)
{
	struct relief_wire_slot s;
	enum relief_wire_err err;

	relief_wire_zero(&s, sizeof(s));
	if (size < RELIEF_WIRE_SLOT_SIZE) {
		err = RELIEF_WIRE_TRUNCATED;
		goto out;
	}
	if (msg->type == RELIEF_MSG_NONE ||
	    msg->type >= RELIEF_MSG_TYPE_COUNT) {
		err = RELIEF_WIRE_UNKNOWN_TYPE;
		goto out;
	}
	if (!relief_wire_sender_ok(msg->type, msg->sender)) {
		err = RELIEF_WIRE_BAD_SENDER;
		goto out;
	}
	err = relief_wire_put(msg, &s);
	if (err != RELIEF_WIRE_OK) {
		relief_wire_zero(&s, sizeof(s));
		goto out;
	}
	s.hdr.magic = RELIEF_WIRE_MAGIC;
	s.hdr.type = (uint16_t)msg->type;
	s.hdr.version = RELIEF_WIRE_VERSION;
	s.hdr.payload_len = relief_wire_types[msg->type].payload_len;
	s.hdr.seq = msg->seq;
	s.hdr.sender = msg->sender;
	s.hdr.crc = relief_wire_crc(&s);
out:
	relief_wire_copy(slot, &s, size < sizeof(s) ? size : sizeof(s));
	return err;
}

/* All checks on the private copy @s; fills @out only once the header is OK. */
static enum relief_wire_err relief_wire_check(const struct relief_wire_slot *s,
					      size_t size,
					      struct relief_msg *out)
{
	const struct relief_wire_hdr *h = &s->hdr;

	if (size < RELIEF_WIRE_HDR_SIZE)
		return RELIEF_WIRE_TRUNCATED;
	if (h->magic != RELIEF_WIRE_MAGIC)
		return RELIEF_WIRE_BAD_MAGIC;
	if (h->version != RELIEF_WIRE_VERSION)
		return RELIEF_WIRE_BAD_VERSION;
	if (h->payload_len > RELIEF_WIRE_PAYLOAD_MAX ||
	    h->payload_len > size - RELIEF_WIRE_HDR_SIZE)
		return RELIEF_WIRE_TRUNCATED;
	if (h->crc != relief_wire_crc(s))
		return RELIEF_WIRE_BAD_CRC;
	if (h->type == RELIEF_MSG_NONE || h->type >= RELIEF_MSG_TYPE_COUNT)
		return RELIEF_WIRE_UNKNOWN_TYPE;
	if (h->payload_len != relief_wire_types[h->type].payload_len)
		return RELIEF_WIRE_TRUNCATED;
	if (!relief_wire_sender_ok(h->type, h->sender))
		return RELIEF_WIRE_BAD_SENDER;
	if (h->pad)
		return RELIEF_WIRE_BAD_FIELD;
	out->type = h->type;
	out->sender = h->sender;
	out->seq = h->seq;
	return relief_wire_get(s, out);
}

/**
 * relief_wire_decode() - decode and validate one wire slot
 * @slot: the slot, possibly in memory the peer is writing; any alignment
 * @size: bytes readable at @slot (normally RELIEF_WIRE_SLOT_SIZE)
 * @out: the decoded message
 *
 * Reads each byte of @slot once, then checks, in order: magic, version,
 * payload_len fits, CRC, type known, payload_len exact for type, sender
 * allowed for type, pad zero, payload fields (strings terminated and
 * zero-padded, counts within maximum, reason in range, ranges not wrapping,
 * pads zero). Sequence numbers are not checked here: see relief_rx_accept().
 *
 * Return: RELIEF_WIRE_OK with @out filled, or the first reason the slot is
 * rejected with @out all zero.
 */
enum relief_wire_err relief_wire_decode(const void *slot, size_t size,
					struct relief_msg *out)
{
	struct relief_wire_slot s;
	enum relief_wire_err err;

	relief_wire_zero(&s, sizeof(s));
	relief_wire_copy(&s, slot, size < sizeof(s) ? size : sizeof(s));
	relief_wire_zero(out, sizeof(*out));
	err = relief_wire_check(&s, size, out);
	if (err != RELIEF_WIRE_OK)
		relief_wire_zero(out, sizeof(*out));
	return err;
}

/**
 * relief_rx_init() - start receiving a direction: expect sequence number 1
 * @rx: receiver state, private to the receiving kernel
 */
void relief_rx_init(struct relief_rx *rx)
{
	rx->next_seq = 1;
}

/**
 * relief_rx_accept() - accept the next sequence number, and only it
 * @rx: receiver state
 * @seq: sequence number of a message that decoded cleanly
 *
 * A lost, duplicated, replayed or reordered message is a protocol failure,
 * not something to paper over, so anything but next_seq is refused and
 * next_seq stays where it is.
 *
 * Return: RELIEF_WIRE_OK (and next_seq advanced) or RELIEF_WIRE_OUT_OF_ORDER.
 */
enum relief_wire_err relief_rx_accept(struct relief_rx *rx, uint64_t seq)
{
	if (seq != rx->next_seq)
		return RELIEF_WIRE_OUT_OF_ORDER;
	rx->next_seq++;
	return RELIEF_WIRE_OK;
}

/**
 * relief_tx_init() - start sending a direction: first sequence number is 1
 * @tx: sender state, private to the sending kernel
 */
void relief_tx_init(struct relief_tx *tx)
{
	tx->next_seq = 1;
}

/**
 * relief_tx_next() - take the next sequence number
 * @tx: sender state
 *
 * Return: 1 on the first call after relief_tx_init(), then 2, 3, ...
 */
uint64_t relief_tx_next(struct relief_tx *tx)
{
	return tx->next_seq++;
}

/**
 * relief_wire_err_name() - name of an enum relief_wire_err value
 * @err: the value
 *
 * Return: e.g. "BAD_CRC"; "UNKNOWN" if @err is out of range.
 */
const char *relief_wire_err_name(uint32_t err)
{
	if (err >= RELIEF_WIRE_ERR_COUNT)
		return "UNKNOWN";
	return relief_wire_err_names[err];
}
