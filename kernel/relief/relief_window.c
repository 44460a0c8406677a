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
 * Frame windows (RELIEF_WINDOW_FRAMES) leave the pages where they are. In
 * the old kernel an append window of frames takes what criu splices into
 * it, a process's anonymous pages, by reference: the area gets the page's
 * frame number, one little-endian u64 for each 4 KiB of image, and the
 * page keeps a reference until this kernel parks or the run ends here
 * (relief_window_frames_drop()). The dumped processes stay frozen, so the
 * pages do not change; anything else written (a partial page, shared
 * memory, a plain write()) is copied into a page allocated for it, which
 * the list names the same way. In the new kernel a read window of frames
 * reads the pages through relief_frames.c, from a copy of the list checked
 * when the window is made.
 *
 * The area is mapped once and never unmapped: a reader may still hold a
 * window of a run that closed them all (it then reads whatever the area
 * holds, never beyond it). A writer of a closed window gets ENXIO, and so
 * does a reader of frames: their blocks may be this kernel's RAM by then.
 */
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kdev_t.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/xarray.h>

#include "relief.h"
#include "relief_frames.h"
#include "relief_window.h"

#define RELIEF_WINDOWS		256
#define RELIEF_WINDOW_UNPLACED	U64_MAX

struct relief_window {
	void *map;		/* the area's mapping it was made on */
	u64 offset;		/* RELIEF_WINDOW_UNPLACED: append, not opened */
	u64 len;		/* bytes of image */
	u64 end;		/* append: where the zone ends */
	bool append;
	bool frames;		/* the area holds frame numbers, not bytes */
	u64 *pfns;		/* frames, reading: the checked list */
};

/* What an open file holds: a copy (reading), or the slot (appending). */
struct relief_window_file {
	struct relief_window w;
	unsigned int slot;
	u64 gen;		/* the run of windows it belongs to */
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
static bool window_in_place;		/* append: frames agreed in this run */
/*
 * The old kernel: every page a frame list names, referenced, in the order
 * written. Its own record, not the lists: the area is the other kernel's
 * to write as well.
 */
static DEFINE_XARRAY(held);
static unsigned long held_nr;
/* Frame reads against closing: the pages may stop being readable. */
static DECLARE_RWSEM(frames_sem);

/* One entry of a frame list in the area. */
static __le64 *window_entry(const struct relief_window *w, u64 idx)
{
	return (__le64 *)(w->map + w->offset) + idx;
}

static u64 window_used(const struct relief_window *w)
{
	if (!w->frames)
		return w->len;
	return DIV_ROUND_UP(w->len, PAGE_SIZE) * sizeof(__le64);
}

static ssize_t window_read_frames(const struct relief_window_file *wf,
				  struct kiocb *iocb, struct iov_iter *to)
{
	const struct relief_window *w = &wf->w;
	loff_t pos = iocb->ki_pos;
	ssize_t done = 0;

	down_read(&frames_sem);
	if (wf->gen != window_gen) {
		up_read(&frames_sem);
		return -ENXIO;
	}
	while (iov_iter_count(to) && pos < w->len) {
		u64 in = pos & ~PAGE_MASK;
		size_t n = min3((u64)iov_iter_count(to), PAGE_SIZE - in,
				w->len - pos), got;
		void *src = relief_frames_map(w->pfns[pos >> PAGE_SHIFT]);

		got = src ? copy_to_iter(src + in, n, to) : 0;
		done += got;
		pos += got;
		if (got < n)
			break;
	}
	up_read(&frames_sem);
	if (!done && iov_iter_count(to) && pos < w->len)
		return -EFAULT;
	iocb->ki_pos = pos;
	return done;
}

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
	if (w->frames)
		return window_read_frames(wf, iocb, to);
	if (pos >= w->len)
		return 0;
	n = min_t(u64, iov_iter_count(to), w->len - pos);
	n = copy_to_iter(w->map + w->offset + pos, n, to);
	if (!n && iov_iter_count(to))
		return -EFAULT;
	iocb->ki_pos += n;
	return n;
}

/*
 * Under window_lock: may frames window @w take image byte @pos? Only in
 * order, from its writer's run, with room for the page's entry.
 */
static int window_frames_at(const struct relief_window_file *wf,
			    const struct relief_window *w, u64 pos)
{
	if (wf->gen != window_gen)
		return -ENXIO;
	if (pos != w->len)
		return -EINVAL;
	if (w->offset + ((pos >> PAGE_SHIFT) + 1) * sizeof(__le64) > w->end)
		return -ENOSPC;
	return 0;
}

/*
 * Under window_lock: @page, referenced, is the image's page at @pos; the
 * reference is held's (dropped here if it cannot be recorded).
 */
static int window_frame_add(struct relief_window *w, u64 pos,
			    struct page *page)
{
	int ret = xa_err(xa_store(&held, held_nr, page, GFP_KERNEL));

	if (ret) {
		put_page(page);
		return ret;
	}
	held_nr++;
	*window_entry(w, pos >> PAGE_SHIFT) = cpu_to_le64(page_to_pfn(page));
	return 0;
}

