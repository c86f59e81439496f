// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_smoke OBJ: load harness.bpf.o, attach it, run N execs and print how
 * many the program counted. Exit 0 only when it counted every one.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXECS 3

static int run_true(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
	struct bpf_map *map;
	__u64 count = 0;
	__u32 key = 0;
	int i, err = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJ\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || libbpf_get_error(obj)) {
		fprintf(stderr, "bpf_smoke: cannot open %s\n", argv[1]);
		return 1;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "bpf_smoke: load failed\n");
		goto out;
	}
	prog = bpf_object__find_program_by_name(obj, "count_exec");
	map = bpf_object__find_map_by_name(obj, "exec_count");
	if (!prog || !map)
		goto out;
	link = bpf_program__attach(prog);
	if (!link || libbpf_get_error(link)) {
		fprintf(stderr, "bpf_smoke: attach failed\n");
		goto out;
	}
	for (i = 0; i < EXECS; i++)
		if (run_true())
			goto detach;
	if (bpf_map_lookup_elem(bpf_map__fd(map), &key, &count))
		goto detach;
	printf("execs counted: %llu\n", (unsigned long long)count);
	err = count >= EXECS ? 0 : 1;
detach:
	bpf_link__destroy(link);
out:
	bpf_object__close(obj);
	return err;
}
