#!/bin/sh
# The one /init of the live ISO and of the installed slots.
# Live boot (root=live:CDLABEL=...): find the medium by its ISO 9660 volume label, mount the
# squashfs on it read-only under a writable overlay, show the medium at /media/cdrom, switch.
# Disk boot (root=PARTLABEL=system-a, LABEL=, UUID=, PARTUUID= or /dev/...): wait for the
# partition, mount it, mount /var as the root's /etc/fstab says, and switch to it.
# POSIX sh: runs under busybox ash and under bash, using only mount, umount, mkdir, insmod,
# sleep, cat, dd, switch_root, ls, findfs (for LABEL=, UUID= and PARTUUID=) and builtins.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
LIVE_MODULE_LIST=/etc/initramfs/modules
DISK_FSTAB=/sysroot/etc/fstab

say() {
	echo "live: $*"
}

rescue_shell() {
	say "starting a shell; type exit to leave it"
	sh -i
}

fail() {
	say "ERROR: $*"
	if [ "$live_shell" = 1 ]; then
		rescue_shell
		say "the shell exited; the boot cannot go on"
	else
		say "add rd.shell to the kernel command line to get a shell here instead of a panic"
	fi
	exit 1
}

# "A\x20B" -> "A B", the way labels with spaces are written on kernel command lines.
unescape_label() {
	rest=$1
	out=
	while :; do
		case $rest in
		*\\x20*)
			out="$out${rest%%\\x20*} "
			rest=${rest#*\\x20}
			;;
		*) break ;;
		esac
	done
	echo "$out$rest"
}

parse_cmdline() {
	live_label=
	live_dir=LiveOS
	live_squashimg=squashfs.img
	live_timeout=60
	live_shell=0
	live_break=0
	live_image=0
	live_init=/sbin/init
	disk_root=
	disk_mode=ro
	disk_fstype=
	disk_flags=
	set -f
	for arg in $1; do
		case $arg in
		root=live:CDLABEL=*) live_label=${arg#root=live:CDLABEL=} ;;
		root=live:LABEL=*) live_label=${arg#root=live:LABEL=} ;;
		root=PARTLABEL=* | root=LABEL=* | root=UUID=* | root=PARTUUID=* | root=/dev/*) disk_root=${arg#root=} ;;
		rootfstype=*) disk_fstype=${arg#rootfstype=} ;;
		rootflags=*) disk_flags=${arg#rootflags=} ;;
		ro) disk_mode=ro ;;
		rw) disk_mode=rw ;;
		rd.live.image | rd.live.image=1) live_image=1 ;;
		rd.live.dir=*) live_dir=${arg#rd.live.dir=} ;;
		rd.live.squashimg=*) live_squashimg=${arg#rd.live.squashimg=} ;;
		rd.live.timeout=*) live_timeout=${arg#rd.live.timeout=} ;;
		rd.shell | rd.shell=1) live_shell=1 ;;
		rd.shell=0) live_shell=0 ;;
		rd.break | rd.break=*) live_break=1 ;;
		init=*) live_init=${arg#init=} ;;
		esac
	done
	set +f
	live_label=$(unescape_label "$live_label")
}

# The volume label of an ISO 9660 file system on $1 ("CD001" at byte 32769, the label in the
# 32 bytes from 32808, padded with spaces); fails when $1 holds none.
iso_label() {
	magic=$(dd if="$1" bs=1 skip=32769 count=5 2>/dev/null)
	[ "$magic" = CD001 ] || return 1
	volume=$(dd if="$1" bs=1 skip=32808 count=32 2>/dev/null)
	while [ "${volume% }" != "$volume" ]; do
		volume=${volume% }
	done
	echo "$volume"
}

load_modules() {
	[ -f "$LIVE_MODULE_LIST" ] || return 0
	loaded=0
	failed=
	while read -r module; do
		[ -n "$module" ] || continue
		name=${module##*/}
		name=${name%.ko}
		while :; do
			case $name in
			*-*) name=${name%%-*}_${name#*-} ;;
			*) break ;;
			esac
		done
		[ -d "/sys/module/$name" ] && continue
		if insmod "$module"; then
			loaded=$((loaded + 1))
		else
			failed="$failed $name"
		fi
	done <"$LIVE_MODULE_LIST"
	say "loaded $loaded kernel modules${failed:+; could not load:$failed}"
}

# Polls the block devices (whole disks and partitions) for the label: USB sticks and some
# controllers take seconds to appear. Sets medium, or seen with what was there.
find_medium() {
	polls=0
	while :; do
		seen=
		for dev in /dev/sr* /dev/sd* /dev/vd* /dev/nvme*n* /dev/mmcblk*; do
			[ -b "$dev" ] || continue
			if label=$(iso_label "$dev" 2>/dev/null); then
				seen="$seen ${dev#/dev/}=$label"
				if [ "$label" = "$live_label" ]; then
					medium=$dev
					return 0
				fi
			else
				seen="$seen ${dev#/dev/}"
			fi
		done
		[ "$polls" -ge $((live_timeout * 2)) ] && return 1
		sleep 0.5 2>/dev/null || sleep 1
		polls=$((polls + 1))
	done
}

