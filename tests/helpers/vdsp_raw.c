// SPDX-License-Identifier: GPL-2.0
/*
 * vdsp_raw: send one raw FastRPC request to a vdsp domain through the
 * test module vdsp_rawreq.ko (no FastRPC driver involved) and print the
 * response. See include/fastrpc/vdsp_rawreq.h.
 *
 *   vdsp_raw [options] DOMAIN HANDLE SC [ARG...]
 *   vdsp_raw -F SPEC           print the FNV-1a 64 of SPEC's bytes
 *
 * SC is M:IN:OUT[:HIN:HOUT] or a number. ARGs in scalars order:
 *   i32:V,..  u32:V,..  i64:V,..  u64:V,..   values
 *   str:TEXT         TEXT and its NUL
 *   hex:HEX          bytes
 *   fill:LEN:BYTE    LEN bytes of BYTE
 *   pat:LEN[:SEED]   LEN bytes (i * 7 + SEED) & 0xff
 *   elf:MACHINE[:LEN] an ELF32 little-endian header for MACHINE, LEN bytes
 *   len:LEN          LEN zero bytes (input), or an output buffer...
 *   out:LEN[:FMT]    ...printed as hex (default), i32, i64, u64, str, fnv
 *   hdl:FD:LEN       a handle argument
 *   pages:N          phy_page array of N fresh pages the module keeps,
 *                    byte o of them (o * 7 + 3) & 0xff (memory to map)
 *   rec:T:V,T:V,..   a record of naturally aligned fields, T one of
 *                    i32 u32 i64 u64 (padded to its largest field)
 *   any of them +@sep[+OFF]: in pages of its own, OFF bytes into the first
 *   any of them +@ro: in pages of its own that the DSP may only read
 * Options:
 *   -p PID  msg.pid (default 0)      -c PD   ctx PD type (default 0)
 *   -t MS   timeout (default 10000)  -n N    args in the metadata
 *   -r N    send N copies at once and wait for all
 *   -s SID  stream id on every address (default: the domain's lowest
 *           bank, from the device tree)
 *   -m FIELD:INDEX:VALUE  set a field, -a FIELD:INDEX:DELTA  add to it;
 *      FIELD: msg_len msg_addr msg_size msg_sc arg_pv arg_len buf_num
 *      buf_pgidx page_addr page_size
 * Prints "status N", "answered N", "errors N", then with a response to
 * the first copy "retval N", "ctx ok|mismatch", "canary N" (bytes written
 * outside the buffers), "out<i> ...", "fdlist ...".
 * Exit: 0 when every copy got a response, 3 when not, 2 on errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fastrpc/vdsp_rawreq.h>
#include <fastrpc/vdsp_abi.h>
#include <fastrpc/wire.h>

#define REQ_PATH	"/sys/kernel/debug/vdsp_rawreq/req"
#define MAX_ARGS	VDSP_RAWREQ_MAX_ARGS

struct arg {
	struct vdsp_rawreq_arg d;
	unsigned char *data;
	char fmt[8];
};

static const char *const fields[VDSP_MUT_FIELD_COUNT] = {
	"msg_len", "msg_addr", "msg_size", "msg_sc", "arg_pv", "arg_len",
	"buf_num", "buf_pgidx", "page_addr", "page_size",
};

static void die(const char *what)
{
	fprintf(stderr, "vdsp_raw: %s\n", what);
	exit(2);
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || (*end && *end != ':' && *end != ','))
		die("bad number");
	return v;
}

static uint64_t fnv1a64(const unsigned char *p, size_t len)
{
	uint64_t h = MEMTEST_FNV1A64_OFFSET;

	while (len--) {
		h ^= *p++;
		h *= MEMTEST_FNV1A64_PRIME;
	}
	return h;
}

/* "V,V,..." as @size-byte little-endian values */
static void parse_values(struct arg *a, const char *s, size_t size)
{
	size_t n = 1, i;
	const char *p;

	for (p = s; *p; p++)
		n += *p == ',';
	a->d.len = n * size;
	a->data = calloc(n, size);
	if (!a->data)
		die("out of memory");
	for (i = 0, p = s; i < n; i++) {
		uint64_t v = num(p);

		memcpy(a->data + i * size, &v, size);
		p = strchr(p, ',');
		p = p ? p + 1 : "";
	}
}

