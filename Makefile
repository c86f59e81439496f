# fastrpc: one entry point.
#
#   make deps      install every Debian package the project needs (idempotent)
#   make kernel    build (once, into a cache outside the repo) the test kernel
#   make kernel-arm64   prepare (once, cached the same way) the arm64 tree lint needs
#   make           modules, BPF programs, CLI, test helpers
#   make check     everything above, the linters, then the bats suites in the guest
#   make stress    the soak sizes of the suites that check check in small
#   make fuzz SEED= SECONDS=   the ioctl and response fuzzers, long, in
#                  a guest of two vCPUs (tests/fuzz; SEED default: the time)
#   make kernel-bench   build (once, cached the same way) the bench kernel:
#                  the test kernel without its debugging (tests/kernel-bench.config)
#   make bench     the benchmarks (docs/PERFORMANCE.md): invoke cost against
#                  the transport floor and the in-tree driver, stat and trace
#                  overhead, on the bench kernel; the floor, a null invoke and
#                  kernel allocations per invoke on the test kernel; a table
#                  and build/bench/bench.json
#   make timings   tests/timings.txt from the last make check (how lanes are dealt)
#   make conformance  the driver-agnostic suites against the in-tree driver
#                  (docs/CONFORMANCE.md)
#   make run       boot the guest and show a short demo of the CLI
#   make vm-shell  interactive shell in the guest, our modules loaded
#   make vm-run CMD="..."   run one command in the guest, return its status
#   make install   fastrpcctl, its man page and completion under $(PREFIX);
#                  the udev rule for the nodes under $(UDEV_RULES_DIR)
#   make dkms-install   fastrpc.ko through DKMS for the running kernel (KVER)
#                  and every kernel installed later, and the udev rule
#   make dkms-remove    every version of it out of DKMS, and the udev rule
#   make clean

TOP := $(CURDIR)
VM := $(TOP)/tests/vm
# Quiet: before `make deps` has installed the kernel source there is no
# tree to name, and check/run install it before they need one.
KDIR ?= $(shell $(VM)/build-kernel.sh --dir 2>/dev/null)
KBUILD_STAMP = $(KDIR)/.fastrpc-built
# The arm64 tree that lint cross-builds the modules against (prepared only)
ARM64_KDIR ?= $(shell $(VM)/build-kernel.sh --arch arm64 --dir 2>/dev/null)
ARM64_STAMP = $(ARM64_KDIR)/.fastrpc-built
# The bench kernel: the test kernel's fragment less its debugging
BENCH_KDIR ?= $(shell $(VM)/build-kernel.sh --flavour bench --dir 2>/dev/null)
BENCH_STAMP = $(BENCH_KDIR)/.fastrpc-built
PREFIX ?= /usr/local

# Every package a fresh Debian 12 needs, for every target of this Makefile.
DEB_PACKAGES := build-essential linux-source-6.12 flex bison bc libssl-dev \
	libelf-dev dwarves clang llvm lld libbpf-dev bpftool bats \
	qemu-system-x86 device-tree-compiler sparse jq \
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross dt-schema trace-cmd cpio \
	xz-utils kmod python3-yaml rsync file util-linux procps busybox-static \
	bash-builtins bash-static man-db tmux zlib1g-dev dkms

# Modules that the guest loads before a command, in order.
GUEST_MODULES := $(wildcard kernel/vdsp/vdsp_smmu.ko kernel/vdsp/vdsp.ko kernel/fastrpc/fastrpc.ko)
VM_RUN = $(VM)/run.sh -k $(KDIR) $(foreach m,$(GUEST_MODULES),-m $(m))

# One module build at a time in this tree (parallel shells, lint).
KMAKE = flock $(KDIR)/.fastrpc-modules.lock $(MAKE) -C $(KDIR) M=$(TOP)

.PHONY: all deps kernel kernel-arm64 kernel-bench bench-build modules cli cli-cross bpf tests-bin lint \
	check run _run vm-shell vm-run install dkms-install dkms-remove clean \
	stress fuzz bench timings conformance conformance-build

all: modules cli bpf tests-bin

deps:
	@$(VM)/deps.sh $(DEB_PACKAGES)

kernel: $(KBUILD_STAMP)

# No prerequisites: the tree's path is keyed by the fragment's settings
# and the recipe, so a changed fragment names a tree not built yet; and a
# KDIR given on the command line is used as it is, never rebuilt.
$(KBUILD_STAMP):
	$(VM)/build-kernel.sh >/dev/null

kernel-arm64: $(ARM64_STAMP)

$(ARM64_STAMP):
	$(VM)/build-kernel.sh --arch arm64 >/dev/null

# (no prerequisites either: BENCH_KDIR is keyed by both fragments)
kernel-bench: $(BENCH_STAMP)

$(BENCH_STAMP):
	$(VM)/build-kernel.sh --flavour bench >/dev/null

