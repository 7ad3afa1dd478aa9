#!/bin/sh
# recupdate: A/B updates of an installed system. The running slot (system-a or system-b) is
# never written; an update goes to the other one, whose systemd-boot entry gets a boot counter
# (<entry>-b+1.conf) and a one-shot boot. A trial that boots healthy is blessed and becomes the
# default; one that fails, or never gets blessed, leaves the default on the old slot, so the
# next boot returns there by itself. /var is shared by both slots.
# POSIX sh: runs under busybox ash and bash.
set -eu

ESP=${RECUPDATE_ESP:-/boot}
STATE_DIR=${RECUPDATE_STATE:-/var/lib/recupdate}
CMDLINE=${RECUPDATE_CMDLINE:-/proc/cmdline}
OS_RELEASE=${RECUPDATE_OS_RELEASE:-/etc/os-release}
HEALTH_DIRS=${RECUPDATE_HEALTH_DIRS:-"/usr/lib/recupdate/health.d /etc/recupdate/health.d"}
# This machine's own Secure Boot db key and certificate: with them, every UKI recupdate puts
# on the ESP is signed here (sbsigntool), whoever signed it before.
SB_DIR=${RECUPDATE_SB_DIR:-/etc/recupdate/secure-boot}
# What the new slot takes over from the running one: who may log in and the machine's identity.
CARRY_OVER="/etc/passwd /etc/shadow /etc/group /etc/gshadow /etc/subuid /etc/subgid /etc/hostname /etc/machine-id /etc/localtime"

# Every command this script runs besides shell builtins, checked before anything is written.
for command in awk sed grep sha256sum blkid mktemp; do
	command -v "$command" >/dev/null 2>&1 ||
		{ echo "recupdate: error: $command is missing: install the package that provides it (grep, sed, gawk, findutils, diffutils, coreutils, util-linux, squashfs-tools)" >&2; exit 1; }
done

usage() {
	cat <<'EOF'
usage: recupdate status
       recupdate apply [--no-verify] [--uki FILE] SOURCE
       recupdate stage DIR
       recupdate arm --uki FILE DIR
       recupdate unstage DIR
       recupdate uki [SLOT]
       recupdate rollback
       recupdate bless | health
       recupdate sign-uki FILE OUTPUT

  status    the running slot, the default one, and the state of a trial boot
  apply     writes SOURCE (a newer ISO with its .sha256 beside it, or its squashfs with
            --uki) into the slot that is not running, and arms one trial boot of it
  stage     copies the running system into the slot that is not running, mounted on DIR, for
            a change to be made there (recipe install does this)
  arm       unmounts a staged DIR and arms one trial boot of it with FILE as its UKI
  unstage   gives up a staged DIR: unmounts it and removes the slot's loader entry, since
            the slot no longer holds the system the entry started
  uki       the UKI file the loader entry of SLOT starts (the running slot by default)
  rollback  makes the other slot the default from the next boot on
  bless     makes the running slot the default when it is the trial (run at boot, once healthy)
  health    runs the health checks of /usr/lib/recupdate/health.d and /etc/recupdate/health.d;
            it fails only on a trial boot, which is then rebooted away from
  sign-uki  signs FILE into OUTPUT with the db.key and db.crt of /etc/recupdate/secure-boot,
            as apply does with every UKI when they are there

Secure Boot with your own keys: put the db key and certificate the machine's firmware trusts
in /etc/recupdate/secure-boot/db.key (mode 0600) and db.crt, and install sbsigntool.
EOF
}

say() {
	echo "recupdate: $*"
}

die() {
	echo "recupdate: error: $*" >&2
	exit 1
}

other_slot() {
	case $1 in
	a) echo b ;;
	b) echo a ;;
	esac
}

# The slot the running system booted from, from root=PARTLABEL=system-<slot>; empty when not
# booted from a slot (the live system).
running_slot() {
	for arg in $(cat "$CMDLINE"); do
		case $arg in
		root=PARTLABEL=system-a) echo a ;;
		root=PARTLABEL=system-b) echo b ;;
		esac
	done
}

require_installed() {
	slot=$(running_slot)
	[ -n "$slot" ] || die "this system did not boot from system-a or system-b (root= on the kernel command line): recupdate runs on an installed system"
	if [ ! -d "$ESP/loader" ] && awk -v esp="$ESP" '$1 !~ /^#/ && $2 == esp { found = 1 } END { exit !found }' /etc/fstab 2>/dev/null; then
		# OpenRC systems without localmount leave the ESP to whoever needs it.
		mount "$ESP" 2>/dev/null || true
	fi
	[ -d "$ESP/loader" ] || die "$ESP/loader is missing: mount the EFI system partition on $ESP (mount $ESP)"
}

