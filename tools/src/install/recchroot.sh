#!/bin/sh
# recchroot: enters an installed system with the API file systems it needs, as arch-chroot
# does, and takes every mount down again on the way out, whatever the command did.
# POSIX sh: runs under busybox ash and bash.
set -u

usage() {
	cat <<'EOF'
usage: recchroot ROOT [COMMAND [ARG...]]

Mounts /proc, /sys (with efivarfs), /dev, /dev/pts, /dev/shm, /run, /etc/resolv.conf and the
live medium (/media/cdrom) into ROOT, then runs COMMAND inside it (a login shell without one).
Everything is unmounted when the command or shell ends, and recchroot exits with its status.
EOF
}

die() {
	echo "recchroot: $*" >&2
	exit 1
}

case ${1:-} in
-h | --help)
	usage
	exit 0
	;;
"")
	usage >&2
	exit 2
	;;
esac
[ "$(id -u)" = 0 ] || die "run it as root: chroot and mount need it"
[ -d "$1" ] || die "$1 is not a directory"
root=$(cd "$1" && pwd -P)
shift
[ "$root" != / ] || die "ROOT is / already"
[ -e "$root/bin/sh" ] || [ -L "$root/bin/sh" ] || die "$root has no /bin/sh: is it an installed system (recstrap $root)?"

# What was done, newest first, undone in that order: "m PATH" unmounts, "f PATH" and "d PATH"
# remove a file or folder made here as a mount point.
undo=
cleaned=0
cleanup() {
	[ "$cleaned" = 1 ] && return
	cleaned=1
	for step in $undo; do
		path=$(printf '%s' "${step#?:}" | sed 's/%20/ /g')
		case $step in
		m:*) umount "$path" 2>/dev/null || umount -l "$path" 2>/dev/null || echo "recchroot: could not unmount $path" >&2 ;;
		f:*) rm -f "$path" ;;
		d:*) rmdir "$path" 2>/dev/null ;;
		esac
	done
}
remember() {
	undo="$1:$(printf '%s' "$2" | sed 's/ /%20/g') $undo"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

# mount_in TARGET MOUNT-ARGS...: makes TARGET (a folder) if needed, then mounts on it.
mount_in() {
	target=$1
	shift
	if [ ! -d "$target" ]; then
		mkdir "$target" || die "cannot make $target"
		remember d "$target"
	fi
	mount "$@" "$target" || die "cannot mount $target"
	remember m "$target"
}

mount_in "$root/proc" -t proc -o nosuid,noexec,nodev proc
mount_in "$root/sys" -t sysfs -o nosuid,noexec,nodev sys
if [ -d /sys/firmware/efi/efivars ]; then
	mount_in "$root/sys/firmware/efi/efivars" -t efivarfs -o nosuid,noexec,nodev efivarfs
fi
mount_in "$root/dev" --bind /dev
mount_in "$root/dev/pts" -t devpts -o gid=5,mode=620,ptmxmode=000 devpts
mount_in "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev shm
mount_in "$root/run" --bind /run
if [ -e /etc/resolv.conf ]; then
	resolv=$(readlink -f /etc/resolv.conf)
	if [ -f "$resolv" ]; then
		if [ -L "$root/etc/resolv.conf" ] || [ ! -e "$root/etc/resolv.conf" ]; then
			# A dangling link in the target (to a resolver's runtime file) is left alone.
			if [ ! -L "$root/etc/resolv.conf" ] && [ -d "$root/etc" ]; then
				: >"$root/etc/resolv.conf" && remember f "$root/etc/resolv.conf"
			fi
		fi
		if [ -f "$root/etc/resolv.conf" ] && [ ! -L "$root/etc/resolv.conf" ]; then
			mount --bind "$resolv" "$root/etc/resolv.conf" && remember m "$root/etc/resolv.conf"
		fi
	fi
fi
if [ -d /media/cdrom ] && grep -q " /media/cdrom " /proc/self/mountinfo; then
	if [ ! -d "$root/media/cdrom" ]; then
		[ -d "$root/media" ] || { mkdir "$root/media" && remember d "$root/media"; }
	fi
	mount_in "$root/media/cdrom" --bind -o ro /media/cdrom
fi

if [ $# -eq 0 ]; then
	shell=/bin/sh
	[ -x "$root/bin/bash" ] && shell=/bin/bash
	set -- "$shell" -l
fi
chroot "$root" "$@"
status=$?
cleanup
exit "$status"
