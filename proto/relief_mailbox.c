// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_mailbox.c - format, attach and use the shared mailbox region.
 *
 * After attach, every part is reached through the compiled-in layout
 * struct, never through offsets read from shared memory: attach proves the
 * header agrees with that layout, and a peer changing the header later can
 * then not redirect anything.
 */
#include "relief_mailbox.h"
#include "relief_crc32c.h"

static const char *const relief_mb_err_names[RELIEF_MB_ERR_COUNT] = {
	[RELIEF_MB_OK] = "OK",
	[RELIEF_MB_TOO_SMALL] = "TOO_SMALL",
	[RELIEF_MB_MISALIGNED] = "MISALIGNED",
	[RELIEF_MB_BAD_MAGIC] = "BAD_MAGIC",
	[RELIEF_MB_BAD_VERSION] = "BAD_VERSION",
	[RELIEF_MB_BAD_CRC] = "BAD_CRC",
	[RELIEF_MB_BAD_SIZE] = "BAD_SIZE",
	[RELIEF_MB_BAD_LAYOUT] = "BAD_LAYOUT",
};

/* The CRC covers the static header up to, not including, the crc field. */
#define RELIEF_MB_CRC_LEN \
	__builtin_offsetof(struct relief_mailbox_hdr, crc)

static uint32_t relief_mb_hdr_crc(const struct relief_mailbox_hdr *h)
{
	return relief_crc32c(0, h, RELIEF_MB_CRC_LEN);
}

/* The header this copy of proto/ writes and expects, magic excepted. */
static void relief_mb_hdr_expected(struct relief_mailbox_hdr *h)
{
	uint8_t *b = (uint8_t *)h;
	size_t i;

	for (i = 0; i < sizeof(*h); i++)
		b[i] = 0;
	h->magic = RELIEF_MAILBOX_MAGIC;
	h->layout_version = RELIEF_MAILBOX_LAYOUT_VERSION;
	h->wire_version = RELIEF_WIRE_VERSION;
	h->total_size = RELIEF_MAILBOX_SIZE;
	h->hdr_size = RELIEF_MAILBOX_HDR_SIZE;
	h->hb_off = RELIEF_MAILBOX_HB_OFF;
	h->hb_size = RELIEF_MAILBOX_HB_SIZE;
	h->ring_o2n_off = RELIEF_MAILBOX_RING_O2N_OFF;
	h->ring_n2o_off = RELIEF_MAILBOX_RING_N2O_OFF;
	h->ring_size = RELIEF_RING_SIZE;
	h->ring_slots = RELIEF_RING_SLOTS;
	h->slot_size = RELIEF_WIRE_SLOT_SIZE;
	h->console_off = RELIEF_MAILBOX_CONSOLE_OFF;
	h->console_size = RELIEF_CONSOLE_SIZE;
	h->console_data_size = RELIEF_CONSOLE_DATA_SIZE;
	h->crc = relief_mb_hdr_crc(h);
}

static enum relief_mb_err relief_mb_check_region(const void *mem, size_t size)
{
	if (!mem || size < RELIEF_MAILBOX_SIZE)
		return RELIEF_MB_TOO_SMALL;
	if ((uintptr_t)mem & (RELIEF_MAILBOX_ALIGN - 1))
		return RELIEF_MB_MISALIGNED;
	return RELIEF_MB_OK;
}

/**
 * relief_mailbox_init() - format a mailbox region (old kernel, once)
 * @mem: start of the region, RELIEF_MAILBOX_ALIGN aligned
 * @size: bytes available at @mem, at least RELIEF_MAILBOX_SIZE
 *
 * Zeroes the first RELIEF_MAILBOX_SIZE bytes, empties both rings and the
 * console, writes the header and publishes the magic last (with release),
 * so an attach that sees the magic sees a complete header. Must run before
 * the new kernel can look at the region.
 *
 * Return: RELIEF_MB_OK, RELIEF_MB_TOO_SMALL or RELIEF_MB_MISALIGNED.
 */
enum relief_mb_err relief_mailbox_init(void *mem, size_t size)
{
	struct relief_mailbox_layout *l = mem;
	struct relief_mailbox_hdr h;
	enum relief_mb_err err;
	uint8_t *b = mem;
	size_t i;

	err = relief_mb_check_region(mem, size);
	if (err != RELIEF_MB_OK)
		return err;
	for (i = 0; i < RELIEF_MAILBOX_SIZE; i++)
		b[i] = 0;
	relief_ring_init(&l->ring_o2n, 0);
	relief_ring_init(&l->ring_n2o, 0);
	relief_console_init(&l->console, 0);
	relief_mb_hdr_expected(&h);
	/* Copy everything but the magic, which stays 0 until the end. */
	for (i = sizeof(h.magic); i < sizeof(h); i++)
		b[i] = ((const uint8_t *)&h)[i];
	relief_store_release(&l->hdr.magic, h.magic);
	return RELIEF_MB_OK;
}