os_id() {
	sed -n 's/^ID=//p' "$1" | tr -d '"'
}

# The loader entry file (name only) of a slot: the entry whose efi line starts its UKI.
entry_of() {
	uki="$(os_id "$OS_RELEASE")-system-$1.efi"
	for file in "$ESP"/loader/entries/*.conf; do
		[ -f "$file" ] || continue
		if grep -q "^efi[[:space:]]\+/EFI/Linux/$uki\$" "$file"; then
			echo "${file##*/}"
			return 0
		fi
	done
	return 1
}

# acorn-b+1.conf -> acorn-b.conf
plain_name() {
	case $1 in
	*+*.conf) echo "${1%%+*}.conf" ;;
	*) echo "$1" ;;
	esac
}

# Tries left of a counted entry (acorn-b+1.conf -> 1, acorn-b+0-1.conf -> 0); empty if none.
tries_left() {
	case $1 in
	*+*.conf)
		counter=${1##*+}
		counter=${counter%.conf}
		echo "${counter%%-*}"
		;;
	esac
}

default_entry() {
	sed -n 's/^default[[:space:]]\+//p' "$ESP/loader/loader.conf" 2>/dev/null | head -n 1
}

# Replaces loader.conf's default line, through a new file renamed into place.
set_default() {
	conf=$ESP/loader/loader.conf
	{
		[ -f "$conf" ] && grep -v '^default[[:space:]]' "$conf"
		echo "default $1"
	} >"$conf.new" || true
	sync
	mv -f "$conf.new" "$conf"
	sync
}

trial_slot() {
	[ -f "$STATE_DIR/trial" ] && cat "$STATE_DIR/trial"
	return 0
}

cmd_status() {
	require_installed
	running=$(running_slot)
	default=$(default_entry)
	echo "running: $running (system-$running)"
	trial=$(trial_slot)
	next=$(plain_name "$default")
	for slot in a b; do
		entry=$(entry_of "$slot" || true)
		left=$(tries_left "${entry:-x}")
		version=
		[ -f "$STATE_DIR/slot-$slot" ] && version=$(cat "$STATE_DIR/slot-$slot")
		mark=
		[ -n "$entry" ] && [ "$(plain_name "$entry")" = "$default" ] && mark=" (default)"
		echo "slot $slot: ${entry:-no loader entry}${mark}${version:+, $version}"
		if [ -n "$left" ]; then
			if [ "$left" -gt 0 ]; then
				echo "trial: $slot is armed, $left try left"
				if [ "$slot" = "$trial" ]; then next="$entry (trial, once)"; fi
			elif [ "$slot" = "$running" ]; then
				echo "trial: $slot is running, waiting to be blessed"
			else
				echo "trial: $slot failed (it did not get blessed); the default stays"
			fi
		fi
	done
	echo "next boot: $next"
	[ -f "$STATE_DIR/last" ] && echo "last: $(cat "$STATE_DIR/last")"
	return 0
}

