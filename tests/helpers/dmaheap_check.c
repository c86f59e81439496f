// SPDX-License-Identifier: GPL-2.0
/*
 * dmaheap_check SIZE: allocate SIZE bytes from the system dma-heap as
 * fastrpcctl's heap: specs do (libfrpc's frpc_heap_alloc), map the
 * dma-buf, write a pattern, unmap, map again and verify it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libfrpc.h"

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 131 + 7);
}

static void *map(int fd, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
	unsigned char *p;
	size_t size, i;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SIZE\n", argv[0]);
		return 2;
	}
	size = strtoull(argv[1], NULL, 0);
	fd = frpc_heap_alloc(size);
	if (fd < 0) {
		fprintf(stderr, "/dev/dma_heap/system: DMA_HEAP_IOCTL_ALLOC: %s\n",
			strerror(-fd));
		return 1;
	}
	p = map(fd, size);
	if (!p) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < size; i++)
		p[i] = pattern(i);
	munmap(p, size);
	p = map(fd, size);
	if (!p) {
		perror("mmap again");
		return 1;
	}
	for (i = 0; i < size; i++) {
		if (p[i] != pattern(i)) {
			fprintf(stderr, "byte %zu: %#x, expected %#x\n", i, p[i], pattern(i));
			return 1;
		}
	}
	printf("verified %zu bytes\n", size);
	munmap(p, size);
	close(fd);
	return 0;
}