/*
 * Under window_lock: the page a copy to image byte @pos goes into: a new
 * one at a page boundary, else the one allocated for this partial page.
 */
static struct page *window_frame_copy_to(struct relief_window *w, u64 pos)
{
	struct page *page;
	int ret;

	/* Writes come in order: the partial page is the last one added. */
	if (pos & ~PAGE_MASK)
		return xa_load(&held, held_nr - 1);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	ret = window_frame_add(w, pos, page);
	return ret ? ERR_PTR(ret) : page;
}

/*
 * What criu splices in: a frozen process's anonymous page is taken as it
 * is; page cache, shared memory and part pages are copied.
 */
static int window_pipe_to_frames(struct pipe_inode_info *pipe,
				 struct pipe_buffer *buf, struct splice_desc *sd)
{
	struct relief_window_file *wf = sd->u.file->private_data;
	u64 pos = sd->pos, in = pos & ~PAGE_MASK;
	size_t n = min_t(size_t, sd->len, PAGE_SIZE - in);
	struct relief_window *w;
	struct page *page;
	int ret;

	mutex_lock(&window_lock);
	w = &windows[wf->slot];
	ret = window_frames_at(wf, w, pos);
	if (ret)
		goto out;
	if (!in && !buf->offset && n == PAGE_SIZE && PageAnon(buf->page)) {
		get_page(buf->page);
		ret = window_frame_add(w, pos, buf->page);
		if (ret)
			goto out;
	} else {
		page = window_frame_copy_to(w, pos);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto out;
		}
		memcpy_page(page, in, buf->page, buf->offset, n);
	}
	w->len = pos + n;
	ret = n;
out:
	mutex_unlock(&window_lock);
	return ret;
}

static ssize_t window_splice_write(struct pipe_inode_info *pipe,
				   struct file *out, loff_t *ppos, size_t len,
				   unsigned int flags)
{
	const struct relief_window_file *wf = out->private_data;
	ssize_t ret;

	if (!wf->w.frames)
		return iter_file_splice_write(pipe, out, ppos, len, flags);
	ret = splice_from_pipe(pipe, out, ppos, len, flags,
			       window_pipe_to_frames);
	/* splice_from_pipe() leaves the position to its caller. */
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/* Under window_lock: a plain write() to a frames window is copied. */
static ssize_t window_write_frames(struct relief_window_file *wf,
				   struct relief_window *w, struct kiocb *iocb,
				   struct iov_iter *from)
{
	u64 pos = iocb->ki_pos;
	ssize_t done = 0;
	int ret = 0;

	while (iov_iter_count(from)) {
		u64 in = pos & ~PAGE_MASK;
		size_t n = min_t(u64, iov_iter_count(from), PAGE_SIZE - in);
		struct page *page;
		size_t got;

		ret = window_frames_at(wf, w, pos);
		if (ret)
			break;
		page = window_frame_copy_to(w, pos);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			break;
		}
		got = copy_page_from_iter(page, in, n, from);
		pos += got;
		done += got;
		w->len = pos;
		if (got < n) {
			ret = -EFAULT;
			break;
		}
	}
	iocb->ki_pos = pos;
	return done ?: ret;
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
	if (w->frames) {
		ret = window_write_frames(wf, w, iocb, from);
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
		wf->gen = window_gen;
	} else if (!(f->f_mode & FMODE_WRITE) || window_writing ||
		   w->offset != RELIEF_WINDOW_UNPLACED) {
		/* written once, by one writer, then only asked about */
		ret = -EBUSY;
	} else {
		w->offset = window_cursor;
		w->len = 0;
		window_writing = true;
		wf->w.append = true;
		wf->w.frames = w->frames;
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
			window_cursor = ALIGN(w->offset + window_used(w), 8);
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
	.splice_write = window_splice_write,
	.llseek = window_llseek,
};

/*
 * Under window_lock: close every window. Frame readers are shut out
 * first; relief_frames_release() is due once window_lock is dropped (a
 * list that failed its checks half way held blocks too).
 */
static void window_close_all(void)
{
	unsigned int i;

	down_write(&frames_sem);
	for (i = 0; i < window_nr; i++) {
		kvfree(windows[i].pfns);
		windows[i].pfns = NULL;
	}
	window_nr = 0;
	window_gen++;
	window_writing = false;
	up_write(&frames_sem);
}

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
	/* No reader made frames yet: one would have set the map up. */
	window_close_all();
	return 0;
}

/*
 * The new kernel: a read window of frames. The list at [@w->offset, + 8
 * a page) is copied, and every frame in it must be the old kernel's RAM,
 * held out of this kernel's until the windows close.
 */
