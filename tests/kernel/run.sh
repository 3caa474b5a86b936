#!/usr/bin/env bash
# tests/kernel/run.sh - libkgss inside a real Linux kernel under QEMU.
#
#   tests/kernel/run.sh [--cmake-build DIR] [--boot-timeout SECONDS] [--cpus "max qemu64"]
#                       [--kgss-ko DIR]
#
# --kgss-ko DIR: use DIR/kgss.ko and DIR/Module.symvers as they are (a kgss.ko
# built elsewhere) instead of building compat/linux.
#
# 1. installs what is missing (linux-headers-amd64, qemu-system-x86, busybox-static, kmod,
#    cpio; the rest through scripts/deps.sh);
# 2. takes the kernel version from linux-headers-amd64's dependency (scripts/kernel-tree.sh), fetches the
#    matching linux-image .deb with `apt-get download` and unpacks it (dpkg-deb -x)
#    into DIR/kernel-image/<version> (cached; the package is never installed);
# 3. builds kgss.ko (compat/linux) and ktest_host (CMake, DIR = the CMake build,
#    default build/ktest);
# 4. starts a throwaway KDC (scripts/kdc.sh; stopped on exit), runs
#    `ktest_host prepare`, builds kgss_ktest.ko with the generated data;
# 5. packs a busybox initramfs whose /init loads the kernel crypto modules the
#    linux backend uses (with their dependencies from modules.dep), kgss.ko and
#    kgss_ktest.ko, removes both and powers off;
# 6. boots it twice under TCG, -cpu max (AES-NI, AVX2) and -cpu qemu64 (neither),
#    each bounded by a timeout; fails on any oops / warning / BUG / lock report in
#    the console; runs `ktest_host verify` on each console log (MIT checks every
#    token the kernel printed).
# Work files: DIR/tests/kernel/qemu/.  Every wait is bounded.  Exit 0 only if all passed.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
CB=$REPO/build/ktest
BOOT_TIMEOUT=300
CPUS="max qemu64"
KGSS_KO=
while [ $# -gt 0 ]; do
	case $1 in
	--cmake-build) CB=$2; shift 2 ;;
	--boot-timeout) BOOT_TIMEOUT=$2; shift 2 ;;
	--cpus) CPUS=$2; shift 2 ;;
	--kgss-ko) KGSS_KO=$(cd "$2" && pwd); shift 2 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
mkdir -p "$CB"
CB=$(cd "$CB" && pwd)
W=$CB/tests/kernel/qemu
T_START=$(date +%s)
now() { date +%s; }
step() { echo "== [$(( $(now) - T_START ))s] $*"; }
die() { echo "run.sh: FAIL: $*" >&2; exit 1; }

# ---- 1. packages ---------------------------------------------------------------------
step "packages"
missing=""
for p in linux-headers-amd64 qemu-system-x86 busybox-static cpio kmod; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "missing Debian packages:$missing (run as root or apt-get install them)"
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	timeout 600 apt-get update -qq
	# shellcheck disable=SC2086
	timeout 900 apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
timeout 900 "$REPO/scripts/deps.sh"

