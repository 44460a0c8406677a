// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: reading and verifying the new kernel's files
 *
 * Both PREPARE and CHECK_IMAGE (reliefctl swap --dry-run) read the image
 * and the initrd whole from the file descriptors reliefctl passes, as
 * kexec_file_load() does (so IMA sees them), and check the image in one
 * order: the signature policy first, before anything of an unverified
 * image is parsed, then relief's own checks (the arch's, proto/ for
 * x86_64: length, CRC, the marker of a relief kernel and its protocol
 * versions). Nothing is offlined or reserved here; a refusal changes
 * nothing.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/limits.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "relief.h"
#include "relief_old.h"
#include "uapi/linux/relief.h"

static int relief_read_fd(int fd, void **buf, size_t *len,
			  enum kernel_read_file_id id)
{
	ssize_t ret;

	*buf = NULL;
	ret = kernel_read_file_from_fd(fd, 0, buf, INT_MAX, NULL, id);
	if (ret < 0)
		return ret;
	*len = ret;
	return 0;
}

/**
 * relief_image_read() - read the new kernel's image and initrd, checked
 * @kernel_fd: the image
 * @initrd_fd: the initrd, or -1
 * @b: image, initrd and the image's checked header out
 * @no_marker: test kernels: an image without the relief marker will do
 * @check: out: the relief check that failed (enum relief_image_err), or 0
 *
 * Return: 0, a read error, -EKEYREJECTED (signature policy) or -ENOEXEC
 * (a relief check: *@check says which). On error nothing is left held.
 */
int relief_image_read(int kernel_fd, int initrd_fd, struct relief_boot *b,
		      bool no_marker, int *check)
{
	void *image, *initrd = NULL;
	size_t image_len, initrd_len = 0;
	int ret;

	*check = 0;
	ret = relief_read_fd(kernel_fd, &image, &image_len,
			     READING_KEXEC_IMAGE);
	if (ret)
		return ret;
	ret = relief_arch_check_image(image, image_len, &b->image_info, check);
	if (ret == -ENOEXEC && no_marker &&
	    IS_ENABLED(CONFIG_RELIEF_DEBUG_INJECT) &&
	    *check == RELIEF_IMAGE_ERR_NO_MARKER) {
		pr_warn("test: starting an image that is not a relief kernel\n");
		ret = 0;
	}
	if (ret)
		goto out_image;
	if (initrd_fd >= 0) {
		ret = relief_read_fd(initrd_fd, &initrd, &initrd_len,
				     READING_KEXEC_INITRAMFS);
		if (ret)
			goto out_image;
	}
	b->image = image;
	b->image_len = image_len;
	b->initrd = initrd;
	b->initrd_len = initrd_len;
	return 0;

out_image:
	vfree(image);
	return ret;
}

/**
 * relief_image_free() - let go of what relief_image_read() read
 * @b: its image and initrd (NULL afterwards)
 */
void relief_image_free(struct relief_boot *b)
{
	vfree(b->initrd);
	vfree(b->image);
	b->image = NULL;
	b->initrd = NULL;
	b->image_len = 0;
	b->initrd_len = 0;
}

/**
 * relief_image_ioctl_check() - RELIEF_IOC_CHECK_IMAGE
 * @up: the user's struct relief_check_image
 *
 * Return: 0 if PREPARE would accept the files, or relief_image_read()'s
 * error; the check that failed and what was read are copied out either
 * way.
 */
long relief_image_ioctl_check(struct relief_check_image __user *up)
{
	struct relief_check_image c;
	struct relief_boot b = { };
	int check, ret;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (copy_from_user(&c, up, sizeof(c)))
		return -EFAULT;
	ret = relief_image_read(c.kernel_fd, c.initrd_fd, &b, false, &check);
	c.check = check;
	c.proto_min = b.image_info.proto_min;
	c.proto_max = b.image_info.proto_max;
	c.image_len = b.image_info.file_len;
	c.initrd_len = b.initrd_len;
	relief_image_free(&b);
	if (copy_to_user(up, &c, sizeof(c)))
		return -EFAULT;
	return ret;
}