static void parse_hex(struct arg *a, const char *s)
{
	size_t n = strlen(s) / 2, i;
	unsigned int b;

	a->d.len = n;
	a->data = calloc(n + 1, 1);
	if (!a->data)
		die("out of memory");
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			die("bad hex");
		a->data[i] = b;
	}
}

static void parse_elf(struct arg *a, const char *s)
{
	const char *len = strchr(s, ':');
	uint16_t machine = num(s);

	a->d.len = len ? num(len + 1) : 52;
	if (a->d.len < 52)
		die("an ELF header takes 52 bytes");
	a->data = calloc(a->d.len, 1);
	if (!a->data)
		die("out of memory");
	memcpy(a->data, "\x7f" "ELF\x01\x01\x01", 7);	/* ELF32, LE, v1 */
	a->data[16] = 2;				/* ET_EXEC */
	memcpy(a->data + 18, &machine, 2);
	a->data[20] = 1;				/* EV_CURRENT */
}

static void parse_pattern(struct arg *a, const char *s, int fill)
{
	const char *second = strchr(s, ':');
	unsigned int b = second ? num(second + 1) : 3;
	size_t i;

	a->d.len = num(s);
	a->data = malloc(a->d.len ? a->d.len : 1);
	if (!a->data)
		die("out of memory");
	for (i = 0; i < a->d.len; i++)
		a->data[i] = fill ? b : (i * 7 + b) & 0xff;
}

static void parse_string(struct arg *a, const char *s)
{
	a->d.len = strlen(s) + 1;
	a->data = (unsigned char *)strdup(s);
	if (!a->data)
		die("out of memory");
}

static void parse_handle(struct arg *a, const char *s)
{
	const char *len = strchr(s, ':');

	a->d.fd = num(s);
	a->d.len = len ? num(len + 1) : 0;
}

/* "T:V,T:V,...": fields at their natural alignment, C struct padding */
static void parse_record(struct arg *a, const char *s)
{
	size_t off = 0, align = 1, size;
	unsigned char buf[256] = { 0 };
	const char *p = s;
	uint64_t v;

	while (*p) {
		size = !strncmp(p + 1, "32:", 3) ? 4 : 8;
		if (strncmp(p, "i", 1) && strncmp(p, "u", 1))
			die("record fields are i32/u32/i64/u64:VALUE");
		off = (off + size - 1) & ~(size - 1);
		if (off + size > sizeof(buf))
			die("record too long");
		v = num(p + 4);
		memcpy(buf + off, &v, size);
		off += size;
		align = size > align ? size : align;
		p = strchr(p, ',');
		p = p ? p + 1 : "";
	}
	a->d.len = (off + align - 1) & ~(align - 1);
	a->data = malloc(a->d.len ? a->d.len : 1);
	if (!a->data)
		die("out of memory");
	memcpy(a->data, buf, a->d.len);
}

static void parse_pages(struct arg *a, const char *s)
{
	a->d.len = num(s) * sizeof(struct fastrpc_phy_page);
	a->d.flags |= VDSP_RAWARG_PAGES;
}

static void parse_sep(struct arg *a, char *spec)
{
	char *sep = strstr(spec, "@ro");

	if (sep && !sep[3]) {
		a->d.flags |= VDSP_RAWARG_SEPARATE | VDSP_RAWARG_RDONLY;
		*sep = '\0';
	}
	sep = strstr(spec, "@sep");
	if (!sep)
		return;
	a->d.flags |= VDSP_RAWARG_SEPARATE;
	if (sep[4] == '+')
		a->d.offset = num(sep + 5);
	*sep = '\0';
}

static void parse_arg(struct arg *a, char *spec)
{
	char *v = strchr(spec, ':');

	memset(a, 0, sizeof(*a));
	a->d.fd = -1;
	parse_sep(a, spec);
	if (!v)
		die("an argument is TYPE:VALUE");
	*v++ = '\0';
	if (!strcmp(spec, "i32") || !strcmp(spec, "u32"))
		parse_values(a, v, 4);
	else if (!strcmp(spec, "i64") || !strcmp(spec, "u64"))
		parse_values(a, v, 8);
	else if (!strcmp(spec, "str"))
		parse_string(a, v);
	else if (!strcmp(spec, "hex"))
		parse_hex(a, v);
	else if (!strcmp(spec, "fill"))
		parse_pattern(a, v, 1);
	else if (!strcmp(spec, "pat"))
		parse_pattern(a, v, 0);
	else if (!strcmp(spec, "elf"))
		parse_elf(a, v);
	else if (!strcmp(spec, "len") || !strcmp(spec, "out"))
		a->d.len = num(v);
	else if (!strcmp(spec, "hdl"))
		parse_handle(a, v);
	else if (!strcmp(spec, "rec"))
		parse_record(a, v);
	else if (!strcmp(spec, "pages"))
		parse_pages(a, v);
	else
		die("unknown argument type");
	if (!strcmp(spec, "out") && strchr(v, ':'))
		snprintf(a->fmt, sizeof(a->fmt), "%s", strchr(v, ':') + 1);
	a->d.data_len = a->data ? a->d.len : 0;
}