# ---- 2. the kernel: version, headers, image --------------------------------------------
step "kernel image"
# scripts/kernel-tree.sh: KVER=<version>-amd64 (what linux-headers-amd64 depends on), KDIR
kt=$(timeout 900 "$REPO/scripts/kernel-tree.sh") || die "scripts/kernel-tree.sh failed"
eval "$kt"
if [ -z "${KVER:-}" ] || [ ! -f "${KDIR:-}/Makefile" ]; then die "no Kbuild tree for the kernel ($kt)"; fi
IMG=$CB/kernel-image/$KVER
VMLINUZ=$IMG/x/boot/vmlinuz-$KVER
moddir() { # where the package keeps its modules (lib/ or, merged-/usr, usr/lib/)
	if [ -d "$IMG/x/usr/lib/modules/$KVER" ]; then echo "$IMG/x/usr/lib/modules/$KVER"
	else echo "$IMG/x/lib/modules/$KVER"; fi
}
if [ ! -f "$VMLINUZ" ] || [ ! -d "$(moddir)/kernel" ]; then
	rm -rf "$IMG"
	mkdir -p "$IMG/deb" "$IMG/x"
	# apt's download sandbox (user _apt) must be able to write there
	if id _apt >/dev/null 2>&1; then chown _apt "$IMG/deb"; fi
	pkg=linux-image-$KVER
	if ! (cd "$IMG/deb" && timeout 600 apt-get download -q "$pkg"); then
		timeout 600 apt-get update -qq
		(cd "$IMG/deb" && timeout 600 apt-get download -q "$pkg") || die "apt-get download $pkg failed"
	fi
	deb=$(find "$IMG/deb" -maxdepth 1 -name '*.deb' | head -n 1)
	[ -n "$deb" ] || die "apt-get download left no .deb in $IMG/deb"
	# only the kernel and the crypto modules (18 MB instead of 400); everything if
	# the package is laid out differently
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$IMG/x" --wildcards './boot/*' \
		'./lib/modules/*/modules.*' './lib/modules/*/kernel/crypto/*' \
		'./lib/modules/*/kernel/arch/x86/crypto/*' './lib/modules/*/kernel/lib/*' 2>/dev/null; then
		rm -rf "$IMG/x"
		dpkg-deb -x "$deb" "$IMG/x"
	fi
	rm -f "$deb"
fi
MODDIR=$(moddir)
if [ ! -f "$MODDIR/modules.dep" ]; then
	# the .deb has no modules.dep: depmod writes it at install time
	command -v depmod >/dev/null || PATH=$PATH:/usr/sbin:/sbin
	depmod -b "${MODDIR%/lib/modules/*}" "$KVER" || die "depmod for $MODDIR failed"
fi
[ -f "$VMLINUZ" ] || die "no $VMLINUZ in the linux-image package"
CONFIG=$IMG/x/boot/config-$KVER
[ -f "$CONFIG" ] || die "no $CONFIG in the linux-image package"
echo "kernel $KVER: $VMLINUZ"
for opt in CONFIG_LOCKDEP CONFIG_PROVE_LOCKING CONFIG_DEBUG_LOCK_ALLOC CONFIG_KASAN CONFIG_DEBUG_ATOMIC_SLEEP; do
	v=$(grep -E "^$opt=" "$CONFIG" 2>/dev/null | cut -d= -f2 || true)
	echo "  $opt=${v:-unset}"
done
echo "  (lock and KASAN checking is only as good as the Debian kernel's config above)"

# ---- 3. kgss.ko and ktest_host ----------------------------------------------------------
mkdir -p "$W"
if [ -n "$KGSS_KO" ]; then
	step "kgss.ko from $KGSS_KO (not built here)"
	KO=$KGSS_KO
else
	step "build kgss.ko"
	[ -f "$REPO/compat/linux/Makefile" ] || die "compat/linux/Makefile is missing (kgss.ko cannot be built)"
	KO=$W/kgss
	t0=$(now)
	timeout 1800 make -s -C "$REPO/compat/linux" KDIR="$KDIR" BUILD="$KO" -j2 >"$W/kgss-build.log" 2>&1 ||
		{ tail -n 30 "$W/kgss-build.log"; die "kgss.ko build failed (log: $W/kgss-build.log)"; }
	echo "kgss.ko built in $(( $(now) - t0 ))s"
fi
if [ ! -f "$KO/kgss.ko" ] || [ ! -f "$KO/Module.symvers" ]; then die "no kgss.ko / Module.symvers in $KO"; fi
echo "kgss.ko: $(stat -c %s "$KO/kgss.ko") bytes, vermagic $(modinfo -F vermagic "$KO/kgss.ko" 2>/dev/null || echo '?')"

step "build ktest_host"
if [ ! -f "$CB/CMakeCache.txt" ]; then
	timeout 300 cmake -S "$REPO" -B "$CB" -DCMAKE_BUILD_TYPE=Release >"$W/cmake.log" 2>&1 ||
		{ tail -n 30 "$W/cmake.log"; die "cmake configure failed"; }
