/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fastrpcctl subcommand shares: the run context, the command
 * tables, the one error path, number and domain parsing, and the parsers
 * of the driver's introspection records (fdinfo and debugfs).
 */
#ifndef FASTRPCCTL_COMMON_H
#define FASTRPCCTL_COMMON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json_writer.h"
#include "libfrpc.h"
#include "records.h"

/* Exit statuses */
#define CTL_OK		0
#define CTL_FAIL	1	/* the operation failed */
#define CTL_USAGE	2	/* the command line is wrong */

/* One run of the program: parsed global options, passed to every handler. */
struct ctl {
	const char *domain;	/* -D: default domain, NULL when not given */
	bool debug;		/* -d */
	struct jw *jw;		/* JSON mode when not NULL (-j, -p) */
};

/*
 * A command table entry. Tables of anything looked up by name (commands,
 * skels, methods, attributes) start each entry with the name, so that one
 * prefix matcher serves them all.
 */
struct cmd {
	const char *name;
	int (*fn)(struct ctl *c, int argc, char **argv);
	const char *summary;
};

/*
 * Index of word in a table of n entries of stride bytes whose first member
 * is a const char *name: an exact match, else the only entry it is a
 * prefix of. -1 when nothing matches, -2 when the prefix is ambiguous.
 */
int table_lookup(const void *table, size_t n, size_t stride, const char *word);
#define TABLE_LOOKUP(tbl, n, word) table_lookup((tbl), (n), sizeof((tbl)[0]), (word))
/* The names that word is a prefix of, comma-separated, for messages. */
void table_candidates(const void *table, size_t n, size_t stride,
		      const char *word, char *buf, size_t len);

/*
 * Run argv[0] from table (what names the level in messages, e.g.
 * "command"). argv[0] missing, or a lone "help": help() is called.
 */
int cmd_dispatch(struct ctl *c, const struct cmd *table, size_t n,
		 const char *what, int argc, char **argv,
		 int (*help)(struct ctl *c));

/*
 * The one error path: one line on stderr, or {"error": "..."} on stdout in
 * JSON mode. Returns status, so that handlers can `return ctl_err(...)`.
 */
int ctl_err(struct ctl *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A call's result as the caller sees it: 0, -errno from the kernel (-4095
 * to -1), or any other value, which is the DSP's own return code, passed
 * through by the driver as upstream passes it.
 */
static inline bool is_dsp_code(int ret)
{
	return ret > 0 || ret < -4095;
}

/*
 * The AEE name of a DSP return code, with or without the DSP's 0x80000400
 * offset; NULL when it has none.
 */
const char *aee_name(uint32_t code);

/*
 * What a call's result says: the errno's text, or "the DSP returned CODE
 * (AEE_NAME)" written into buf.
 */
const char *ret_text(int ret, char *buf, size_t len);

/*
 * ctl_err for a failed call: the message, then ": " and what ret says (the
 * errno's text, or "the DSP returned CODE (AEE_NAME)"); in JSON mode the
 * error object also carries "errno", or "retval" (the DSP's code as an
 * unsigned 32-bit number) and "aee".
 */
