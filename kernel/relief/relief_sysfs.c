// SPDX-License-Identifier: GPL-2.0
/*
 * relief - /sys/kernel/relief/: how an operator and reliefctl see that this
 * kernel can take part in a swap, which protocol versions it speaks, and
 * how the current or last run went.
 */
#include <linux/capability.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/printk.h>
#include <linux/sysfs.h>

#include "relief.h"
#include "relief_old.h"
#include "proto/relief_msg.h"
#include "proto/relief_version.h"

static struct kobject *relief_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s protocol %u-%u\n", RELIEF_VERSION,
			  RELIEF_PROTO_VERSION_MIN, RELIEF_PROTO_VERSION_MAX);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

#define RELIEF_OLD_ATTR(name)						\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return relief_old_show_##name(buf);				\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

/*
 * A relieving kernel shows its own (NEW) state until it lends the machine
 * on; otherwise, and from then on, the OLD run's.
 */
static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	if (relief_is_new && !relief_old_has_run())
		return sysfs_emit(buf, "NEW %s\n", relief_new_state_name_now());
	return relief_old_show_state(buf);
}

static struct kobj_attribute state_attr = __ATTR_RO(state);

/*
 * "continued": this kernel relieved (or is relieving) one that described
 * its clocks, and its own continue them (the agent then restores the moved
 * processes in this kernel's time, not in a namespace that hides the
 * pause); "own" otherwise.
 */
static ssize_t clocks_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();

	return sysfs_emit(buf, "%s\n", h && h->clock.stamp ? "continued" :
			  "own");
}

static struct kobj_attribute clocks_attr = __ATTR_RO(clocks);

RELIEF_OLD_ATTR(cpus);
RELIEF_OLD_ATTR(region);
RELIEF_OLD_ATTR(timings);
RELIEF_OLD_ATTR(peer);
RELIEF_OLD_ATTR(devices);
RELIEF_OLD_ATTR(keep);

/* The new kernel's log, readable as this kernel's own: dmesg_restrict. */
static ssize_t console_read(struct file *f, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	if (dmesg_restrict && !capable(CAP_SYSLOG))
		return -EPERM;
	return relief_old_read_console(buf, off, count);
}
static BIN_ATTR_RO(console, 0);

static struct attribute *relief_attrs[] = {
	&version_attr.attr,
	&state_attr.attr,
	&clocks_attr.attr,
	&cpus_attr.attr,
	&region_attr.attr,
	&timings_attr.attr,
	&peer_attr.attr,
	&devices_attr.attr,
	&keep_attr.attr,
	NULL,
};

static struct bin_attribute *relief_bin_attrs[] = {
	&bin_attr_console,
	NULL,
};

static const struct attribute_group relief_attr_group = {
	.attrs = relief_attrs,
	.bin_attrs = relief_bin_attrs,
};

static int __init relief_sysfs_init(void)
{
	int ret;

	relief_kobj = kobject_create_and_add("relief", kernel_kobj);
	if (!relief_kobj)
		return -ENOMEM;

	ret = sysfs_create_group(relief_kobj, &relief_attr_group);
	if (ret) {
		kobject_put(relief_kobj);
		relief_kobj = NULL;
		return ret;
	}

	pr_info("relief %s: protocol %u-%u\n", RELIEF_VERSION,
		RELIEF_PROTO_VERSION_MIN, RELIEF_PROTO_VERSION_MAX);
	return 0;
}
late_initcall(relief_sysfs_init);