fi
timeout 1800 cmake --build "$CB" --target ktest_host -j2 >"$W/host-build.log" 2>&1 ||
	{ tail -n 30 "$W/host-build.log"; die "ktest_host build failed"; }
HOST=$CB/tests/kernel/ktest_host

# ---- 4. KDC, prepare, kgss_ktest.ko ---------------------------------------------------------
step "KDC and prepare"
KDC=$W/kdc
# shellcheck disable=SC2317 # called by the trap
cleanup() { "$REPO/scripts/kdc.sh" stop "$KDC" >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$REPO/scripts/kdc.sh" start "$KDC"
export KGSS_KDC_ENV=$KDC/env
rm -rf "$W/data"
mkdir -p "$W/data"
timeout 300 "$HOST" prepare --out "$W/data" >"$W/prepare.log" 2>&1 ||
	{ tail -n 30 "$W/prepare.log"; die "ktest_host prepare failed"; }
tail -n 1 "$W/prepare.log"

step "build kgss_ktest.ko"
M=$W/ktest-mod
rm -rf "$M"
mkdir -p "$M"
cp "$REPO"/tests/kernel/ktest_core.c "$REPO"/tests/kernel/ktest_core.h "$REPO"/tests/kernel/ktest_env.h \
	"$REPO"/tests/kernel/module/Kbuild "$REPO"/tests/kernel/module/ktest_main.c "$W/data/ktest_cases.h" "$M/"
t0=$(now)
timeout 600 make -C "$KDIR" M="$M" KGSS_INCLUDE="$REPO/gss-kernel-lib/include" \
	KBUILD_EXTRA_SYMBOLS="$KO/Module.symvers" modules >"$W/ktest-build.log" 2>&1 ||
	{ tail -n 30 "$W/ktest-build.log"; die "kgss_ktest.ko build failed"; }
echo "kgss_ktest.ko: $(stat -c %s "$M/kgss_ktest.ko") bytes, $(( $(now) - t0 ))s"

# The documentation's example consumer (compat/linux/example): a separate module
# that includes nothing of libkgss but kgss.h.
EX=$W/example-mod
rm -rf "$EX"
mkdir -p "$EX"
cp "$REPO"/compat/linux/example/Kbuild "$REPO"/compat/linux/example/kgss_example.c "$EX/"
timeout 600 make -C "$KDIR" M="$EX" KGSS_INCLUDE="$REPO/gss-kernel-lib/include" \
	KBUILD_EXTRA_SYMBOLS="$KO/Module.symvers" modules >"$W/example-build.log" 2>&1 ||
	{ tail -n 30 "$W/example-build.log"; die "kgss_example.ko build failed"; }

# ---- 5. initramfs ------------------------------------------------------------------------------
step "initramfs"
R=$W/root
rm -rf "$R"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,mod}
# busybox-static's /bin/busybox (no shared libraries in the initramfs)
[ -x /bin/busybox ] || die "/bin/busybox missing (busybox-static)"
cp /bin/busybox "$R/bin/busybox"
if [ "$(id -u)" = 0 ]; then mknod -m 600 "$R/dev/console" c 5 1; fi # else /init reopens it

