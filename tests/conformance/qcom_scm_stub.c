// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two calls of qcom_scm that the in-tree FastRPC driver
 * (drivers/misc/fastrpc.c, built by `make conformance`) makes, for a
 * board without Qualcomm's secure monitor: the test guest is an x86 QEMU
 * machine, and the vdsp has no memory protection to hand memory to.
 *
 * - qcom_scm_is_available() is false: there is no SCM device. The driver
 *   asks only when its node lists qcom,vmids (the vdsp's nodes do not);
 *   then its probe defers, as on a board whose SCM never came up.
 * - qcom_scm_assign_mem() refuses with -EOPNOTSUPP, what the real call
 *   returns when the secure monitor does not implement the hypervisor
 *   assignment (QCOM_SCM_EOPNOTSUPP, qcom_scm_remap_error()). Succeeding
 *   would tell the driver, and through it the caller, that a buffer is
 *   out of the kernel's reach when nothing took it away. The driver calls
 *   it for FASTRPC_ATTR_SECUREMAP buffers whatever its node says, so a
 *   caller can reach it; each call is counted (parameter assign_calls)
 *   and logged.
 *
 * The real qcom_scm_assign_mem() on a board where SCM did not probe
 * dereferences a NULL pointer: there is no errno to copy from it.
 */
#include <linux/atomic.h>
#include <linux/firmware/qcom/qcom_scm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sysfs.h>

static atomic_t assign_calls = ATOMIC_INIT(0);

static int assign_calls_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&assign_calls));
}

static const struct kernel_param_ops assign_calls_ops = {
	.get = assign_calls_get,
};

module_param_cb(assign_calls, &assign_calls_ops, NULL, 0444);
MODULE_PARM_DESC(assign_calls, "qcom_scm_assign_mem() calls refused so far");

bool qcom_scm_is_available(void)
{
	return false;
}
EXPORT_SYMBOL_GPL(qcom_scm_is_available);

int qcom_scm_assign_mem(phys_addr_t mem_addr, size_t mem_sz, u64 *src,
			const struct qcom_scm_vmperm *newvm,
			unsigned int dest_cnt)
{
	atomic_inc(&assign_calls);
	pr_info_ratelimited("qcom_scm_stub: assign_mem of %zu bytes to %u VM(s) refused: no secure monitor\n",
			    mem_sz, dest_cnt);
	return -EOPNOTSUPP;
}
EXPORT_SYMBOL_GPL(qcom_scm_assign_mem);

MODULE_DESCRIPTION("qcom_scm stand-in for the in-tree FastRPC driver on the vdsp");
MODULE_LICENSE("GPL");