/**
 * relief_mailbox_attach() - validate a formatted mailbox and get a handle
 * @mb: private handle to fill in; zeroed on failure
 * @mem: start of the region
 * @size: bytes available at @mem
 *
 * Checks, in order: region size and alignment, magic, layout and wire
 * version, header CRC, total size, then every offset and part size against
 * the compiled-in layout. The header is read once into a private copy.
 * Both send sequence counters of the handle start at 1.
 *
 * Return: RELIEF_MB_OK or the first failed check.
 */
enum relief_mb_err relief_mailbox_attach(struct relief_mailbox *mb,
					 void *mem, size_t size)
{
	struct relief_mailbox_layout *l = mem;
	struct relief_mailbox_hdr h, want;
	const uint8_t *src = mem;
	enum relief_mb_err err;
	size_t i;

	mb->l = NULL;
	relief_tx_init(&mb->tx_old);
	relief_tx_init(&mb->tx_new);
	err = relief_mb_check_region(mem, size);
	if (err != RELIEF_MB_OK)
		return err;
	h.magic = relief_load_acquire(&l->hdr.magic);
	for (i = sizeof(h.magic); i < sizeof(h); i++)
		((uint8_t *)&h)[i] = src[i];
	relief_mb_hdr_expected(&want);

	if (h.magic != RELIEF_MAILBOX_MAGIC)
		return RELIEF_MB_BAD_MAGIC;
	if (h.layout_version != want.layout_version ||
	    h.wire_version != want.wire_version)
		return RELIEF_MB_BAD_VERSION;
	if (h.crc != relief_mb_hdr_crc(&h))
		return RELIEF_MB_BAD_CRC;
	if (h.total_size != want.total_size)
		return RELIEF_MB_BAD_SIZE;
	/* CRC matched and versions agree: compare the rest field by field. */
	for (i = 0; i < RELIEF_MB_CRC_LEN; i++)
		if (((uint8_t *)&h)[i] != ((uint8_t *)&want)[i])
			return RELIEF_MB_BAD_LAYOUT;
	mb->l = l;
	return RELIEF_MB_OK;
}

/**
 * relief_mb_err_name() - name of an enum relief_mb_err value
 * @err: the value
 *
 * Return: e.g. "BAD_CRC"; "UNKNOWN" if out of range.
 */
const char *relief_mb_err_name(uint32_t err)
{
	if (err >= RELIEF_MB_ERR_COUNT)
		return "UNKNOWN";
	return relief_mb_err_names[err];
}

/**
 * relief_mailbox_tx_ring() - the ring @role produces into
 * @mb: attached handle
 * @role: the sending side
 *
 * Return: old->new ring for RELIEF_ROLE_OLD, new->old ring for
 * RELIEF_ROLE_NEW, NULL for anything else.
 */
struct relief_ring *relief_mailbox_tx_ring(struct relief_mailbox *mb,
					   enum relief_role role)
{
	if (role == RELIEF_ROLE_OLD)
		return &mb->l->ring_o2n;
	if (role == RELIEF_ROLE_NEW)
		return &mb->l->ring_n2o;
	return NULL;
}

/**
 * relief_mailbox_rx_ring() - the ring @role consumes from
 * @mb: attached handle
 * @role: the receiving side
 *
 * Return: new->old ring for RELIEF_ROLE_OLD, old->new ring for
 * RELIEF_ROLE_NEW, NULL for anything else.
 */
struct relief_ring *relief_mailbox_rx_ring(struct relief_mailbox *mb,
					   enum relief_role role)
{
	if (role == RELIEF_ROLE_OLD)
		return &mb->l->ring_n2o;
	if (role == RELIEF_ROLE_NEW)
		return &mb->l->ring_o2n;
	return NULL;
}

/**
 * relief_mailbox_console() - the console byte ring (new writes, old reads)
 * @mb: attached handle
 *
 * Return: the console ring inside the mailbox.
 */
struct relief_console *relief_mailbox_console(struct relief_mailbox *mb)
{
	return &mb->l->console;
}

static uint64_t *relief_mb_hb(const struct relief_mailbox *mb,
			      enum relief_role role)
{
	if (role == RELIEF_ROLE_OLD)
		return &mb->l->hb_old.count;
	if (role == RELIEF_ROLE_NEW)
		return &mb->l->hb_new.count;
	return NULL;
}

/**
 * relief_mailbox_heartbeat_bump() - advance @role's own heartbeat counter
 * @mb: attached handle
 * @role: the calling side; only it ever writes this counter
 *
 * Return: the new counter value, or 0 for an invalid @role.
 */
