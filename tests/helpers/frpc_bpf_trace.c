// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_bpf_trace [-o btf|tp] OBJ CMD [ARG...]: load frpc_trace.bpf.o,
 * attach its programs (tp_btf and classic tracepoint programs on every
 * fastrpc event; -o: only the one kind), run CMD, then print what they
 * counted, and detach.
 *
 *   attached N programs
 *   command exit S
 *   EVENT btf=N tp=N        one line per event (-: that kind not attached)
 *   ctx_alloc ctx_id btf=N tp=N   the last ctx_id each kind read
 *
 * Exits 1 when the object does not load or a program does not attach.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frpc_trace_events.h"

#define FRPC_EV_NAME(name) #name,
static const char *const event_names[FRPC_EV_COUNT] = {
	FRPC_TRACE_EVENTS(FRPC_EV_NAME)
};

#define MAX_LINKS 128

static int wanted(const struct bpf_program *prog, const char *only)
{
	const char *sec = bpf_program__section_name(prog);

	if (!only)
		return 1;
	if (!strcmp(only, "btf"))
		return !strncmp(sec, "tp_btf/", 7);
	return !strncmp(sec, "tracepoint/", 11);
}

static int run(char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "frpc_bpf_trace: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static __u64 lookup(struct bpf_object *obj, const char *map, __u32 key)
{
	__u64 v = 0;

	bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, map)),
			    &key, &v);
	return v;
}

static void report(struct bpf_object *obj, const char *only)
{
	int btf = !only || !strcmp(only, "btf");
	int tp = !only || !strcmp(only, "tp");
	__u32 i;

	for (i = 0; i < FRPC_EV_COUNT; i++) {
		printf("%s", event_names[i]);
		if (btf)
			printf(" btf=%llu", (unsigned long long)lookup(obj, "counts", i));
		else
			printf(" btf=-");
		if (tp)
			printf(" tp=%llu\n", (unsigned long long)
			       lookup(obj, "counts", FRPC_EV_COUNT + i));
		else
			printf(" tp=-\n");
	}
	printf("ctx_alloc ctx_id btf=%llu tp=%llu\n",
	       (unsigned long long)lookup(obj, "fields", FRPC_FIELD_BTF_CTX),
	       (unsigned long long)lookup(obj, "fields", FRPC_FIELD_TP_CTX));
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_LINKS];
	struct bpf_program *prog;
	struct bpf_object *obj;
	const char *only = NULL;
	int nlinks = 0, err = 1, st, i;

	if (argc > 2 && !strcmp(argv[1], "-o")) {
		only = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 3 || (only && strcmp(only, "btf") && strcmp(only, "tp"))) {
		fprintf(stderr, "usage: frpc_bpf_trace [-o btf|tp] OBJ CMD [ARG...]\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || libbpf_get_error(obj)) {
		fprintf(stderr, "frpc_bpf_trace: cannot open %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, wanted(prog, only));
	if (bpf_object__load(obj)) {
		fprintf(stderr, "frpc_bpf_trace: load failed\n");
		goto out;
	}
	bpf_object__for_each_program(prog, obj) {
		struct bpf_link *link;

		if (!wanted(prog, only))
			continue;
		if (nlinks == MAX_LINKS) {
			fprintf(stderr, "frpc_bpf_trace: too many programs\n");
			goto detach;
		}
		link = bpf_program__attach(prog);
		if (!link || libbpf_get_error(link)) {
			fprintf(stderr, "frpc_bpf_trace: cannot attach %s (%s)\n",
				bpf_program__name(prog),
				bpf_program__section_name(prog));
			goto detach;
		}
		links[nlinks++] = link;
	}
	printf("attached %d programs\n", nlinks);
	st = run(argv + 2);
	if (st < 0) {
		perror("frpc_bpf_trace: fork");
		goto detach;
	}
	printf("command exit %d\n", st);
	report(obj, only);
	err = 0;
detach:
	for (i = 0; i < nlinks; i++)
		bpf_link__destroy(links[i]);
out:
	bpf_object__close(obj);
	return err;
}