# Kernel crypto modules, dependencies first (modules.dep: "path: dep dep ...").
# Required: what the linux backend cannot do without in this kernel (built as
# modules by Debian).  Optional: the x86 drivers that take over when the CPU
# has the instructions (a load that fails on -cpu qemu64 is expected).
REQUIRED_MODS="libdes des_generic camellia_generic sha512_generic"
OPTIONAL_MODS="cryptd crypto_simd aesni-intel des3_ede-x86_64 camellia-x86_64 sha1-ssse3 sha256-ssse3 sha512-ssse3"
norm() { echo "$1" | tr '-' '_'; }
declare -A have=()
order=()
add_mod() { # add_mod NAME [depth]
	local name depth line path deps d i pat
	name=$(norm "$1")
	depth=${2:-0}
	[ "$depth" -lt 16 ] || die "module dependency chain too deep at $1"
	[ -z "${have[$name]:-}" ] || return 0
	pat=${1//[-_]/[-_]}
	line=$(grep -E "/$pat\.ko(\.[a-z]+)?:" "$MODDIR/modules.dep" | head -n 1 || true)
	if [ -z "$line" ]; then
		# built into the kernel?
		grep -qE "/$pat\.ko" "$MODDIR/modules.builtin" 2>/dev/null && return 0
		return 1
	fi
	path=${line%%:*}
	deps=${line#*:}
	# shellcheck disable=SC2206
	local arr=($deps)
	for ((i = ${#arr[@]} - 1; i >= 0; i--)); do
		d=$(basename "${arr[$i]}")
		d=${d%%.ko*}
		add_mod "$d" $((depth + 1)) || die "dependency $d of $1 not found"
	done
	have[$name]=1
	order+=("$path")
}
for m in $REQUIRED_MODS; do add_mod "$m" || die "required module $m not in $MODDIR"; done
for m in $OPTIONAL_MODS; do add_mod "$m" || echo "  (optional module $m not found)"; done
: >"$R/mod/order"
for p in "${order[@]}"; do
	b=$(basename "$p")
	case $b in
	*.ko) cp "$MODDIR/$p" "$R/mod/$b" ;;
	*.ko.xz) xz -dc "$MODDIR/$p" >"$R/mod/${b%.xz}"; b=${b%.xz} ;;
	*.ko.zst) zstd -qdc "$MODDIR/$p" >"$R/mod/${b%.zst}"; b=${b%.zst} ;;
	*.ko.gz) gzip -dc "$MODDIR/$p" >"$R/mod/${b%.gz}"; b=${b%.gz} ;;
	*) die "unexpected module file $p" ;;
	esac
	req=0
	for m in $REQUIRED_MODS; do [ "$(norm "${b%.ko}")" = "$(norm "$m")" ] && req=1; done
	echo "$b $req" >>"$R/mod/order"
done
echo "crypto modules: $(cut -d' ' -f1 "$R/mod/order" | tr '\n' ' ')"
cp "$KO/kgss.ko" "$M/kgss_ktest.ko" "$EX/kgss_example.ko" "$R/mod/"

cat >"$R/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
echo "KTEST-INIT kernel $(uname -r) cpu: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2)"
echo "KTEST-INIT flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'aes|avx2|sha_ni|ssse3' | tr '\n' ' ')"
while read -r m req; do
	if insmod "/mod/$m" 2>/tmp/err; then
		echo "KTEST-INSMOD ok $m"
	elif [ "$req" = 1 ]; then
		echo "KTEST-INSMOD FAILED required $m: $(cat /tmp/err)"
	else
		echo "KTEST-INSMOD skipped optional $m: $(cat /tmp/err)"
	fi
done </mod/order
awk '/^name/ {n = $3} /^driver/ {d = $3} /^priority/ {p = $3}
     /^type/ { if (n ~ /^(aes|camellia|des3_ede|md5|sha1|sha256|sha384)$/) print "KTEST-CRYPTO " n " " d " priority=" p " " $3 }' /proc/crypto
t0=$(cut -d' ' -f1 /proc/uptime)
if insmod /mod/kgss.ko; then
	echo "KTEST-INSMOD ok kgss.ko"
	if insmod /mod/kgss_ktest.ko; then
		echo "KTEST-INSMOD ok kgss_ktest.ko"
		rmmod kgss_ktest && echo "KTEST-RMMOD ok kgss_ktest" || echo "KTEST-RMMOD FAILED kgss_ktest"
	else
		echo "KTEST-INSMOD FAILED kgss_ktest.ko"
	fi
	if insmod /mod/kgss_example.ko; then
		rmmod kgss_example && echo "KTEST-RMMOD ok kgss_example" || echo "KTEST-RMMOD FAILED kgss_example"
	else
		echo "KTEST-INSMOD FAILED kgss_example.ko"
	fi
	rmmod kgss && echo "KTEST-RMMOD ok kgss" || echo "KTEST-RMMOD FAILED kgss"