# Modules built for another kernel tree (FASTRPC_CACHE changed) would
# load into this one without their BTF: kbuild sees the same command
# lines and keeps them. The tree they were built for is recorded.
modules: $(KBUILD_STAMP)
	@mkdir -p build
	@if [ "$$(cat build/modules.kdir 2>/dev/null)" != '$(KDIR)' ]; then \
		$(KMAKE) clean >/dev/null; fi
	$(KMAKE) W=1 $(if $(WERROR),KCFLAGS=$(WERROR)) modules
	@echo '$(KDIR)' >build/modules.kdir

# Linked statically: the suites run fastrpcctl hundreds of times in the
# emulated guest, where a static exec costs half a dynamic one.
cli:
	@if [ -f cli/Makefile ]; then $(MAKE) -C cli LDFLAGS=-static KDIR=$(KDIR); fi

bpf: modules
	@if [ -f bpf/Makefile ]; then $(MAKE) -C bpf KDIR=$(KDIR); fi

tests-bin: modules
	$(MAKE) -C tests/helpers
	$(MAKE) -C tests/fuzz

# Kernel code must be clean under W=1, sparse and checkpatch --strict, and
# under W=1 for arm64 (the boards FastRPC runs on).
lint: $(KBUILD_STAMP) $(ARM64_STAMP)
	$(VM)/lint.sh $(KDIR) $(ARM64_KDIR)
	@if [ -x $(VM)/dtschema-check.sh ]; then $(VM)/dtschema-check.sh; fi

# fastrpcctl also runs on Snapdragon boards: it must cross-build for arm64.
cli-cross:
	@if [ -f cli/Makefile ]; then $(MAKE) -C cli cross; fi

# The packages first, in a make of their own: the kernel tree's path is
# only known once linux-source-6.12 is installed.
check:
	@$(VM)/deps.sh $(DEB_PACKAGES)
	@$(TOP)/tests/check.sh

# Soaks: what make check runs small, at the sizes that find rare races.
stress:
	@$(VM)/deps.sh $(DEB_PACKAGES)
	@$(MAKE) -s kernel all
	@rc=0; FASTRPC_CHECK_HOST=0 FASTRPC_GUEST_ENV=FASTRPC_SOAK=1 FASTRPC_CHECK_OUT=build/stress \
		$(TOP)/tests/run-tests.sh $(KDIR) tests/010-vdsp.bats \
		tests/013-vdsp-skels.bats tests/025-fastrpc-stress.bats || rc=$$?; \
	echo "== stress totals (025's mixed run; build/stress/guest.*.tap)"; \
	grep -h '^# stress: ' build/stress/guest.*.tap | tr -d '\r' | sed 's/^# stress: /   /'; \
	exit $$rc

# A long fuzz run; the last lines say the seed to replay it with.
SEED ?= $(shell date +%s)
SECONDS ?= 600
FUZZ_PERMILLE ?= 100
fuzz:
	@$(VM)/deps.sh $(DEB_PACKAGES)
	@$(MAKE) -s kernel all
	@$(TOP)/tests/fuzz/run.sh $(KDIR) $(SEED) $(SECONDS) $(FUZZ_PERMILLE)

# Two guest boots, the bench kernel's then the test kernel's
# (tests/bench/bench.sh); the bench kernel is built the first time only.
bench:
	@$(VM)/deps.sh $(DEB_PACKAGES)
	@$(MAKE) -s kernel kernel-bench all bench-build
	@$(TOP)/tests/bench/bench.sh $(KDIR) $(BENCH_KDIR)

# The per-file times of the last make check, for dealing files to guests.
timings:
	$(TOP)/tests/vm/timings.sh build/check >tests/timings.txt

# The in-tree driver (drivers/misc/fastrpc.c of Debian's linux-source-6.12,
# extracted here at build time, never committed) with our stand-in for
# its qcom_scm calls, loaded instead of ours; the files the suites tag
# `agnostic` run against it (tests/conformance/run.sh). [11/11] compares
# against the same build.
SRC_TARBALL := /usr/src/linux-source-6.12.tar.xz
CONF := build/conformance

$(CONF)/fastrpc.c: $(SRC_TARBALL)
	@mkdir -p $(CONF)
	tar -xJf $< -C $(CONF) --strip-components=3 linux-source-6.12/drivers/misc/fastrpc.c
	@touch $@

$(CONF)/%: tests/conformance/%
	@mkdir -p $(CONF)
	cp $< $@

conformance-build: $(KBUILD_STAMP) $(CONF)/fastrpc.c $(CONF)/Kbuild $(CONF)/qcom_scm_stub.c
	flock $(KDIR)/.fastrpc-modules.lock $(MAKE) -C $(KDIR) M=$(TOP)/$(CONF) modules

# Our modules and the in-tree driver for the bench kernel, built from
# copies of their sources under build/bench-kernel/ so that the objects
# of the test kernel's build in the tree stay as they are (kbuild would
# rebuild them all for the other kernel, each way). rsync keeps the
# copies' times: only what changed is built again.
BENCH_BUILD := build/bench-kernel
BENCH_SRCS := Kbuild kernel include tracepoints
BENCH_KMAKE = flock $(BENCH_KDIR)/.fastrpc-modules.lock $(MAKE) -C $(BENCH_KDIR)

