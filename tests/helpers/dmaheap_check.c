// SPDX-License-Identifier: GPL-2.0
/*
 * dmaheap_check HEAP SIZE: allocate SIZE bytes from a dma-heap, map the
 * dma-buf, write a pattern, unmap, map again and verify it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

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
	struct dma_heap_allocation_data alloc = { 0 };
	unsigned char *p;
	size_t size, i;
	int heap;

	if (argc != 3) {
		fprintf(stderr, "usage: %s HEAP SIZE\n", argv[0]);
		return 2;
	}
	size = strtoull(argv[2], NULL, 0);
	heap = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (heap < 0) {
		fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	alloc.len = size;
	alloc.fd_flags = O_RDWR | O_CLOEXEC;
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &alloc)) {
		fprintf(stderr, "DMA_HEAP_IOCTL_ALLOC: %s\n", strerror(errno));
		return 1;
	}
	p = map(alloc.fd, size);
	if (!p) {
		fprintf(stderr, "mmap: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < size; i++)
		p[i] = pattern(i);
	munmap(p, size);
	p = map(alloc.fd, size);
	if (!p) {
		fprintf(stderr, "mmap again: %s\n", strerror(errno));
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
	close(alloc.fd);
	close(heap);
	return 0;
}