else
	echo "KTEST-INSMOD FAILED kgss.ko"
fi
t1=$(cut -d' ' -f1 /proc/uptime)
echo "KTEST-TIME modules ${t0}s..${t1}s of uptime"
dmesg | grep -iE 'taint|kgss:' | grep -v KGSS- | sed 's/^/KTEST-DMESG /'
echo "KTEST-DONE"
poweroff -f
EOF
chmod +x "$R/init"
(cd "$R" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$W/initramfs.cpio.gz"
echo "initramfs: $(stat -c %s "$W/initramfs.cpio.gz") bytes"

# ---- 6. boots -------------------------------------------------------------------------------------
BAD='Oops|WARNING:|BUG:|KASAN|lockdep|possible recursive locking|inconsistent lock state|general protection|Kernel panic|Call Trace|RIP:|KTEST-INSMOD FAILED|KTEST-RMMOD FAILED'
rc=0
summary=""
for cpu in $CPUS; do
	step "boot -cpu $cpu"
	LOG=$W/console-$cpu.log
	t0=$(date +%s%N)
	qrc=0
	timeout -k 10 "$BOOT_TIMEOUT" qemu-system-x86_64 -machine q35,accel=tcg -cpu "$cpu" -smp 1 -m 512 \
		-nographic -no-reboot -monitor none -serial stdio -kernel "$VMLINUZ" -initrd "$W/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=7" </dev/null >"$LOG" 2>&1 || qrc=$?
	t1=$(date +%s%N)
	secs=$(( (t1 - t0) / 1000000 ))
	secs="$((secs / 1000)).$(printf '%03d' $((secs % 1000)))"
	echo "boot -cpu $cpu: qemu exit $qrc after ${secs}s, console $LOG ($(wc -l <"$LOG") lines)"
	ok=1
	[ "$qrc" = 0 ] || { echo "FAIL: qemu exit $qrc (124 = timeout)"; ok=0; }
	grep -q KTEST-DONE "$LOG" || { echo "FAIL: /init did not finish"; ok=0; }
	grep -q 'kgss_example: PASS' "$LOG" || { echo "FAIL: the example module (kgss.h only) did not pass"; ok=0; }
	bad=$(grep -nE "$BAD" "$LOG" || true)
	if [ -n "$bad" ]; then
		echo "$bad" | head -n 20
		echo "FAIL: the console shows the lines above ($(echo "$bad" | wc -l) in all)"
		ok=0
	fi
	grep -E 'KTEST-(INIT|CRYPTO|TIME)|KTEST-INSMOD (skipped|FAILED)|kgss: linux backend|KGSS-KTEST|KGSS-BACKEND|KGSS-COUNT|KGSS-CONTEXT|KGSS-STACK-BY|KTEST-DMESG' "$LOG" |
		sed 's/^\[[ 0-9.]*\] //' | tr -d '\r' || true
	vrc=0
	"$HOST" verify --in "$W/data" --console "$LOG" --backends default,builtin,linux --stack-limit 8192 \
		--contexts softirq,hardirq,hardirq-in-fpu \
		>"$W/verify-$cpu.log" 2>&1 || vrc=$?
	sed -n '/^stack/,$p' "$W/verify-$cpu.log"
	grep -E '^ktest_host: FAIL' "$W/verify-$cpu.log" | head -n 20 || true
	[ "$vrc" = 0 ] || { echo "FAIL: ktest_host verify (log: $W/verify-$cpu.log)"; ok=0; }
	result=$(grep -o 'KGSS-RESULT.*' "$LOG" | tr -d '\r' | head -n 1 || true)
	summary="$summary
  -cpu $cpu: ${secs}s, ${result:-no KGSS-RESULT}, verify $([ "$vrc" = 0 ] && echo PASS || echo FAIL)"
	[ "$ok" = 1 ] || rc=1
done
step "done"
echo "summary:$summary"
[ "$rc" = 0 ] && echo "kernel test: PASS" || echo "kernel test: FAIL"
exit "$rc"