int ctl_call_err(struct ctl *c, int status, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* -d: one line on stderr */
void ctl_dbg(struct ctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * getopt_long() returned '?' or ':' (optstring starts with ':'): report
 * the offending option of cmd (NULL: a global option), return CTL_USAGE.
 */
int opt_error(struct ctl *c, const char *cmd, int opt, char **argv);
/* word asks for help: "help", "-h" or "--help" */
bool is_help(const char *word);
/* True when argv[1] asks for help. */
bool wants_help(int argc, char **argv);
/* -h or --help among argv[from..], before any "--" */
bool has_help_flag(int argc, char **argv, int from);
/*
 * For a command without SKEL-like words: argv[1] asks for help, or -h or
 * --help stands anywhere among its options (sessions -D cdsp -h).
 */
bool opts_want_help(int argc, char **argv);
/* In JSON mode help is `null`, as bpftool prints it: true when written. */
bool json_help(struct ctl *c);
/* s is [-]digits (sign_ok) or digits, and nothing else */
bool is_decimal(const char *s, bool sign_ok);

/*
 * Number parsing. Each returns 0, or prints "invalid <what> '<s>'" through
 * ctl_err and returns CTL_USAGE. Bases: 0x hex, 0 octal, else decimal.
 */
int parse_u64(struct ctl *c, const char *what, const char *s, uint64_t *v);
int parse_s64(struct ctl *c, const char *what, const char *s, int64_t *v);
int parse_u32(struct ctl *c, const char *what, const char *s, uint32_t *v);
int parse_s32(struct ctl *c, const char *what, const char *s, int32_t *v);
/* A byte count with an optional K, M or G suffix (powers of 1024), > 0. */
int parse_size(struct ctl *c, const char *what, const char *s, uint64_t *v);

/* Domains, by the binding's labels, indexed by enum fastrpc_domain_id */
const char *domain_name(int id);
/* Every domain's name, comma-separated, for help and messages */
void domain_names(char *buf, size_t len);
/* Domain id of name (exact or unique prefix), else CTL_USAGE via ctl_err. */
int parse_domain(struct ctl *c, const char *name, int *id);
/* The domain a subcommand works on: its own option, else -D, else dflt. */
int pick_domain(struct ctl *c, const char *opt, int dflt, int *id);

/*
 * --hold: block the signals that end a hold before reporting (so that one
 * sent right after the report is not lost), then wait for one of them.
 */
void hold_begin(sigset_t *set);
int hold_wait(struct ctl *c, const sigset_t *set);

/* Hex dump of n bytes as one line, for text output. */
void print_hex(const void *buf, size_t n);

/* ---- session.c: device nodes, remote processes, buffers ---- */

/*
 * What the subcommands that talk to a DSP share on their command line:
 * which node to open and which remote process to attach or create.
 */
enum pd_kind {
	PD_NONE,	/* --no-pd: only open the node */
	PD_ROOT,	/* --attach (the default) */
	PD_SENSORS,	/* --sensors */
	PD_DYNAMIC,	/* --dynamic, --shell FILE */
	PD_STATIC,	/* --static NAME */
};

struct session_opts {
	const char *domain;	/* --domain, else -D, else cdsp */
	bool secure;		/* --secure: the -secure node */
	enum pd_kind kind;
	const char *kind_opt;	/* the option that chose kind, for messages */
	const char *shell;	/* --shell FILE; NULL: the built-in image */
	bool shell_fd;		/* --shell-fd: pass the shell in a dma-buf */
	const char *name;	/* --static NAME */
	uint32_t attrs;		/* --attrs, --unsigned */
	uint64_t memlen;	/* --memlen: static PD heap */
};

enum {
	OPT_SECURE = 0x200, OPT_ATTACH, OPT_SENSORS, OPT_DYNAMIC, OPT_SHELL,
	OPT_SHELL_FD, OPT_STATIC, OPT_UNSIGNED, OPT_ATTRS, OPT_MEMLEN,
	OPT_NO_PD,
	OPT_FIRST_OWN,		/* subcommands number their own from here */
};

/* getopt_long entries for the options above, "D:" in the short string */
#define SESSION_LONG_OPTIONS						\
	{ "domain", required_argument, NULL, 'D' },			\
	{ "secure", no_argument, NULL, OPT_SECURE },			\
	{ "attach", no_argument, NULL, OPT_ATTACH },			\
	{ "sensors", no_argument, NULL, OPT_SENSORS },			\
	{ "dynamic", no_argument, NULL, OPT_DYNAMIC },			\
	{ "shell", required_argument, NULL, OPT_SHELL },		\
	{ "shell-fd", no_argument, NULL, OPT_SHELL_FD },		\
	{ "static", required_argument, NULL, OPT_STATIC },		\
	{ "unsigned", no_argument, NULL, OPT_UNSIGNED },		\
	{ "attrs", required_argument, NULL, OPT_ATTRS },		\
	{ "memlen", required_argument, NULL, OPT_MEMLEN },		\
	{ "no-pd", no_argument, NULL, OPT_NO_PD }

/* The help lines of those options */
extern const char session_opts_help[];

void session_opts_init(struct session_opts *o);
/* -1: opt is not a session option; 0: taken; CTL_USAGE: reported */
int session_opt(struct ctl *c, struct session_opts *o, int opt,
		const char *arg);

/*
 * The getopt loop of a subcommand: own() first (-1: not its option), then
 * the session options (when so is not NULL). Returns 0 with optind at the
 * first positional argument (an error if there is one and positional is
 * false), or the exit status of a reported error.
 */
struct option;
typedef int (*own_opt_fn)(struct ctl *c, void *arg, int opt, const char *val);
int parse_cmd_opts(struct ctl *c, const char *cmd, int argc, char **argv,
		   const char *shortopts, const struct option *opts,
		   struct session_opts *so, own_opt_fn own, void *arg,
		   bool positional);

/*
 * Open the node (the -secure one with --secure, or when the domain has
 * only that one) and set up the remote process. On failure the error is
 * reported, f is closed and CTL_FAIL or CTL_USAGE returned.
 */
int session_start(struct ctl *c, const struct session_opts *o,
		  struct frpc *f);
const char *pd_kind_name(enum pd_kind kind);
/* /dev/fastrpc-DOMAIN or /dev/fastrpc-DOMAIN-secure exists */
bool domain_has_node(int domain);
/*
 * No FastRPC driver here: no node of any domain and no fastrpc module. Then
 * every DSP command fails with the one message of driver_missing_err().
 */
bool driver_missing(void);
int driver_missing_err(struct ctl *c);

/*
 * A minimal Hexagon shell image: an ELF32 little-endian header with
 * e_machine EM_QDSP6 (164), zero-padded to size bytes (at least the
 * header's 52). Returns a malloc()ed buffer, NULL when out of memory.
 */
#define SHELL_MIN_SIZE 52
void *shell_image(size_t size);

/* Whole file into a malloc()ed buffer; reports and returns CTL_FAIL. */
int read_file(struct ctl *c, const char *path, void **buf, size_t *len);
int write_file(struct ctl *c, const char *path, const void *buf, size_t len);

/* A dma-buf mapped into our address space */
enum dbuf_src {
	DBUF_DRIVER,	/* FASTRPC_IOCTL_ALLOC_DMA_BUFF */
	DBUF_HEAP,	/* /dev/dma_heap/system */
};

struct dbuf {
	int fd;
	void *map;
	size_t size;
	enum dbuf_src src;
};

/* Reports and returns CTL_FAIL on failure; b->fd is -1 then. */
int dbuf_alloc(struct ctl *c, struct frpc *f, enum dbuf_src src,
	       uint64_t size, uint32_t flags, struct dbuf *b);
void dbuf_free(struct dbuf *b);
/* Bracket CPU access (DMA_BUF_IOCTL_SYNC); end after start. */
void dbuf_sync(const struct dbuf *b, bool end);

/*
 * Fill: byte 0..255 repeats it; FILL_PATTERN writes i & 0xff at offset i.
 * The same pattern tests generate with printf.
 */
#define FILL_PATTERN (-1)
void fill_bytes(void *p, size_t n, int byte);
/* "0x5a", "90" or "pattern" -> byte or FILL_PATTERN */
int parse_fill(struct ctl *c, const char *what, const char *s, int *byte);

/* The memtest skel on memory mapped into our DSP process; reports errors */
int memtest_checksum(struct ctl *c, struct frpc *f, uint64_t vaddr,
		     uint64_t len, uint64_t *sum);
int memtest_fill(struct ctl *c, struct frpc *f, uint64_t vaddr, uint64_t len,
		 uint8_t byte);

/* The fdinfo record of our own client fd, or NULL (e.g. an older driver) */
const struct kvrec *self_fdinfo(int fd, struct kvrec *r);
/* {"client": {...}} member from it, when there is one */
void json_client(struct jw *w, int fd);

#endif