static int window_add_frames(struct relief_window *nw,
			     const struct relief_agent_window *w, u64 size)
{
	u64 pages = DIV_ROUND_UP(w->len, PAGE_SIZE), i;
	const __le64 *list;
	int ret;

	if (w->offset > size || pages > (size - w->offset) / sizeof(__le64))
		return -EINVAL;
	nw->pfns = kvmalloc_array(pages, sizeof(u64), GFP_KERNEL);
	if (!nw->pfns)
		return -ENOMEM;
	list = window_map + w->offset;
	for (i = 0; i < pages; i++) {
		nw->pfns[i] = le64_to_cpu(list[i]);
		ret = relief_frames_hold(nw->pfns[i]);
		if (ret) {
			kvfree(nw->pfns);
			nw->pfns = NULL;
			return ret;
		}
	}
	return 0;
}

/* A new window in slot window_nr; its device number into *w. */
static long window_add(struct relief_agent_window *w, u64 size)
{
	struct relief_window *nw = &windows[window_nr];
	int ret;

	if (window_nr == RELIEF_WINDOWS)
		return -ENOSPC;
	nw->map = window_map;
	nw->append = w->flags & RELIEF_WINDOW_APPEND;
	nw->frames = w->flags & RELIEF_WINDOW_FRAMES;
	nw->pfns = NULL;
	if (nw->frames && nw->append && !window_in_place)
		return -EOPNOTSUPP;
	if (nw->frames && !nw->append) {
		ret = window_add_frames(nw, w, size);
		if (ret)
			return ret;
		nw->offset = w->offset;
		nw->len = w->len;
		nw->end = size;
	} else if (nw->append) {
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
 * Return: 0, -ENODEV without an area (except to close), -EINVAL for a
 * window or zone outside it, unknown flags or a frame that is not the old
 * kernel's RAM, -ENOSPC when every window is taken, -ENXIO for a query of no window,
 * -EOPNOTSUPP for frames the run did not agree to, -EBUSY for a frame
 * already in this kernel's RAM, -EFAULT, -ENOMEM, or what registering the
 * device or mapping the area failed with.
 */
long relief_window_ioctl(phys_addr_t area, u64 size,
			 struct relief_agent_window __user *uw)
{
	struct relief_agent_window w;
	bool closed = false, list;
	long ret = 0;

	if (copy_from_user(&w, uw, sizeof(w)))
		return -EFAULT;
	/* Closing needs no area: it may have been withdrawn meanwhile. */
	if (!area && (w.len || (w.flags & RELIEF_WINDOW_QUERY)))
		return -ENODEV;
	/* A read window of frames: len is the image's, not the area's. */
	list = (w.flags & (RELIEF_WINDOW_FRAMES | RELIEF_WINDOW_APPEND)) ==
	       RELIEF_WINDOW_FRAMES;
	if (w.pad || (w.flags & ~(RELIEF_WINDOW_APPEND | RELIEF_WINDOW_QUERY |
				  RELIEF_WINDOW_FRAMES)))
		return -EINVAL;
	mutex_lock(&window_lock);
	if (w.flags & RELIEF_WINDOW_QUERY) {
		ret = window_query(&w);
	} else if (!w.len) {
		window_close_all();
		closed = true;
	} else if (w.offset > size || (w.len > size - w.offset && !list)) {
		/* A list's length is checked by window_add_frames(). */
		ret = -EINVAL;
	} else {
		ret = window_setup(area, size);
		if (!ret)
			ret = window_add(&w, size);
	}
	mutex_unlock(&window_lock);
	if (closed) {
		relief_frames_release();
		relief_new_reclaim_kick();
	}
	if (!ret && copy_to_user(uw, &w, sizeof(w)))
		ret = -EFAULT;
	return ret;
}

/**
 * relief_window_let_go() - is every window closed? then forget the area
 *
 * For the new kernel, before its transfer area goes to the page
 * allocator: with no window open the mapping of the area is dropped, and
 * a later run maps its own.
 *
 * Return: true if no window is open.
 */
bool relief_window_let_go(void)
{
	bool idle;

	mutex_lock(&window_lock);
	idle = !window_nr;
	if (idle && window_map) {
		memunmap(window_map);
		window_map = NULL;
		window_map_phys = 0;
		window_map_size = 0;
	}
	mutex_unlock(&window_lock);
	return idle;
}

/**
 * relief_window_in_place() - may append windows take pages by reference?
 * @on: the run agreed RELIEF_FEAT_PROC_IN_PLACE (the new kernel reads
 *	frame lists)
 */
void relief_window_in_place(bool on)
{
	mutex_lock(&window_lock);
	window_in_place = on;
	mutex_unlock(&window_lock);
}

/**
 * relief_window_frames_drop() - the old kernel keeps the pages it lent
 *
 * The run ended with this kernel owning the machine (aborted, rolled back):
 * every window closes, and the references the frame lists held on their
 * pages are dropped. Not called when it stands relieved: the new kernel
 * reads them after this one has parked.
 */
void relief_window_frames_drop(void)
{
	unsigned long i, n;
	struct page *page;

	mutex_lock(&window_lock);
	window_close_all();
	window_in_place = false;
	xa_for_each(&held, i, page)
		put_page(page);
	xa_destroy(&held);
	n = held_nr;
	held_nr = 0;
	mutex_unlock(&window_lock);
	if (n)
		pr_info("relief: %lu pages handed over in place are this kernel's again\n",
			n);
}
