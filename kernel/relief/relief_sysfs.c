// SPDX-License-Identifier: GPL-2.0
/*
 * relief - /sys/kernel/relief/: how an operator and reliefctl see that this
 * kernel can take part in a swap, and which protocol versions it speaks.
 */
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/printk.h>
#include <linux/sysfs.h>

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

static struct attribute *relief_attrs[] = {
	&version_attr.attr,
	NULL,
};

static const struct attribute_group relief_attr_group = {
	.attrs = relief_attrs,
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
