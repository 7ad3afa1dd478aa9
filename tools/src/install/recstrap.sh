#!/bin/sh
# recstrap: lays the live system's root file system onto a mounted target, as pacstrap does.
# The live squashfs is unpacked with unsquashfs (owners, modes, xattrs and capabilities, hard
# links, symlinks and device nodes kept), compared with the image it came from, and then made
# an installed system: the live-only pieces the image lists are left out and the installed
# versions of files the image carries replace their live ones.
# POSIX sh: runs under busybox ash and bash; needs unsquashfs (squashfs-tools).
set -eu

LIVE_ONLY=/usr/lib/recstrap/live-only
INSTALLED=/usr/lib/recstrap/installed
DEFAULT_SOURCES="/media/cdrom/LiveOS/squashfs.img /run/live/medium/LiveOS/squashfs.img"

# Every command this script runs besides shell builtins, checked before anything is written.
for command in awk sed grep find xargs stat md5sum cmp diff df mktemp unsquashfs; do
	command -v "$command" >/dev/null 2>&1 ||
		{ echo "recstrap: error: $command is missing: install the package that provides it (grep, sed, gawk, findutils, diffutils, coreutils, util-linux, squashfs-tools)" >&2; exit 1; }
done

usage() {
	cat <<'EOF'
usage: recstrap [--force] [--no-verify] [--source IMAGE] TARGET

Installs the live system onto TARGET, a mounted file system (mount /boot and /var below it
first). TARGET must be empty but for lost+found and the mount points under it.
  --source IMAGE  the squashfs to install (default: the live medium's LiveOS/squashfs.img)
  --force         install onto a TARGET that holds files already (they may be overwritten)
  --no-verify     skip comparing what was written with the image
  -h, --help      this help
EOF
}

say() {
	echo "recstrap: $*"
}

die() {
	echo "recstrap: error: $*" >&2
	exit 1
}

force=0
verify=1
source_image=
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	--no-verify) verify=0 ;;
	--source)
		[ $# -ge 2 ] || die "--source needs an image path"
		source_image=$2
		shift
		;;
	--source=*) source_image=${1#--source=} ;;
	-h | --help)
		usage
		exit 0
		;;
	-*)
		usage >&2
		die "unknown option $1"
		;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || {
	usage >&2
	exit 2
}
[ "$(id -u)" = 0 ] || die "run it as root: the installed files keep their owners"
command -v unsquashfs >/dev/null 2>&1 || die "unsquashfs is missing: install squashfs-tools"
[ -d "$1" ] || die "$1 is not a directory: make it and mount the target's system partition on it"
target=$(cd "$1" && pwd -P)
[ "$target" != / ] || die "TARGET is / : mount the new system partition somewhere else, such as /mnt"

# Mount points, one a line as the kernel escapes them (a space is \040).
mount_points() {
	awk '{ print $5 }' /proc/self/mountinfo
}
escape() {
	printf '%s' "$1" | sed 's/\\/\\134/g; s/ /\\040/g'
}
is_mount_point() {
	mount_points | grep -qxF "$(escape "$1")"
}

is_mount_point "$target" || die "$target is not a mount point: mount the system partition on it (mount /dev/vda2 $target)"

