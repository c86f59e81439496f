// SPDX-License-Identifier: GPL-2.0
/*
 * A module that leaks an allocation on load, built only so that the harness
 * can prove kmemleak findings fail a guest run.
 */
#include <linux/module.h>
#include <linux/slab.h>

static int __init selftest_leak_init(void)
{
	void *leaked = kmalloc(1024, GFP_KERNEL);

	if (!leaked)
		return -ENOMEM;
	/* Forget the only reference: kmemleak must report it. */
	pr_info("fastrpc selftest: leaking 1024 bytes\n");
	return 0;
}

static void __exit selftest_leak_exit(void)
{
}

module_init(selftest_leak_init);
module_exit(selftest_leak_exit);
MODULE_DESCRIPTION("fastrpc harness self-test: leak on load");
MODULE_LICENSE("GPL");