static void parse_mut(struct vdsp_rawreq_mut *m, char *s, uint32_t op)
{
	char *idx = strchr(s, ':'), *val;
	int f;

	if (!idx || !(val = strchr(idx + 1, ':')))
		die("a mutation is FIELD:INDEX:VALUE");
	*idx = '\0';
	for (f = 0; f < VDSP_MUT_FIELD_COUNT; f++)
		if (!strcmp(s, fields[f]))
			break;
	if (f == VDSP_MUT_FIELD_COUNT)
		die("unknown field");
	m->field = f;
	m->index = num(idx + 1);
	m->op = op;
	m->value = num(val + 1);
}

static uint32_t parse_sc(const char *s)
{
	unsigned int v[5] = { 0 };
	int n;

	if (!strchr(s, ':'))
		return num(s);
	n = sscanf(s, "%u:%u:%u:%u:%u", &v[0], &v[1], &v[2], &v[3], &v[4]);
	if (n != 3 && n != 5)
		die("SC is M:IN:OUT[:HIN:HOUT]");
	return FASTRPC_SC_BUILD(0, v[0], v[1], v[2], v[3], v[4]);
}

static void print_out(int i, const struct arg *a, const unsigned char *p)
{
	const char *fmt = a->fmt[0] ? a->fmt : "hex";
	size_t k;

	printf("out%d", i);
	if (!strcmp(fmt, "fnv")) {
		printf(" 0x%016" PRIx64, fnv1a64(p, a->d.len));
	} else if (!strcmp(fmt, "str")) {
		printf(" %.*s", (int)strnlen((const char *)p, a->d.len), p);
	} else if (!strcmp(fmt, "i32")) {
		for (k = 0; k + 4 <= a->d.len; k += 4)
			printf(" %" PRId32, *(const int32_t *)(p + k));
	} else if (!strcmp(fmt, "i64") || !strcmp(fmt, "u64")) {
		for (k = 0; k + 8 <= a->d.len; k += 8)
			printf(fmt[0] == 'i' ? " %" PRId64 : " 0x%016" PRIx64,
			       *(const int64_t *)(p + k));
	} else {
		printf(" ");
		for (k = 0; k < a->d.len; k++)
			printf("%02x", p[k]);
	}
	printf("\n");
}

static size_t build(unsigned char **bufp, struct vdsp_rawreq *h,
		    struct arg *args, struct vdsp_rawreq_mut *muts)
{
	size_t len = sizeof(*h) + h->nmuts * sizeof(*muts), off;
	unsigned char *buf;
	uint32_t i;

	for (i = 0; i < h->nargs; i++)
		len += sizeof(args[i].d) + ((args[i].d.data_len + 7) & ~7UL);
	buf = calloc(1, len);
	if (!buf)
		die("out of memory");
	memcpy(buf, h, sizeof(*h));
	off = sizeof(*h);
	for (i = 0; i < h->nargs; i++) {
		memcpy(buf + off, &args[i].d, sizeof(args[i].d));
		off += sizeof(args[i].d);
		if (args[i].d.data_len)
			memcpy(buf + off, args[i].data, args[i].d.data_len);
		off += (args[i].d.data_len + 7) & ~7UL;
	}
	memcpy(buf + off, muts, h->nmuts * sizeof(*muts));
	*bufp = buf;
	return len;
}

static unsigned char *transact(const unsigned char *req, size_t len,
			       size_t *res_len)
{
	size_t cap = 1 << 16, got = 0;
	unsigned char *res = malloc(cap);
	int fd = open(REQ_PATH, O_RDWR);
	ssize_t n;

	if (fd < 0)
		die("cannot open " REQ_PATH " (is vdsp_rawreq.ko loaded?)");
	if (write(fd, req, len) != (ssize_t)len) {
		fprintf(stderr, "vdsp_raw: request refused: %s\n",
			strerror(errno));
		exit(2);
	}
	while (res && (n = read(fd, res + got, cap - got)) > 0) {
		got += n;
		if (got == cap)
			res = realloc(res, cap *= 2);
	}
	close(fd);
	if (!res || got < sizeof(struct vdsp_rawreq_result))
		die("short result");
	*res_len = got;
	return res;
}

