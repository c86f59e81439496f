// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl invoke: open a skel by name or URI through remotectl (or use
 * a raw handle), call one method with typed arguments and print what it
 * returned.
 *
 * Arguments are buffer specs (invoke_args.c); the vdsp's built-in skels
 * also have friendly signatures here ("calculator sum 1 2 3" builds
 * "i32:1,2,3" and "out:i64"). --map and --mmap put memory into the
 * process's DSP address space first; @N in an integer stands for the DSP
 * address of the N-th of them, for the memtest skel.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "invoke.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "mem.h"
#include "parse.h"
#include "session.h"

enum { OPT_RAW = OPT_FIRST_OWN, OPT_MAP, OPT_MMAP, OPT_REPEAT };

struct method {
	const char *name;
	uint32_t id;
	const char *usage;
	int (*build)(struct ctl *c, struct call *call, int argc, char **argv);
};

struct skel {
	const char *name;
	const struct method *methods;
	size_t n;
	bool vdsp_only;		/* a test skel of the vdsp, on no board */
};

/* "PREFIX" + argv joined by commas, as one spec */
static int add_joined(struct ctl *c, struct call *call, const char *prefix,
		      int argc, char **argv)
{
	size_t len = strlen(prefix) + 1;
	char *spec;
	int ret;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	spec = malloc(len);
	if (!spec)
		return ctl_err(c, CTL_FAIL, "out of memory");
	strcpy(spec, prefix);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(spec, ",");
		strcat(spec, argv[i]);
	}
	ret = call_add_spec(c, call, spec);
	free(spec);
	return ret;
}

static int want_args(struct ctl *c, const char *method, int argc, int min,
		     int max, const char *usage)
{
	if (argc >= min && (max < 0 || argc <= max))
		return 0;
	return ctl_err(c, CTL_USAGE, "invoke %s: expected %s", method, usage);
}

static int build_sum(struct ctl *c, struct call *call, int argc, char **argv)
{
	return add_joined(c, call, "i32:", argc, argv) ?:
	       call_add_spec(c, call, "out:i64");
}

static int build_max(struct ctl *c, struct call *call, int argc, char **argv)
{
	return want_args(c, "calculator max", argc, 1, -1, "INT...") ?:
	       add_joined(c, call, "i32:", argc, argv) ?:
	       call_add_spec(c, call, "out:i32");
}

/* Every in-buffer gets an out-buffer of its size, backed the same way. */
static int build_copy(struct ctl *c, struct call *call, int argc, char **argv)
{
	char spec[96];
	int ret, nin;

	ret = want_args(c, "echo copy", argc, 1, 64, "1 to 64 buffer specs");
	for (int i = 0; !ret && i < argc; i++)
		ret = call_add_spec(c, call, argv[i]);
	nin = call->nargs;
	for (int i = 0; !ret && i < nin; i++) {
		const struct iarg *in = &call->args[i];

		/* the out-buffers mirror the in-buffers; none may be given */
		if (in->out)
			return ctl_err(c, CTL_USAGE,
				       "echo copy: in-buffer specs only (out-buffers mirror them; use --raw for others)");

		snprintf(spec, sizeof(spec), "%s%sout:%s%zu",
			 in->backing == BACK_DRIVER ? "dmabuf:" : "",
			 in->backing == BACK_HEAP ? "heap:" : "",
			 in->kind == KIND_STR ? "str:" : "", in->len);
		ret = call_add_spec(c, call, spec);
	}
	return ret;
}

static int build_checksum(struct ctl *c, struct call *call, int argc,
			  char **argv)
{
	return want_args(c, "memtest checksum", argc, 2, 2, "VADDR LEN") ?:
	       add_joined(c, call, "u64:", argc, argv) ?:
	       call_add_spec(c, call, "out:x64");
}

/* struct memtest_fill {vaddr, len, byte, pad} packs as three u64s. */
static int build_fill(struct ctl *c, struct call *call, int argc, char **argv)
{
	uint32_t byte;

	if (want_args(c, "memtest fill", argc, 3, 3, "VADDR LEN BYTE") ||
	    parse_u32(c, "byte", argv[2], &byte))
		return CTL_USAGE;
	if (byte > 0xff)
		return ctl_err(c, CTL_USAGE, "invalid byte '%s'", argv[2]);
	return add_joined(c, call, "u64:", argc, argv);
}

static int build_usleep(struct ctl *c, struct call *call, int argc,
			char **argv)
{
	return want_args(c, "sleep usleep", argc, 1, 1, "MICROSECONDS") ?:
	       add_joined(c, call, "u32:", argc, argv);
}