mount_live() {
	mkdir -p /run/live/medium /run/live/rootfs /run/live/overlay
	mount -t iso9660 -o ro "$medium" /run/live/medium || fail "cannot mount $medium as iso9660"
	image=/run/live/medium/$live_dir/$live_squashimg
	[ -f "$image" ] || fail "$image is missing on $medium (rd.live.dir=$live_dir rd.live.squashimg=$live_squashimg)"
	mount -t squashfs -o ro,loop "$image" /run/live/rootfs || fail "cannot mount $image as squashfs"
	say "mounted $medium on /run/live/medium and $live_dir/$live_squashimg on /run/live/rootfs"
	mount -t tmpfs -o mode=0755 live-overlay /run/live/overlay || fail "cannot mount a tmpfs for the overlay"
	mkdir -p /run/live/overlay/upper /run/live/overlay/work
	mount -t overlay -o lowerdir=/run/live/rootfs,upperdir=/run/live/overlay/upper,workdir=/run/live/overlay/work \
		overlay /sysroot || fail "cannot mount the overlay on /sysroot"
	say "mounted a writable overlay of the squashfs on /sysroot"
	mkdir -p /sysroot/media/cdrom
	mount --bind /run/live/medium /sysroot/media/cdrom || fail "cannot show the medium at /media/cdrom"
}

# The block device a PARTLABEL=, LABEL=, UUID=, PARTUUID= or /dev/ name stands for, if it is
# there yet. Partition labels come from the kernel's own uevent (PARTNAME=), the file system
# tags from findfs.
resolve_device() {
	case $1 in
	PARTLABEL=*)
		for uevent in /sys/class/block/*/uevent; do
			[ -f "$uevent" ] || continue
			name=
			partname=
			while IFS='=' read -r key value; do
				case $key in
				DEVNAME) name=$value ;;
				PARTNAME) partname=$value ;;
				esac
			done <"$uevent"
			if [ "$partname" = "${1#PARTLABEL=}" ] && [ -b "/dev/$name" ]; then
				echo "/dev/$name"
				return 0
			fi
		done
		return 1
		;;
	LABEL=* | UUID=* | PARTUUID=*)
		found=$(findfs "$1" 2>/dev/null) || return 1
		[ -b "$found" ] || return 1
		echo "$found"
		;;
	/dev/*)
		[ -b "$1" ] || return 1
		echo "$1"
		;;
	*) return 1 ;;
	esac
}

# Polls for a device by name: disks behind USB and some controllers take seconds to appear.
wait_for_device() {
	polls=0
	while :; do
		if device=$(resolve_device "$1"); then
			return 0
		fi
		[ "$polls" -ge $((live_timeout * 2)) ] && return 1
		sleep 0.5 2>/dev/null || sleep 1
		polls=$((polls + 1))
	done
}

mount_disk_root() {
	wait_for_device "$disk_root" || fail "no block device $disk_root after $live_timeout s"
	say "found $disk_root at $device"
	mount ${disk_fstype:+-t "$disk_fstype"} -o "$disk_mode${disk_flags:+,$disk_flags}" "$device" /sysroot ||
		fail "cannot mount $device ($disk_root) on /sysroot"
	say "mounted $device on /sysroot ($disk_mode)"
}

# /var of the installed system, as its /etc/fstab names it; a system without a /var line
# keeps /var on its root.
mount_disk_var() {
	[ -f "$DISK_FSTAB" ] || return 0
	while read -r spec file type options _; do
		case $spec in
		"" | "#"*) continue ;;
		esac
		[ "$file" = /var ] || continue
		wait_for_device "$spec" || fail "no block device $spec for /var (from /etc/fstab) after $live_timeout s"
		mount ${type:+-t "$type"} -o "${options:-defaults}" "$device" /sysroot/var ||
			fail "cannot mount $device ($spec) on /var"
		say "mounted $device on /var"
		return 0
	done <"$DISK_FSTAB"
	return 0
}

switch_to_live_root() {
	if [ ! -e "/sysroot$live_init" ] && [ ! -L "/sysroot$live_init" ]; then
		fail "$live_init is not in the root (init= sets another)"
	fi
	for dir in run dev proc sys; do
		mkdir -p "/sysroot/$dir"
		mount --move "/$dir" "/sysroot/$dir" || fail "cannot move /$dir to /sysroot/$dir"
	done
	echo "live: switching to the root, init $live_init"
	exec switch_root /sysroot "$live_init"
}

main() {
	mkdir -p /proc /sys /dev /run /sysroot
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
	parse_cmdline "$(cat /proc/cmdline)"
	if [ -z "$live_label" ] && [ -z "$disk_root" ]; then
		fail "no root=live:CDLABEL=<label> nor root=PARTLABEL=<partition> on the kernel command line"
	fi
	load_modules
	if [ -n "$live_label" ]; then
		say "looking for the ISO 9660 volume $live_label (waiting up to $live_timeout s)"
		find_medium || fail "no block device with the ISO 9660 volume label $live_label after $live_timeout s; block devices seen:${seen:- none}"
		say "found $live_label on $medium after $((polls / 2)) s"
		mount_live
	else
		mount_disk_root
		mount_disk_var
	fi
	if [ "$live_break" = 1 ]; then
		say "rd.break: the root is on /sysroot; exit the shell to switch to it"
		rescue_shell
	fi
	switch_to_live_root
}

main
