// SPDX-License-Identifier: GPL-2.0
/*
 * A module that WARNs on load, built only so that the harness can prove its
 * splat check catches a kernel warning in the guest log.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init selftest_warn_init(void)
{
	WARN(1, "fastrpc selftest: deliberate warning on load\n");
	return 0;
}

static void __exit selftest_warn_exit(void)
{
}

module_init(selftest_warn_init);
module_exit(selftest_warn_exit);
MODULE_DESCRIPTION("fastrpc harness self-test: WARN on load");
MODULE_LICENSE("GPL");