static int build_retval(struct ctl *c, struct call *call, int argc,
			char **argv)
{
	char spec[24];
	int64_t code;

	if (want_args(c, "fault retval", argc, 1, 1, "CODE") ||
	    parse_s64(c, "code", argv[0], &code))
		return CTL_USAGE;
	/* a 32-bit code, as a DSP returns it: -22, 5 or 0x80000406 */
	if (code < INT32_MIN || code > UINT32_MAX)
		return ctl_err(c, CTL_USAGE, "invalid code '%s' (32 bits)",
			       argv[0]);
	snprintf(spec, sizeof(spec), "i32:%" PRId32, (int32_t)(uint32_t)code);
	return call_add_spec(c, call, spec);
}

static int build_none(struct ctl *c, struct call *call, int argc, char **argv)
{
	(void)call;
	(void)argv;
	return want_args(c, "fault crash", argc, 0, 0, "no arguments");
}

static const struct method calculator_methods[] = {
	{ "sum", CALCULATOR_METHOD_SUM, "INT...", build_sum },
	{ "max", CALCULATOR_METHOD_MAX, "INT...", build_max },
};

static const struct method echo_methods[] = {
	{ "copy", ECHO_METHOD_COPY, "SPEC...", build_copy },
};

static const struct method memtest_methods[] = {
	{ "checksum", MEMTEST_METHOD_CHECKSUM, "VADDR LEN", build_checksum },
	{ "fill", MEMTEST_METHOD_FILL, "VADDR LEN BYTE", build_fill },
};

static const struct method sleep_methods[] = {
	{ "usleep", SLEEP_METHOD_USLEEP, "MICROSECONDS", build_usleep },
};

static const struct method fault_methods[] = {
	{ "retval", FAULT_METHOD_RETVAL, "CODE", build_retval },
	{ "crash", FAULT_METHOD_CRASH, "", build_none },
};

#define METHODS(m) m, sizeof(m) / sizeof(m[0])
static const struct skel skels[] = {
	{ "calculator", METHODS(calculator_methods), false },
	{ "echo", METHODS(echo_methods), true },
	{ "memtest", METHODS(memtest_methods), true },
	{ "sleep", METHODS(sleep_methods), true },
	{ "fault", METHODS(fault_methods), true },
};

#define NSKELS (sizeof(skels) / sizeof(skels[0]))

static int invoke_help(struct ctl *c)
{
	if (json_help(c))
		return CTL_OK;
	printf("usage: fastrpcctl invoke [OPTIONS] SKEL METHOD [ARG...]\n"
	       "       fastrpcctl invoke [OPTIONS] --raw SKEL METHOD [SPEC...]\n"
	       "       fastrpcctl invoke SKEL help\n"
	       "\n"
	       "SKEL: a built-in skel name (unique prefixes accepted), another name\n"
	       "(file:///libNAME_skel.so?NAME_skel_handle_invoke&_modver=1.0), a URI,\n"
	       "or a number: a raw remote handle, called without remotectl.\n"
	       "METHOD: a name of the skel's, or a number 0..31.\n"
	       "\n"
	       "Built-in skels and their methods (friendly arguments; [vdsp]: a test\n"
	       "skel of this project's virtual DSP, absent on a board):\n");
	for (size_t i = 0; i < NSKELS; i++)
		for (size_t j = 0; j < skels[i].n; j++)
			printf("  %-10s %-9s %u  %-*s%s\n", skels[i].name,
			       skels[i].methods[j].name, skels[i].methods[j].id,
			       skels[i].vdsp_only ? 15 : 0,
			       skels[i].methods[j].usage,
			       skels[i].vdsp_only ? "[vdsp]" : "");
	putchar('\n');
	print_spec_help();
	putchar('\n');
	printf("Options:\n%s"
	       "      --raw            arguments are SPECs even for a built-in method\n"
	       "      --map SIZE[:FILL]  MEM_MAP a driver dma-buf of SIZE (FILL: a byte\n"
	       "                       or 'pattern') into the DSP process: @N\n"
	       "      --mmap SIZE      MMAP SIZE bytes of new remote heap: @N\n"
	       "      --repeat N       invoke N times (outputs of the last)\n",
	       session_opts_help);
	return CTL_OK;
}

static int skel_help(const struct skel *s)
{
	printf("usage: fastrpcctl invoke [OPTIONS] %s METHOD [ARG...]\n\n",
	       s->name);
	if (s->vdsp_only)
		printf("A test skel of this project's virtual DSP (vdsp): a board's DSP\n"
		       "has no %s library.\n\n", s->name);
	printf("Methods of %s:\n", s->name);
	for (size_t j = 0; j < s->n; j++)
		printf("  %-9s %u  %s\n", s->methods[j].name, s->methods[j].id,
		       s->methods[j].usage);
	return CTL_OK;
}