uint64_t relief_mailbox_heartbeat_bump(struct relief_mailbox *mb,
				       enum relief_role role)
{
	uint64_t *hb = relief_mb_hb(mb, role);
	uint64_t v;

	if (!hb)
		return 0;
	v = *hb + 1;
	relief_store_release(hb, v);
	return v;
}

/**
 * relief_mailbox_heartbeat_read() - read @role's heartbeat counter
 * @mb: attached handle
 * @role: whose counter (normally the peer's)
 *
 * A watchdog samples this periodically; a value that stops changing means
 * the peer is dead (RELIEF_REASON_PEER_DEAD). Deadlines are the state
 * machine's business, not the mailbox's.
 *
 * Return: the counter, or 0 for an invalid @role.
 */
uint64_t relief_mailbox_heartbeat_read(const struct relief_mailbox *mb,
				       enum relief_role role)
{
	const uint64_t *hb = relief_mb_hb(mb, role);

	return hb ? relief_load_acquire(hb) : 0;
}

static struct relief_tx *relief_mb_tx(struct relief_mailbox *mb,
				      enum relief_role role)
{
	return role == RELIEF_ROLE_OLD ? &mb->tx_old : &mb->tx_new;
}

/**
 * relief_mailbox_send() - encode a message and queue it to the peer
 * @mb: attached handle
 * @role: the sending side; becomes the message's sender
 * @msg: type and payload; its sender and seq fields are ignored
 *
 * Stamps the next sequence number of @role's direction, encodes (which
 * refuses invalid messages) and pushes. The sequence number is consumed only
 * if the push succeeds, so a FULL ring can simply be retried.
 *
 * Return: 0; -RELIEF_RING_FULL or -RELIEF_RING_CORRUPT from the ring; or a
 * positive enum relief_wire_err if @msg (or @role) is not sendable.
 */
int relief_mailbox_send(struct relief_mailbox *mb, enum relief_role role,
			const struct relief_msg *msg)
{
	struct relief_wire_slot slot;
	struct relief_msg m = *msg;
	struct relief_tx *tx;
	enum relief_wire_err err;
	int ret;

	if (role != RELIEF_ROLE_OLD && role != RELIEF_ROLE_NEW)
		return RELIEF_WIRE_BAD_SENDER;
	tx = relief_mb_tx(mb, role);
	m.sender = role;
	m.seq = tx->next_seq;
	err = relief_wire_encode(&m, &slot, sizeof(slot));
	if (err != RELIEF_WIRE_OK)
		return err;
	ret = relief_ring_push(relief_mailbox_tx_ring(mb, role), &slot);
	if (ret)
		return ret;
	relief_tx_next(tx);
	return 0;
}

/**
 * relief_mailbox_recv() - take the next message from the peer
 * @mb: attached handle
 * @role: the receiving side
 * @rx: receiver sequence state for this direction (see relief_rx_init())
 * @out: the message; all zero unless 0 is returned
 *
 * Pops one slot into private memory, decodes it, insists that the peer
 * (the other role) sent it and that it carries the next sequence number.
 * A rejected slot is consumed and @rx does not move, so after a loss every
 * later message is OUT_OF_ORDER: the caller must treat any positive return
 * as a protocol failure (RELIEF_REASON_BAD_MESSAGE), not retry.
 *
 * Return: 0; -RELIEF_RING_EMPTY if nothing is pending; -RELIEF_RING_CORRUPT;
 * or a positive enum relief_wire_err for a rejected message.
 */
int relief_mailbox_recv(struct relief_mailbox *mb, enum relief_role role,
			struct relief_rx *rx, struct relief_msg *out)
{
	struct relief_wire_slot slot;
	enum relief_wire_err err;
	uint32_t peer;
	int ret;
	size_t i;

	for (i = 0; i < sizeof(*out); i++)
		((uint8_t *)out)[i] = 0;
	if (role != RELIEF_ROLE_OLD && role != RELIEF_ROLE_NEW)
		return RELIEF_WIRE_BAD_SENDER;
	peer = role == RELIEF_ROLE_OLD ? RELIEF_ROLE_NEW : RELIEF_ROLE_OLD;
	ret = relief_ring_pop(relief_mailbox_rx_ring(mb, role), &slot);
	if (ret)
		return ret;
	err = relief_wire_decode(&slot, sizeof(slot), out);
	if (err == RELIEF_WIRE_OK && out->sender != peer)
		err = RELIEF_WIRE_BAD_SENDER;
	if (err == RELIEF_WIRE_OK)
		err = relief_rx_accept(rx, out->seq);
	if (err != RELIEF_WIRE_OK) {
		for (i = 0; i < sizeof(*out); i++)
			((uint8_t *)out)[i] = 0;
		return err;
	}
	return 0;
}