# Anything but lost+found and the mount points that lead to other mounted file systems.
leftovers() {
	find "$target" -mindepth 1 | while IFS= read -r path; do
		case $path in
		*/lost+found | */lost+found/*) continue ;;
		esac
		if [ -d "$path" ] && [ ! -L "$path" ]; then
			below=$(mount_points | grep -cF "$(escape "$path")/" || true)
			if is_mount_point "$path" || [ "$below" -gt 0 ]; then
				continue
			fi
		fi
		echo "$path"
	done
}

if [ "$force" = 0 ]; then
	found=$(leftovers | head -n 5)
	if [ -n "$found" ]; then
		die "$target is not empty (first entries below); use an empty file system, or --force to install over it:
$found"
	fi
fi

if [ -z "$source_image" ]; then
	for candidate in $DEFAULT_SOURCES; do
		if [ -f "$candidate" ]; then
			source_image=$candidate
			break
		fi
	done
	[ -n "$source_image" ] || die "no live image at $DEFAULT_SOURCES: is this the live system? Give one with --source IMAGE"
fi
[ -f "$source_image" ] || die "$source_image does not exist"
unsquashfs -s "$source_image" >/dev/null 2>&1 || die "$source_image is not a squashfs image unsquashfs can read"

# Size of the files in the image, in KiB, against what the target has free.
needed_kib=$(unsquashfs -lls "$source_image" 2>/dev/null | awk '$1 ~ /^-/ { sum += $3 } END { printf "%d", sum / 1024 + 1 }')
free_kib=$(df -Pk "$target" | awk 'NR == 2 { print $4 }')
if [ -n "$free_kib" ] && [ "$free_kib" -lt "$needed_kib" ]; then
	die "$target has $((free_kib / 1024)) MiB free; the system needs $((needed_kib / 1024)) MiB: use a bigger partition"
fi

entries=$(unsquashfs -lls "$source_image" 2>/dev/null | grep -c '^[-dlcbps]' || true)
say "installing $source_image onto $target: $entries entries, $((needed_kib / 1024)) MiB"
progress=-no-progress
[ -t 1 ] && progress=
# shellcheck disable=SC2086
if ! unsquashfs -f -d "$target" $progress "$source_image" >/tmp/recstrap.$$ 2>&1; then
	tail -n 5 /tmp/recstrap.$$ >&2
	rm -f /tmp/recstrap.$$
	free_now=$(df -Pk "$target" | awk 'NR == 2 { print $4 }')
	[ "${free_now:-1}" -gt 0 ] || die "$target filled up while installing: the copy there is incomplete; free space or use a bigger partition, then run recstrap --force $target"
	die "unsquashfs could not unpack $source_image onto $target (its messages are above); the copy there is incomplete: fix the cause and run recstrap --force $target"
fi
rm -f /tmp/recstrap.$$
say "unpacked $entries entries"

# File systems below the target that cannot hold owners and modes (the ESP), by mount point.
posixless_mounts() {
	awk -v t="$(escape "$target")" '{
		for (i = 7; $i != "-"; i++) ;
		fs = $(i + 1)
		if ((fs == "vfat" || fs == "msdos" || fs == "exfat") && index($5, t "/") == 1) print substr($5, length(t) + 1)
	}' /proc/self/mountinfo
}

verify_copy() {
	image_mount=$(mktemp -d /tmp/recstrap-image.XXXXXX)
	mount -t squashfs -o ro,loop "$source_image" "$image_mount" || {
		rmdir "$image_mount"
		die "cannot mount $source_image to compare the copy with it; use --no-verify to skip the check"
	}
	skip=$(posixless_mounts | sed 's/\\040/ /g')
	listing() {
		(cd "$1" && find . -mindepth 1 | sort) | while IFS= read -r path; do
			for prefix in $skip; do
				case $path in
				."$prefix" | ."$prefix"/*) continue 2 ;;
				esac
			done
			printf '%s\n' "$path"
		done
	}
	listing "$image_mount" >/tmp/recstrap-paths.$$
	# Type, mode, owner and device numbers of every entry, a symlink's target, a file's digest.
	describe() {
		(cd "$1" && tr '\n' '\0' </tmp/recstrap-paths.$$ | xargs -0 stat -c '%F %a %u %g %t:%T %N')
		(cd "$1" && tr '\n' '\0' </tmp/recstrap-paths.$$ | xargs -0 sh -c 'for p; do [ -f "$p" ] && [ ! -L "$p" ] && echo "$p"; done' sh | tr '\n' '\0' | xargs -0 -r md5sum)
	}
	describe "$image_mount" >/tmp/recstrap-image.$$
	describe "$target" >/tmp/recstrap-target.$$ 2>/tmp/recstrap-errors.$$ || true
	umount "$image_mount" && rmdir "$image_mount"
	if ! cmp -s /tmp/recstrap-image.$$ /tmp/recstrap-target.$$; then
		diff -u /tmp/recstrap-image.$$ /tmp/recstrap-target.$$ | grep '^[-+][^-+]' | head -n 10 >&2 || true
		cat /tmp/recstrap-errors.$$ >&2
		rm -f /tmp/recstrap-*.$$
		die "the copy on $target differs from $source_image (first differences above: - image, + target): the disk may be failing; run recstrap --force $target again"
	fi
	count=$(wc -l </tmp/recstrap-paths.$$)
	rm -f /tmp/recstrap-*.$$
	say "verified $count entries against the image"
}

if [ "$verify" = 1 ]; then
	verify_copy
else
	say "not verifying the copy (--no-verify)"
fi

# Live-only pieces out, installed versions in.
if [ -f "$target$LIVE_ONLY" ]; then
	removed=0
	while IFS= read -r path; do
		case $path in
		"" | "#"*) continue ;;
		/*) ;;
		*) die "$LIVE_ONLY: '$path' is not an absolute path" ;;
		esac
		case /$path/ in
		*/../* | */./*) die "$LIVE_ONLY: '$path' is not a plain path" ;;
		esac
		if [ -e "$target$path" ] || [ -L "$target$path" ]; then
			rm -rf "$target$path"
			removed=$((removed + 1))
		fi
	done <"$target$LIVE_ONLY"
	say "left out $removed live-only entries ($LIVE_ONLY)"
fi
if [ -d "$target$INSTALLED" ]; then
	(cd "$target$INSTALLED" && find . -mindepth 1 ! -type d) | while IFS= read -r path; do
		mkdir -p "$target/$(dirname "$path")"
		rm -f "$target/$path"
		cp -a "$target$INSTALLED/$path" "$target/$path"
	done
	say "put the installed versions of $(cd "$target$INSTALLED" && find . -mindepth 1 ! -type d | wc -l) files in place ($INSTALLED)"
fi
sync
say "done: $target holds the installed system; next: recfstab $target >> $target/etc/fstab"