static int parse_map(struct ctl *c, struct call *call, const char *s,
		     bool mmap)
{
	struct imap *m;
	char size[64];
	const char *colon = strchr(s, ':');

	if (call->nmaps == CALL_MAX_MAPS)
		return ctl_err(c, CTL_USAGE, "invoke: at most %d --map/--mmap",
			       CALL_MAX_MAPS);
	m = &call->maps[call->nmaps];
	m->mmap = mmap;
	m->db.fd = -1;
	m->fill = -2;
	snprintf(size, sizeof(size), "%.*s",
		 (int)(colon ? (size_t)(colon - s) : strlen(s)), s);
	if (parse_size(c, mmap ? "--mmap size" : "--map size", size, &m->size))
		return CTL_USAGE;
	if (colon && mmap)
		return ctl_err(c, CTL_USAGE, "--mmap takes no fill: the memory has no CPU view");
	if (colon && parse_fill(c, "fill", colon + 1, &m->fill))
		return CTL_USAGE;
	call->nmaps++;
	return 0;
}

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct call *call = arg;

	switch (opt) {
	case OPT_RAW:
		call->raw = true;
		return 0;
	case OPT_MAP:
	case OPT_MMAP:
		return parse_map(c, call, val, opt == OPT_MMAP);
	case OPT_REPEAT:
		if (parse_u32(c, "repeat count", val, &call->repeat))
			return CTL_USAGE;
		if (!call->repeat)
			return ctl_err(c, CTL_USAGE, "invalid repeat count '%s'",
				       val);
		return 0;
	}
	return -1;
}

static int parse_opts(struct ctl *c, int argc, char **argv, struct call *call)
{
	static const struct option opts[] = {
		SESSION_LONG_OPTIONS,
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "mmap", required_argument, NULL, OPT_MMAP },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ NULL, 0, NULL, 0 },
	};

	return parse_cmd_opts(c, "invoke", argc, argv, "+:D:", opts, &call->so,
			      own_opt, call, true);
}

/* SKEL: built-in (by prefix), raw handle number, or a name/URI for remotectl */
static int parse_skel(struct ctl *c, struct call *call, const char *word,
		      const struct skel **skel)
{
	char names[128];
	int i;

	*skel = NULL;
	if (word[0] >= '0' && word[0] <= '9') {
		call->raw_handle = true;
		return parse_u32(c, "handle", word, &call->handle);
	}
	if (!*word)
		return ctl_err(c, CTL_USAGE, "invoke: empty skel name");
	i = TABLE_LOOKUP(skels, NSKELS, word);
	if (i == -2) {
		table_candidates(skels, NSKELS, sizeof(skels[0]), word, names,
				 sizeof(names));
		return ctl_err(c, CTL_USAGE, "ambiguous skel '%s' (%s)", word,
			       names);
	}
	if (i >= 0) {
		*skel = &skels[i];
		call->skel = skels[i].name;
	} else {
		call->skel = word;
	}
	if (frpc_skel_uri(call->skel, call->uri, sizeof(call->uri)))
		return ctl_err(c, CTL_USAGE, "invoke: skel name too long");
	return 0;
}

static int parse_method(struct ctl *c, struct call *call,
			const struct skel *skel, const char *word,
			const struct method **method)
{
	char names[128];
	int i;

	*method = NULL;
	if (word[0] >= '0' && word[0] <= '9') {
		if (parse_u32(c, "method", word, &call->method))
			return CTL_USAGE;
		if (call->method > 31)
			return ctl_err(c, CTL_USAGE, "invalid method '%s' (0..31)",
				       word);
		for (size_t j = 0; skel && j < skel->n; j++)
			if (skel->methods[j].id == call->method)
				*method = &skel->methods[j];
	} else {
		if (!skel)
			return ctl_err(c, CTL_USAGE, "invoke: method '%s' of %s must be a number",
				       word, call->skel ? call->skel : "a raw handle");
		i = table_lookup(skel->methods, skel->n, sizeof(skel->methods[0]),
				 word);
		if (i == -2) {
			table_candidates(skel->methods, skel->n,
					 sizeof(skel->methods[0]), word, names,
					 sizeof(names));
			return ctl_err(c, CTL_USAGE, "ambiguous method '%s' (%s)",
				       word, names);
		}
		if (i < 0)
			return ctl_err(c, CTL_USAGE, "unknown method '%s' of %s (try 'fastrpcctl invoke %s help')",
				       word, skel->name, skel->name);
		*method = &skel->methods[i];
		call->method = (*method)->id;
	}
	if (*method)
		call->method_name = (*method)->name;
	return 0;
}

/*
 * SKEL METHOD help, or -h/--help among the method's arguments (never a
 * value of theirs: a built-in method's arguments are numbers, a raw
 * method's are SPECs with a type)
 */
static bool method_wants_help(int argc, char **argv)
{
	return (argc == 3 && !strcmp(argv[2], "help")) ||
	       has_help_flag(argc, argv, 2);
}

