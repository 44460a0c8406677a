// SPDX-License-Identifier: GPL-2.0
/*
 * relief - windows on the transfer area: character devices over parts of
 * it, one per page image that would otherwise be copied through a file
 * system on its way between criu and the area.
 *
 * criu opens its images by name; an agent makes a page image's name a
 * node of a window, so criu's reads and writes go straight to the area:
 *
 * - read windows (the new kernel): [offset, offset + len), read-only; a
 *   lazy restore's page faults read the pages where the old kernel put
 *   them;
 * - append windows (the old kernel): writable, each placed where the
 *   previous one ended when it is first opened for writing, and as long
 *   as what is written to it; criu dump writes one page image after the
 *   other, never two at once, so they pack the area from the append
 *   zone's start without a copy or a page of tmpfs. The agent asks each
 *   window's place afterwards (RELIEF_WINDOW_QUERY).
 *
 * The area is mapped once and never unmapped: a reader may still hold a
 * window of a run that closed them all (it then reads whatever the area
 * holds, never beyond it). A writer of a closed window gets ENXIO.
 */
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kdev_t.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "relief_window.h"

#define RELIEF_WINDOWS		256
#define RELIEF_WINDOW_UNPLACED	U64_MAX

struct relief_window {
	void *map;		/* the area's mapping it was made on */
	u64 offset;		/* RELIEF_WINDOW_UNPLACED: append, not opened */
	u64 len;
	u64 end;		/* append: where the zone ends */
	bool append;
};

/* What an open file holds: a copy (reading), or the slot (appending). */
struct relief_window_file {
	struct relief_window w;
	unsigned int slot;
	u64 gen;		/* appending: the run of windows it belongs to */
};

static DEFINE_MUTEX(window_lock);	/* everything below */
static dev_t window_dev;
static struct cdev window_cdev;
static bool window_registered;
static void *window_map;		/* the whole area, once */
static phys_addr_t window_map_phys;
static u64 window_map_size;
static struct relief_window windows[RELIEF_WINDOWS];
static unsigned int window_nr;
static u64 window_gen;			/* bumped when all are closed */
static u64 window_cursor;		/* append: where the next one goes */
static bool window_writing;		/* append: one writer at a time */

static ssize_t window_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	const struct relief_window_file *wf = iocb->ki_filp->private_data;
	const struct relief_window *w = &wf->w;
	loff_t pos = iocb->ki_pos;
	size_t n;

	if (w->append)
		return -EBADF;
	if (pos < 0)
		return -EINVAL;
	if (pos >= w->len)
		return 0;
	n = min_t(u64, iov_iter_count(to), w->len - pos);
	n = copy_to_iter(w->map + w->offset + pos, n, to);
	if (!n && iov_iter_count(to))
		return -EFAULT;
	iocb->ki_pos += n;
	return n;
}

static ssize_t window_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct relief_window_file *wf = iocb->ki_filp->private_data;
	struct relief_window *w;
	loff_t pos = iocb->ki_pos;
	size_t n, want = iov_iter_count(from);
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	mutex_lock(&window_lock);
	w = &windows[wf->slot];
	if (wf->gen != window_gen) {
		ret = -ENXIO;
		goto out;
	}
	if (pos >= w->end - w->offset) {
		ret = want ? -ENOSPC : 0;
		goto out;
	}
	n = min_t(u64, want, w->end - w->offset - pos);
	n = copy_from_iter(w->map + w->offset + pos, n, from);
	if (!n && want) {
		ret = -EFAULT;
		goto out;
	}
	w->len = max_t(u64, w->len, pos + n);
	iocb->ki_pos += n;
	ret = n;
out:
	mutex_unlock(&window_lock);
	return ret;
}

static int window_open(struct inode *inode, struct file *f)
{
	unsigned int i = iminor(inode) - MINOR(window_dev);
	struct relief_window_file *wf;
	struct relief_window *w;
	int ret = 0;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	wf = kzalloc(sizeof(*wf), GFP_KERNEL);
	if (!wf)
		return -ENOMEM;
	mutex_lock(&window_lock);
	w = &windows[i];
	if (i >= window_nr) {
		ret = -ENXIO;
	} else if (!w->append) {
		/* The file keeps the window it opened, whatever comes later. */
		if (f->f_mode & FMODE_WRITE)
			ret = -EROFS;
		wf->w = *w;
	} else if (!(f->f_mode & FMODE_WRITE) || window_writing ||
		   w->offset != RELIEF_WINDOW_UNPLACED) {
		/* written once, by one writer, then only asked about */
		ret = -EBUSY;
	} else {
		w->offset = window_cursor;
		w->len = 0;
		window_writing = true;
		wf->w.append = true;
		wf->slot = i;
		wf->gen = window_gen;
	}
	mutex_unlock(&window_lock);
	if (ret) {
		kfree(wf);
		return ret;
	}
	f->private_data = wf;
	return 0;
}