# The block device of a GPT partition label, from the kernel's uevent files.
partition_by_label() {
	for uevent in /sys/class/block/*/uevent; do
		if grep -qx "PARTNAME=$1" "$uevent" 2>/dev/null; then
			name=$(sed -n 's/^DEVNAME=//p' "$uevent")
			[ -b "/dev/$name" ] && echo "/dev/$name" && return 0
		fi
	done
	return 1
}

# Whether this machine signs the UKIs it installs.
signs_ukis() {
	[ -f "$SB_DIR/db.key" ] && [ -f "$SB_DIR/db.crt" ]
}

require_signing_tools() {
	for command in sbsign sbverify sbattach; do
		command -v "$command" >/dev/null 2>&1 ||
			die "$command is missing: install sbsigntool to sign UKIs with the key in $SB_DIR, or move that key away"
	done
}

# Signs the UKI $1 into $2 with this machine's db key, replacing any signature it had, and
# checks the result; $2 is written whole or not at all.
sign_uki() {
	signs_ukis || die "no Secure Boot key to sign with: put db.key and db.crt in $SB_DIR"
	require_signing_tools
	unsigned=$(mktemp /tmp/recupdate-uki.XXXXXX)
	cp "$1" "$unsigned"
	if sbverify --list "$unsigned" 2>/dev/null | grep -q '^signature '; then
		sbattach --remove "$unsigned" >/dev/null 2>&1 ||
			{ rm -f "$unsigned"; die "cannot take the old signature off $1"; }
	fi
	sbsign --key "$SB_DIR/db.key" --cert "$SB_DIR/db.crt" --output "$2.signing" "$unsigned" >/dev/null 2>&1 ||
		{ rm -f "$unsigned" "$2.signing"; die "sbsign could not sign $1 with $SB_DIR/db.key"; }
	rm -f "$unsigned"
	sbverify --cert "$SB_DIR/db.crt" "$2.signing" >/dev/null 2>&1 ||
		{ rm -f "$2.signing"; die "the UKI signed from $1 does not verify with $SB_DIR/db.crt"; }
	mv -f "$2.signing" "$2"
}

cmd_sign_uki() {
	[ $# -eq 2 ] || die "usage: recupdate sign-uki FILE OUTPUT"
	[ -f "$1" ] || die "$1 is not a file"
	sign_uki "$1" "$2"
	say "signed $1 into $2 with $SB_DIR/db.crt"
}

cleanup_apply() {
	for mounted in ${apply_mounts:-}; do
		umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true
		rmdir "$mounted" 2>/dev/null || true
	done
	apply_mounts=
}

cmd_apply() {
	verify=1
	uki=
	while [ $# -gt 0 ]; do
		case $1 in
		--no-verify) verify=0 ;;
		--uki)
			[ $# -ge 2 ] || die "--uki needs a file"
			uki=$2
			shift
			;;
		-*) die "unknown option $1" ;;
		*) break ;;
		esac
		shift
	done
	[ $# -eq 1 ] || die "apply needs one SOURCE: an ISO (with SOURCE.sha256 beside it) or a squashfs with --uki"
	source=$1
	[ "$(id -u)" = 0 ] || die "run it as root"
	require_installed
	command -v unsquashfs >/dev/null 2>&1 || die "unsquashfs is missing: install squashfs-tools"
	signs_ukis && require_signing_tools
	[ -e "$source" ] || die "$source does not exist"
	require_no_trial

	if [ "$verify" = 1 ]; then
		[ -f "$source.sha256" ] || die "$source.sha256 is missing: keep the checksum the build published beside the image, or pass --no-verify"
		expected=$(awk '{ print $1; exit }' "$source.sha256")
		actual=$(sha256sum "$source" | awk '{ print $1 }')
		[ "$expected" = "$actual" ] || die "$source does not match $source.sha256 (sha256 $actual, expected $expected): download it again; nothing was written"
		say "checked $source against $source.sha256"
	fi

	apply_mounts=
	trap cleanup_apply EXIT
	trap 'cleanup_apply; exit 130' INT TERM HUP
	image=$source
	if unsquashfs -s "$source" >/dev/null 2>&1; then
		[ -n "$uki" ] || die "$source is a squashfs: give the slot UKI from the same build with --uki FILE"
	else
		iso_mount=$(mktemp -d /tmp/recupdate-iso.XXXXXX)
		apply_mounts="$iso_mount"
		mount -t iso9660 -o ro,loop "$source" "$iso_mount" 2>/dev/null || mount -t iso9660 -o ro "$source" "$iso_mount" ||
			die "$source is neither a squashfs nor an ISO 9660 image"
		image=$iso_mount/LiveOS/squashfs.img
		[ -f "$image" ] || die "$source has no LiveOS/squashfs.img: is it a live ISO of this system?"
		if [ -z "$uki" ]; then
			uki=$(ls "$iso_mount"/boot/uki/*-system-"$target".efi 2>/dev/null | head -n 1)
		fi
	fi
	[ -n "$uki" ] && [ -f "$uki" ] || die "no UKI for slot $target in $source (boot/uki/*-system-$target.efi)"

	new_release=$(mktemp /tmp/recupdate-os-release.XXXXXX)
	# os-release(5): /etc/os-release, or /usr/lib/os-release when that is a link or missing.
	unsquashfs -cat "$image" etc/os-release >"$new_release" 2>/dev/null ||
		unsquashfs -cat "$image" usr/lib/os-release >"$new_release" 2>/dev/null ||
		die "$image has neither /etc/os-release nor /usr/lib/os-release"
	new_id=$(os_id "$new_release")
	[ "$new_id" = "$(os_id "$OS_RELEASE")" ] || die "$source holds $new_id, not $(os_id "$OS_RELEASE"): refusing to switch systems"
	new_version=$(sed -n 's/^PRETTY_NAME=//p' "$new_release" | tr -d '"')
	rm -f "$new_release"

	say "writing $new_version into slot $target; slot $running keeps running"
	slot_mount=$(mktemp -d /tmp/recupdate-slot.XXXXXX)
	apply_mounts="$slot_mount $apply_mounts"
	format_target "$slot_mount"
	recstrap --source "$image" "$slot_mount" || die "recstrap could not install $image into slot $target; slot $running stays the default"
	for file in $CARRY_OVER; do
		[ -e "$file" ] && cp -a "$file" "$slot_mount$file"
	done
	write_target_fstab "$slot_mount"
	sync
	arm_trial "$uki" "$new_version"
	cleanup_apply
	trap - EXIT INT TERM HUP
	say "slot $target holds $new_version; the next boot tries it once ($prefix-$target+1.conf)"
	say "it becomes the default when it boots healthy; otherwise slot $running comes back by itself"
}

# Arms one trial boot of slot $target with the UKI $1, titled $2: the UKI goes on the ESP
# (signed here when this machine signs), the slot's entry gets a boot counter, and systemd-boot
# starts it once. Sets prefix.
arm_trial() {
	uki=$1
	new_version=$2
	uki_name=$(os_id "$OS_RELEASE")-system-$target.efi
	mkdir -p "$ESP/EFI/Linux"
	if signs_ukis; then
		sign_uki "$uki" "$ESP/EFI/Linux/$uki_name.new"
		say "signed the UKI of slot $target with $SB_DIR/db.crt"
	else
		cp "$uki" "$ESP/EFI/Linux/$uki_name.new"
	fi
	sync
	mv -f "$ESP/EFI/Linux/$uki_name.new" "$ESP/EFI/Linux/$uki_name"

	prefix=$(plain_name "$running_entry")
	prefix=${prefix%-"$running".conf}
	target_entry=$(entry_of "$target" || true)
	[ -n "$target_entry" ] && rm -f "$ESP/loader/entries/$target_entry"
	printf 'title %s (system-%s)\nefi /EFI/Linux/%s\n' "$new_version" "$target" "$uki_name" \
		>"$ESP/loader/entries/$prefix-$target+1.conf"
	sync
	mkdir -p "$STATE_DIR"
	echo "$new_version" >"$STATE_DIR/slot-$target"
	echo "$target" >"$STATE_DIR/trial"
	if [ ! -d /sys/firmware/efi/efivars ] || [ -z "$(ls /sys/firmware/efi/efivars 2>/dev/null)" ]; then
		mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null || true
	fi
	bootctl set-oneshot "$prefix-$target*" >/dev/null 2>&1 ||
		die "could not set the one-shot boot of slot $target (bootctl set-oneshot): is this an EFI boot?"
}

# Refuses to start a change while a trial is pending or running; sets running, target and
# running_entry.
require_no_trial() {
	running=$(running_slot)
	target=$(other_slot "$running")
	for slot in a b; do
		entry=$(entry_of "$slot" || true)
		left=$(tries_left "${entry:-x}")
		if [ -n "$left" ] && [ "$left" -gt 0 ]; then
			die "a trial of slot $slot is pending ($entry): reboot to try it, or run recupdate rollback to cancel it, before applying another update"
		fi
		if [ -n "$left" ] && [ "$slot" = "$running" ]; then
			die "slot $running is running as a trial that is not blessed yet: wait for it (recupdate status), or reboot, before applying another update"
		fi
	done
	running_entry=$(entry_of "$running") || die "no loader entry in $ESP/loader/entries starts the UKI of slot $running"
}

# The partition of slot $target; sets device.
target_device() {
	device=$(partition_by_label "system-$target") || die "no partition labelled system-$target"
}

# Makes a new file system on slot $target (of the type it had, ext4 by default) and mounts it
# on $1; sets device and fstype.
format_target() {
	target_device
	grep -q "^$device " /proc/mounts && die "$device (system-$target) is mounted: unmount it first"
	fstype=$(blkid -o value -s TYPE "$device" 2>/dev/null || true)
	case $fstype in
	ext4 | xfs) ;;
	*) fstype=ext4 ;;
	esac
	say "making a new $fstype file system on slot $target ($device)"
	case $fstype in
	ext4) mkfs.ext4 -q -F -L "system-$target" "$device" ;;
	xfs) mkfs.xfs -q -f -L "system-$target" "$device" ;;
	esac
	mount "$device" "$1"
}

# The running slot's fstab in the slot mounted on $1, with / on that slot.
write_target_fstab() {
	uuid=$(blkid -o value -s UUID "$device")
	awk -v spec="UUID=$uuid" -v fs="$fstype" '
		$2 == "/" && $1 !~ /^#/ { print spec "\t/\t" fs "\trw,relatime\t0 1"; next }
		{ print }' /etc/fstab >"$1/etc/fstab"
}

# Whether $1 is where slot $target's partition is mounted.
target_mounted_on() {
	target_device
	awk -v dev="$device" -v dir="$1" '$1 == dev && $2 == dir { found = 1 } END { exit !found }' /proc/mounts
}

cmd_stage() {
	[ $# -eq 1 ] || die "stage needs the folder to mount the slot on"
	dir=$1
	[ "$(id -u)" = 0 ] || die "run it as root"
	require_installed
	require_no_trial
	mkdir -p "$dir"
	[ -z "$(ls -A "$dir")" ] || die "$dir is not empty: give an empty folder"
	say "staging a copy of slot $running in slot $target; slot $running keeps running"
	format_target "$dir"
	# The root file system alone, as a bind mount shows it: no /var, ESP, /proc or /run.
	view=$(mktemp -d /tmp/recupdate-view.XXXXXX)
	mount --bind / "$view" || { umount "$dir"; rmdir "$view"; die "could not bind-mount / to copy it"; }
	copied=1
	cp -a "$view/." "$dir/" || copied=0
	umount "$view" 2>/dev/null || umount -l "$view"
	rmdir "$view"
	if [ "$copied" = 0 ]; then
		umount "$dir" 2>/dev/null || true
		die "could not copy slot $running into slot $target (full?); slot $running stays the default"
	fi
	write_target_fstab "$dir"
	sync
	say "slot $target is staged on $dir: change it there, then run recupdate arm --uki FILE $dir"
}

cmd_arm() {
	[ $# -eq 3 ] && [ "$1" = --uki ] || die "arm needs --uki FILE and the staged folder"
	uki=$2
	shift 2
	dir=$1
	[ "$(id -u)" = 0 ] || die "run it as root"
	require_installed
	require_no_trial
	signs_ukis && require_signing_tools
	[ -f "$uki" ] || die "$uki does not exist"
	target_mounted_on "$dir" || die "$dir is not slot $target staged by recupdate stage"
	release=$dir/etc/os-release
	[ -f "$release" ] || release=$dir/usr/lib/os-release
	new_version=$(sed -n 's/^PRETTY_NAME=//p' "$release" | tr -d '"')
	sync
	umount "$dir" || die "could not unmount $dir: close what uses it and run recupdate arm again"
	rmdir "$dir" 2>/dev/null || true
	arm_trial "$uki" "$new_version"
	say "slot $target holds $new_version with the change; the next boot tries it once ($prefix-$target+1.conf)"
	say "it becomes the default when it boots healthy; otherwise slot $running comes back by itself"
}

cmd_unstage() {
	[ $# -eq 1 ] || die "unstage needs the staged folder"
	dir=$1
	[ "$(id -u)" = 0 ] || die "run it as root"
	require_installed
	running=$(running_slot)
	target=$(other_slot "$running")
	if target_mounted_on "$dir"; then
		umount "$dir" 2>/dev/null || umount -l "$dir"
	fi
	rmdir "$dir" 2>/dev/null || true
	entry=$(entry_of "$target" || true)
	[ -n "$entry" ] && rm -f "$ESP/loader/entries/$entry"
	rm -f "$STATE_DIR/slot-$target"
	say "slot $target holds an unfinished copy and no longer boots; slot $running stays the default"
}

cmd_uki() {
	require_installed
	slot=${1:-$(running_slot)}
	case $slot in a | b) ;; *) die "no slot $slot: a or b" ;; esac
	entry=$(entry_of "$slot") || die "no loader entry in $ESP/loader/entries starts the UKI of slot $slot"
	path=$(sed -n 's/^efi[[:space:]]\+//p' "$ESP/loader/entries/$entry" | head -n 1)
	[ -f "$ESP$path" ] || die "$ESP$path, the UKI of $entry, is missing"
	echo "$ESP$path"
}

cmd_rollback() {
	[ "$(id -u)" = 0 ] || die "run it as root"
	require_installed
	running=$(running_slot)
	other=$(other_slot "$running")
	entry=$(entry_of "$other") || die "slot $other has no loader entry: there is nothing to roll back to"
	plain=$(plain_name "$entry")
	if [ "$entry" != "$plain" ]; then
		mv -f "$ESP/loader/entries/$entry" "$ESP/loader/entries/$plain"
	fi
	rm -f "$STATE_DIR/trial"
	if [ -d /sys/firmware/efi/efivars ]; then
		bootctl set-oneshot "" >/dev/null 2>&1 || true
	fi
	set_default "$plain"
	echo "rollback to $other on $(date -u '+%Y-%m-%d %H:%M:%S') UTC" >"$STATE_DIR/last" 2>/dev/null || true
	say "slot $other ($plain) is the default from the next boot on; slot $running keeps running until then"
}

cmd_health() {
	[ -n "$(running_slot)" ] || {
		say "not an installed slot: nothing to check"
		return 0
	}
	failed=
	for dir in $HEALTH_DIRS; do
		for check in "$dir"/*; do
			[ -x "$check" ] || continue
			if ! "$check"; then
				failed="$failed ${check##*/}"
			fi
		done
	done
	if [ -n "$failed" ]; then
		if [ "$(trial_slot)" != "$(running_slot)" ]; then
			# Only a trial is sent back: a default slot with a failing check keeps running.
			say "health checks failed:$failed (not a trial boot: nothing is rolled back)"
			return 0
		fi
		echo "RECUPDATE-HEALTH-FAILED slot=$(running_slot):$failed" >/dev/console 2>/dev/null || true
		die "health checks of the trial slot failed:$failed"
	fi
	say "healthy"
}

