// SPDX-License-Identifier: GPL-2.0
/*
 * relief - windows on the transfer area: read-only character devices, one
 * per page image the new kernel's agent would otherwise copy out of the
 * area before criu could read it. criu opens the image by name; the agent
 * makes that name a node of a window, so criu's reads (a lazy restore's
 * page faults, mostly after the processes run again) come straight from
 * where the old kernel's agent put the pages.
 *
 * The area is mapped once and never unmapped: it stays reserved in this
 * kernel's memory map, and a reader may still hold a window that a later
 * run closed (it then reads whatever the area holds, never beyond it).
 */
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kdev_t.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "relief_window.h"

#define RELIEF_WINDOWS	256

struct relief_window {
	void *map;		/* the area's mapping it was opened on */
	u64 offset;
	u64 len;
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

static ssize_t window_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	const struct relief_window *w = iocb->ki_filp->private_data;
	loff_t pos = iocb->ki_pos;
	size_t n;

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

static int window_open(struct inode *inode, struct file *f)
{
	unsigned int i = iminor(inode) - MINOR(window_dev);
	struct relief_window *w;

	if (f->f_mode & FMODE_WRITE)
		return -EROFS;
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	mutex_lock(&window_lock);
	if (i >= window_nr) {
		mutex_unlock(&window_lock);
		kfree(w);
		return -ENXIO;
	}
	/* The file keeps the window it opened, whatever comes later. */
	*w = windows[i];
	mutex_unlock(&window_lock);
	f->private_data = w;
	return 0;
}

static int window_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
	return 0;
}

static loff_t window_llseek(struct file *f, loff_t off, int whence)
{
	const struct relief_window *w = f->private_data;

	return fixed_size_llseek(f, off, whence, w->len);
}

static const struct file_operations window_fops = {
	.owner = THIS_MODULE,
	.open = window_open,
	.release = window_release,
	.read_iter = window_read_iter,
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
	return 0;
}

/**
 * relief_window_ioctl() - RELIEF_IOC_AGENT_WINDOW: open a window
 * @area: the transfer area's physical base (0: none in this run)
 * @size: its size
 * @uw: the window asked for; its device number out
 *
 * Return: 0, -ENODEV without an area, -EINVAL for a window outside it,
 * -ENOSPC when every window is taken, -EFAULT, or what registering the
 * device or mapping the area failed with.
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
	if (!w.len) {
		mutex_lock(&window_lock);
		window_nr = 0;
		mutex_unlock(&window_lock);
		return 0;
	}
	if (w.offset > size || w.len > size - w.offset)
		return -EINVAL;
	mutex_lock(&window_lock);
	ret = window_setup(area, size);
	if (!ret && window_nr == RELIEF_WINDOWS)
		ret = -ENOSPC;
	if (!ret) {
		windows[window_nr].map = window_map;
		windows[window_nr].offset = w.offset;
		windows[window_nr].len = w.len;
		w.major = MAJOR(window_dev);
		w.minor = MINOR(window_dev) + window_nr;
		window_nr++;
	}
	mutex_unlock(&window_lock);
	if (!ret && copy_to_user(uw, &w, sizeof(w)))
		ret = -EFAULT;
	return ret;
}