static int window_release(struct inode *inode, struct file *f)
{
	struct relief_window_file *wf = f->private_data;
	struct relief_window *w;

	if (wf->w.append) {
		mutex_lock(&window_lock);
		w = &windows[wf->slot];
		if (wf->gen == window_gen) {
			window_cursor = ALIGN(w->offset + w->len, 8);
			window_writing = false;
		}
		mutex_unlock(&window_lock);
	}
	kfree(wf);
	return 0;
}

static loff_t window_llseek(struct file *f, loff_t off, int whence)
{
	const struct relief_window_file *wf = f->private_data;

	if (wf->w.append)
		return fixed_size_llseek(f, off, whence, windows[wf->slot].end);
	return fixed_size_llseek(f, off, whence, wf->w.len);
}

static const struct file_operations window_fops = {
	.owner = THIS_MODULE,
	.open = window_open,
	.release = window_release,
	.read_iter = window_read_iter,
	.write_iter = window_write_iter,
	.splice_write = iter_file_splice_write,
	.llseek = window_llseek,
};

static int window_setup(phys_addr_t area, u64 size)
{
	int err;

	if (!window_registered) {
		err = alloc_chrdev_region(&window_dev, 0, RELIEF_WINDOWS,
					  "relief-window");
		if (err)
			return err;
		cdev_init(&window_cdev, &window_fops);
		err = cdev_add(&window_cdev, window_dev, RELIEF_WINDOWS);
		if (err) {
			unregister_chrdev_region(window_dev, RELIEF_WINDOWS);
			return err;
		}
		window_registered = true;
	}
	if (window_map && window_map_phys == area && window_map_size >= size)
		return 0;
	/* Another area (a later run of a kernel that lent on): map it too. */
	window_map = memremap(area, size, MEMREMAP_WB);
	if (!window_map)
		return -ENOMEM;
	window_map_phys = area;
	window_map_size = size;
	window_nr = 0;
	window_gen++;
	window_writing = false;
	return 0;
}

/* A new window in slot window_nr; its device number into *w. */
static long window_add(struct relief_agent_window *w)
{
	struct relief_window *nw = &windows[window_nr];

	if (window_nr == RELIEF_WINDOWS)
		return -ENOSPC;
	nw->map = window_map;
	nw->append = w->flags & RELIEF_WINDOW_APPEND;
	if (nw->append) {
		/* The zone: [w->offset, w->offset + w->len) of the area. */
		if (!window_nr || window_cursor < w->offset)
			window_cursor = w->offset;
		nw->offset = RELIEF_WINDOW_UNPLACED;
		nw->len = 0;
		nw->end = w->offset + w->len;
	} else {
		nw->offset = w->offset;
		nw->len = w->len;
		nw->end = w->offset + w->len;
	}
	w->major = MAJOR(window_dev);
	w->minor = MINOR(window_dev) + window_nr;
	window_nr++;
	return 0;
}

/* Where an append window's bytes went: offset (~0: never written), len. */
static long window_query(struct relief_agent_window *w)
{
	unsigned int i = w->minor - MINOR(window_dev);

	if (!window_registered || w->major != MAJOR(window_dev) ||
	    i >= window_nr)
		return -ENXIO;
	w->offset = windows[i].offset;
	w->len = windows[i].len;
	return 0;
}

/**
 * relief_window_ioctl() - RELIEF_IOC_AGENT_WINDOW: open, ask about or close
 * windows
 * @area: the transfer area's physical base (0: none in this run)
 * @size: its size
 * @uw: the window asked for (relief_agent_window in the uapi); its device
 *	number, or where an append window's bytes went, out
 *
 * Return: 0, -ENODEV without an area, -EINVAL for a window or zone outside
 * it or unknown flags, -ENOSPC when every window is taken, -ENXIO for a
 * query of no window, -EFAULT, or what registering the device or mapping
 * the area failed with.
 */
long relief_window_ioctl(phys_addr_t area, u64 size,
			 struct relief_agent_window __user *uw)
{
	struct relief_agent_window w;
	long ret = 0;

	if (copy_from_user(&w, uw, sizeof(w)))
		return -EFAULT;
	if (!area)
		return -ENODEV;
	if (w.pad || (w.flags & ~(RELIEF_WINDOW_APPEND | RELIEF_WINDOW_QUERY)))
		return -EINVAL;
	mutex_lock(&window_lock);
	if (w.flags & RELIEF_WINDOW_QUERY) {
		ret = window_query(&w);
	} else if (!w.len) {
		window_nr = 0;
		window_gen++;
		window_writing = false;
	} else if (w.offset > size || w.len > size - w.offset) {
		ret = -EINVAL;
	} else {
		ret = window_setup(area, size);
		if (!ret)
			ret = window_add(&w);
	}
	mutex_unlock(&window_lock);
	if (!ret && copy_to_user(uw, &w, sizeof(w)))
		ret = -EFAULT;
	return ret;
}