/* Everything from the command line, before any device is touched */
static int parse_call(struct ctl *c, int argc, char **argv, struct call *call)
{
	const struct method *method;
	const struct skel *skel;
	int ret;

	ret = parse_opts(c, argc, argv, call);
	if (ret)
		return ret;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return ctl_err(c, CTL_USAGE, "invoke: missing SKEL (try 'fastrpcctl invoke help')");
	if (is_help(argv[0])) {		/* after options: invoke -D cdsp help */
		invoke_help(c);
		return -1;
	}
	ret = parse_skel(c, call, argv[0], &skel);
	if (ret)
		return ret;
	if (argc < 2)
		return ctl_err(c, CTL_USAGE, "invoke: missing METHOD (try 'fastrpcctl invoke %s help')",
			       skel ? skel->name : "help");
	if (skel && wants_help(argc, argv)) {
		if (!json_help(c))
			skel_help(skel);
		return -1;
	}
	ret = parse_method(c, call, skel, argv[1], &method);
	if (ret)
		return ret;
	if (method && method_wants_help(argc, argv)) {
		if (!json_help(c))
			printf("usage: fastrpcctl invoke [OPTIONS] %s %s %s\n",
			       call->skel, method->name, method->usage);
		return -1;
	}
	if (method && !call->raw)
		return method->build(c, call, argc - 2, argv + 2);
	for (int i = 2; i < argc; i++) {
		ret = call_add_spec(c, call, argv[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int open_skel(struct ctl *c, struct call *call, struct frpc *f)
{
	char dlerr[256], why[96];
	int ret;

	if (call->raw_handle)
		return 0;
	ret = frpc_skel_open(f, call->uri, &call->handle, dlerr, sizeof(dlerr));
	if (ret)
		return ctl_err(c, CTL_FAIL, "cannot open skel %s on %s: %s%s%s",
			       call->uri, domain_name(f->domain_id),
			       ret_text(ret, why, sizeof(why)),
			       dlerr[0] ? ": " : "", dlerr);
	call->opened = true;
	ctl_dbg(c, "skel %s: handle 0x%x", call->skel, call->handle);
	return 0;
}

static void call_name(const struct call *call, char *buf, size_t len)
{
	if (call->raw_handle)
		snprintf(buf, len, "handle %u method %u", call->handle,
			 call->method);
	else if (call->method_name)
		snprintf(buf, len, "%s.%s", call->skel, call->method_name);
	else
		snprintf(buf, len, "%s method %u", call->skel, call->method);
}

static int run(struct ctl *c, struct call *call, struct frpc *f)
{
	char name[160];
	int ret;

	call_name(call, name, sizeof(name));
	ret = call_setup_maps(c, call, f) ?: call_setup_args(c, call, f) ?:
	      open_skel(c, call, f);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < call->repeat; i++) {
		ret = call_invoke(call, f);
		if (ret)
			return ctl_call_err(c, CTL_FAIL, ret, "%s on %s failed",
					    name, domain_name(f->domain_id));
	}
	ret = call_collect(c, call);
	if (ret)
		return ret;
	if (call->opened) {
		call->opened = false;
		ret = frpc_skel_close(f, call->handle);
		if (ret)
			return ctl_call_err(c, CTL_FAIL, ret,
					    "cannot close skel %s", call->skel);
	}
	if (c->jw) {
		jw_obj_open(c->jw);
		jw_kstr(c->jw, "domain", domain_name(f->domain_id));
		if (!call->raw_handle) {
			jw_kstr(c->jw, "skel", call->skel);
			jw_kstr(c->jw, "uri", call->uri);
		}
		jw_kuint(c->jw, "handle", call->handle);
		jw_kuint(c->jw, "method", call->method);
		if (call->method_name)
			jw_kstr(c->jw, "method_name", call->method_name);
		jw_kuint(c->jw, "repeat", call->repeat);
		jw_kint(c->jw, "retval", 0);
	} else {
		printf("%s on %s: ok\n", name, domain_name(f->domain_id));
	}
	call_print(c, call);
	if (c->jw)
		jw_obj_close(c->jw);
	return CTL_OK;
}

int do_invoke(struct ctl *c, int argc, char **argv)
{
	struct call call = { 0 };
	struct frpc f;
	int ret;

	if (wants_help(argc, argv))
		return invoke_help(c);
	session_opts_init(&call.so);
	call.repeat = 1;
	ret = parse_call(c, argc, argv, &call);
	if (ret < 0) {		/* SKEL help was printed */
		call_free(&call, NULL);
		return CTL_OK;
	}
	if (!ret)
		ret = session_start(c, &call.so, &f);
	if (ret) {
		call_free(&call, NULL);
		return ret;
	}
	ret = run(c, &call, &f);
	if (call.opened)
		frpc_skel_close(&f, call.handle);
	call_free(&call, &f);
	frpc_close(&f);
	return ret;
}
