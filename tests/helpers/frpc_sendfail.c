// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_sendfail DOMAIN: a calculator sum whose request the transport
 * refuses. The caller has armed failslab (debugfs) to fail one
 * allocation, from the slab cache the vdsp queues requests in, by a task
 * with make-it-fail set; this program sets make-it-fail on itself around
 * exactly one INVOKE, after a first call that warmed the driver's payload
 * cache. Prints "warm: 0" and "send: R" (R: 0 or -errno of that INVOKE).
 */
#include "frpc_common.h"

#include <fcntl.h>

static void make_it_fail(int fd, const char *v)
{
	if (pwrite(fd, v, 1, 0) != 1)
		frpc_die("make-it-fail: %s", strerror(errno));
}

static int sum(struct frpc *f, uint32_t h)
{
	static int32_t v[2] = { 20, 22 };
	struct fastrpc_invoke_args a[2];
	int64_t s = 0;
	int ret;

	a[0] = frpc_arg(v, sizeof(v));
	a[1] = frpc_arg(&s, sizeof(s));
	ret = frpc_invoke(f, h, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a);
	FRPC_CHECK(ret || s == 42, "sum %lld", (long long)s);
	return ret;
}

int main(int argc, char **argv)
{
	struct frpc f;
	uint32_t h;
	int fd, ret;

	if (argc != 2)
		frpc_die("usage: frpc_sendfail DOMAIN");
	fd = open("/proc/self/make-it-fail", O_WRONLY);
	if (fd < 0)
		frpc_die("/proc/self/make-it-fail: %s", strerror(errno));
	frpc_session(&f, argv[1], 0, "calculator", &h);
	printf("warm: %d\n", sum(&f, h));
	make_it_fail(fd, "1");
	ret = sum(&f, h);
	make_it_fail(fd, "0");
	printf("send: %d\n", ret);
	FRPC_OK(frpc_skel_close(&f, h));
	frpc_close(&f);
	close(fd);
	return 0;
}