static int report(const unsigned char *res, const struct vdsp_rawreq *h,
		  const struct arg *args)
{
	const struct vdsp_rawreq_result *r = (const void *)res;
	const unsigned char *p = res + sizeof(*r);
	uint32_t nin = FASTRPC_SC_INBUFS(h->sc), i;
	int k;

	printf("status %d\n", r->status);
	printf("answered %u\n", r->answered);
	printf("errors %u\n", r->errors);
	if (r->status)
		return 3;
	printf("retval %d\n", r->retval);
	printf("ctx %s\n", r->rsp_ctx == r->ctx ? "ok" : "mismatch");
	printf("canary %u\n", r->canary);
	for (i = 0; i < r->nouts; i++) {
		print_out(i, &args[nin + i], p);
		p += (args[nin + i].d.len + 7) & ~7UL;
	}
	printf("fdlist");
	for (k = 0; k < 16 && r->fdlist[k]; k++)
		printf(" %" PRIu64, (uint64_t)r->fdlist[k]);
	printf("\n");
	return 0;
}

/* The lowest reg of the domain's compute-cb nodes: a bank it really has */
static uint32_t first_bank_sid(const char *domain)
{
	char path[128];
	struct dirent *d;
	long best = -1, sid;
	DIR *dir;

	snprintf(path, sizeof(path),
		 "/sys/firmware/devicetree/base/vdsp/fastrpc-%s", domain);
	dir = opendir(path);
	while (dir && (d = readdir(dir)))
		if (!strncmp(d->d_name, "compute-cb@", 11)) {
			sid = strtol(d->d_name + 11, NULL, 16);
			if (best < 0 || sid < best)
				best = sid;
		}
	if (dir)
		closedir(dir);
	return best < 0 ? 0 : best;
}

int main(int argc, char **argv)
{
	struct vdsp_rawreq h = { .magic = VDSP_RAWREQ_MAGIC };
	struct vdsp_rawreq_mut muts[VDSP_RAWREQ_MAX_MUTS];
	static struct arg args[MAX_ARGS];
	unsigned char *req, *res;
	size_t len, res_len;
	int opt, nargs = -1, sid = -1, i;

	while ((opt = getopt(argc, argv, "p:c:t:n:r:s:m:a:F:")) != -1) {
		switch (opt) {
		case 's': sid = num(optarg); break;
		case 'r': h.repeat = num(optarg); break;
		case 'p': h.pid = num(optarg); break;
		case 'c': h.pd = num(optarg); break;
		case 't': h.timeout_ms = num(optarg); break;
		case 'n': nargs = num(optarg); break;
		case 'm':
		case 'a':
			if (h.nmuts == VDSP_RAWREQ_MAX_MUTS)
				die("too many mutations");
			parse_mut(&muts[h.nmuts++], optarg,
				  opt == 'a' ? VDSP_MUT_ADD : VDSP_MUT_SET);
			break;
		case 'F':
			parse_arg(&args[0], optarg);
			printf("0x%016" PRIx64 "\n",
			       fnv1a64(args[0].data, args[0].d.data_len));
			return 0;
		default:
			die("usage: vdsp_raw [options] DOMAIN HANDLE SC [ARG...]");
		}
	}
	if (argc - optind < 3 || argc - optind - 3 > MAX_ARGS)
		die("usage: vdsp_raw [options] DOMAIN HANDLE SC [ARG...]");
	snprintf(h.domain, sizeof(h.domain), "%s", argv[optind]);
	h.sid = sid >= 0 ? (uint32_t)sid : first_bank_sid(h.domain);
	h.handle = num(argv[optind + 1]);
	h.sc = parse_sc(argv[optind + 2]);
	for (i = optind + 3; i < argc; i++)
		parse_arg(&args[i - optind - 3], argv[i]);
	h.nargs = nargs >= 0 ? nargs : argc - optind - 3;
	if (h.nargs > (uint32_t)(argc - optind - 3))
		die("-n names more arguments than given");
	len = build(&req, &h, args, muts);
	res = transact(req, len, &res_len);
	return report(res, &h, args);
}