bench-build: $(BENCH_STAMP) $(CONF)/fastrpc.c $(CONF)/Kbuild $(CONF)/qcom_scm_stub.c
	@mkdir -p $(BENCH_BUILD)/src $(BENCH_BUILD)/conformance
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='*.order' \
		--exclude='*.symvers' --exclude='*.dtbo' --exclude='*.dtbo.S' \
		$(BENCH_SRCS) $(BENCH_BUILD)/src/
	rsync -a $(CONF)/fastrpc.c $(CONF)/Kbuild $(CONF)/qcom_scm_stub.c \
		$(BENCH_BUILD)/conformance/
	$(BENCH_KMAKE) M=$(TOP)/$(BENCH_BUILD)/src modules
	$(BENCH_KMAKE) M=$(TOP)/$(BENCH_BUILD)/conformance modules

conformance:
	@$(VM)/deps.sh $(DEB_PACKAGES)
	@$(MAKE) -s kernel all conformance-build
	$(TOP)/tests/conformance/run.sh $(KDIR)

run:
	@$(VM)/deps.sh $(DEB_PACKAGES)
	@$(MAKE) -s kernel all
	@$(MAKE) -s _run

# The console (boot notices, the splat check's input) goes to a log; the
# terminal shows the demo alone.
RUN_LOG = $(TOP)/build/run-console.log

_run:
	@mkdir -p build
	@echo "make run: the guest's console log is $(RUN_LOG)"
	@$(VM_RUN) -q -l $(RUN_LOG) -- tests/vm/demo.sh

vm-shell: all
	$(VM_RUN) --shell

# CMD as typed ($(value): make does not expand its $), in single quotes:
# all of "a; b" runs in the guest, none of it on the host.
vm-run: all
	@test -n '$(subst ','\'',$(value CMD))' || \
		{ echo 'usage: make vm-run CMD="command"' >&2; exit 2; }
	@$(VM_RUN) -- '$(subst ','\'',$(value CMD))'

# The udev rule that opens the non-secure nodes to group "fastrpc"
UDEV_RULES_DIR ?= /usr/lib/udev/rules.d

install: cli
	@if [ -f cli/Makefile ]; then $(MAKE) -C cli install PREFIX=$(PREFIX); fi
	install -D -m 0644 kernel/fastrpc/60-fastrpc.rules \
		$(DESTDIR)$(UDEV_RULES_DIR)/60-fastrpc.rules

# DKMS: fastrpc.ko built by dkms against a kernel's headers
# (/lib/modules/KVER/build), for the running kernel now and for each kernel
# installed later. The package (dkms.conf) is the driver's sources and
# headers, copied to $(DKMS_SOURCE_TREE)/fastrpc-VERSION; one version at a
# time: dkms-install first removes the others. DKMS_FLAGS go to every dkms
# command: --dkmstree, --installtree, --kernelsourcedir, --no-depmod move
# the rest of what dkms touches (tests/host/002-dkms.bats installs into a
# temporary directory so). dkms install and remove need root all the same.
DKMS_VERSION := $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo 0.1)
DKMS_SOURCE_TREE ?= /usr/src
DKMS_FLAGS ?=
KVER ?= $(shell uname -r)
DKMS = dkms --sourcetree $(DKMS_SOURCE_TREE) $(DKMS_FLAGS)
DKMS_SRC = $(DKMS_SOURCE_TREE)/fastrpc-$(DKMS_VERSION)
# (tests/host/002-dkms.bats builds from these alone: a header the driver
# comes to include and that is missing here fails it)
DKMS_FILES = Kbuild kernel/Kbuild $(wildcard kernel/fastrpc/Kbuild \
	kernel/fastrpc/*.[ch] include/uapi/misc/*.h include/fastrpc/wire.h \
	tracepoints/*.h)

dkms-install: dkms-remove
	rm -rf $(DKMS_SRC)
	for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit; done
	sed 's/@VERSION@/$(DKMS_VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf
	$(DKMS) add -m fastrpc -v $(DKMS_VERSION)
	$(DKMS) install -m fastrpc -v $(DKMS_VERSION) -k $(KVER)
	install -D -m 0644 kernel/fastrpc/60-fastrpc.rules \
		$(DESTDIR)$(UDEV_RULES_DIR)/60-fastrpc.rules

# dkms status lines start "fastrpc/VERSION, KERNEL, ARCH: installed" or
# "fastrpc/VERSION: added"
dkms-remove:
	for v in $$($(DKMS) status -m fastrpc | sed -n 's|^fastrpc/\([^,:]*\).*|\1|p' | sort -u); do \
		$(DKMS) remove -m fastrpc -v $$v --all && \
		rm -rf $(DKMS_SOURCE_TREE)/fastrpc-$$v || exit; \
	done
	rm -f $(DESTDIR)$(UDEV_RULES_DIR)/60-fastrpc.rules

clean:
	-[ -f $(KDIR)/Makefile ] && $(KMAKE) clean
	-[ -f cli/Makefile ] && $(MAKE) -C cli clean
	-[ -f bpf/Makefile ] && $(MAKE) -C bpf clean
	$(MAKE) -C tests/helpers clean
	$(MAKE) -C tests/fuzz clean
	rm -rf build