cmd_bless() {
	running=$(running_slot)
	[ -n "$running" ] || return 0
	require_installed
	entry=$(entry_of "$running") || die "no loader entry starts slot $running"
	plain=$(plain_name "$entry")
	trial=$(trial_slot)
	if [ "$entry" != "$plain" ]; then
		# systemd-bless-boot has not renamed it (OpenRC, or it ran first): do as it does.
		mv -f "$ESP/loader/entries/$entry" "$ESP/loader/entries/$plain"
	fi
	if [ "$trial" = "$running" ]; then
		set_default "$plain"
		rm -f "$STATE_DIR/trial"
		echo "blessed slot $running ($(cat "$STATE_DIR/slot-$running" 2>/dev/null || echo "?")) on $(date -u '+%Y-%m-%d %H:%M:%S') UTC" >"$STATE_DIR/last"
		echo "RECUPDATE-BLESSED slot=$running" >/dev/console 2>/dev/null || true
		say "slot $running is healthy and the default now"
	elif [ -n "$trial" ]; then
		# Back on the old slot: the trial never got blessed.
		failed_entry=$(entry_of "$trial" || true)
		[ -n "$failed_entry" ] && [ "$failed_entry" != "$(plain_name "$failed_entry")" ] &&
			mv -f "$ESP/loader/entries/$failed_entry" "$ESP/loader/entries/$(plain_name "$failed_entry")"
		rm -f "$STATE_DIR/trial"
		echo "trial of slot $trial failed; back on slot $running since $(date -u '+%Y-%m-%d %H:%M:%S') UTC" >"$STATE_DIR/last"
		echo "RECUPDATE-TRIAL-FAILED slot=$trial running=$running" >/dev/console 2>/dev/null || true
		say "the trial of slot $trial failed; slot $running stays the default"
	fi
	echo "RECUPDATE-RUNNING slot=$running default=$(default_entry)" >/dev/console 2>/dev/null || true
}

case ${1:-} in
status) cmd_status ;;
apply)
	shift
	cmd_apply "$@"
	;;
stage)
	shift
	cmd_stage "$@"
	;;
arm)
	shift
	cmd_arm "$@"
	;;
unstage)
	shift
	cmd_unstage "$@"
	;;
uki)
	shift
	cmd_uki "$@"
	;;
rollback) cmd_rollback ;;
bless) cmd_bless ;;
health) cmd_health ;;
sign-uki)
	shift
	cmd_sign_uki "$@"
	;;
-h | --help | help) usage ;;
*)
	usage >&2
	exit 2
	;;
esac
