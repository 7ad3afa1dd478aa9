#!/bin/sh
# recfstab: prints /etc/fstab lines for every block-device file system mounted under ROOT, as
# genfstab does. POSIX sh: runs under busybox ash and bash; needs util-linux blkid.
set -eu

# Every command this script runs besides shell builtins, checked before anything is written.
for command in awk sed tr blkid; do
	command -v "$command" >/dev/null 2>&1 ||
		{ echo "recfstab: error: $command is missing: install the package that provides it (grep, sed, gawk, findutils, diffutils, coreutils, util-linux, squashfs-tools)" >&2; exit 1; }
done

usage() {
	cat <<'EOF'
usage: recfstab [-U | -L | -t TAG] ROOT

Prints fstab lines for the file systems mounted at ROOT and below it (ROOT becomes /).
  -U       name devices by file system UUID (the default)
  -L       name devices by file system label
  -t TAG   name devices by TAG: UUID, LABEL, PARTUUID or PARTLABEL
  -h       this help
Append the output to ROOT/etc/fstab:  recfstab /mnt >> /mnt/etc/fstab
EOF
}

die() {
	echo "recfstab: $*" >&2
	exit 1
}

tag=UUID
while getopts ULt:h opt; do
	case $opt in
	U) tag=UUID ;;
	L) tag=LABEL ;;
	t) tag=$OPTARG ;;
	h)
		usage
		exit 0
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || {
	usage >&2
	exit 2
}
case $tag in
UUID | LABEL | PARTUUID | PARTLABEL) ;;
*) die "unknown tag '$tag': use UUID, LABEL, PARTUUID or PARTLABEL" ;;
esac
[ -d "$1" ] || die "$1 is not a directory"
root=$(cd "$1" && pwd -P)
command -v blkid >/dev/null 2>&1 || die "blkid is missing: install util-linux (its blkid, not busybox's)"

# mountinfo escapes space, tab, newline and backslash as \040, \011, \012 and \134; fstab
# takes the same escapes, so mount points are printed as the kernel wrote them.
unescape() {
	printf '%b' "$(printf '%s' "$1" | sed 's/\\\([0-7][0-7][0-7]\)/\\0\1/g')"
}

# One property of a device, from blkid's export format; empty when it has none.
device_tag() {
	blkid -o export "$2" 2>/dev/null | sed -n "s/^$1=//p" | head -n 1
}

# Mount options worth keeping: the per-mount and the per-superblock ones, without duplicates
# and without what the kernel adds on its own.
options_of() {
	printf '%s,%s\n' "$1" "$2" | tr ',' '\n' | awk '
		$0 == "" || $0 == "seclabel" || $0 ~ /^errors=continue$/ { next }
		$0 == "ro" || $0 == "rw" { if (mode == "") mode = $0; next }
		!seen[$0]++ { opts = opts "," $0 }
		END { print (mode == "" ? "rw" : mode) opts }'
}

# fsck pass: 1 for /, 2 for file systems whose fsck checks something, 0 otherwise.
pass_of() {
	if [ "$1" = / ]; then
		case $2 in
		xfs | btrfs) echo 0 ;;
		*) echo 1 ;;
		esac
	else
		case $2 in
		ext2 | ext3 | ext4 | vfat | exfat) echo 2 ;;
		*) echo 0 ;;
		esac
	fi
}

found=0
# Fields: id parent major:minor root mountpoint options [optional...] - fstype source superopts
while read -r line; do
	set -f
	# shellcheck disable=SC2086
	set -- $line
	set +f
	escaped_point=$5
	mount_options=$6
	shift 6
	while [ $# -gt 0 ] && [ "$1" != - ]; do shift; done
	[ $# -ge 4 ] || continue
	fstype=$2
	source=$3
	super_options=$4
	point=$(unescape "$escaped_point")
	case $point in
	"$root") relative=/ ;;
	"$root"/*) relative=${point#"$root"} ;;
	*) continue ;;
	esac
	case $source in
	/dev/*) ;;
	*) continue ;;
	esac
	[ -b "$source" ] || continue
	escaped_relative=$relative
	[ "$relative" = / ] || escaped_relative=${escaped_point#"$(printf '%s' "$root" | sed 's/ /\\040/g')"}
	value=$(device_tag "$tag" "$source")
	label=$(device_tag LABEL "$source")
	echo "# $source${label:+ LABEL=$label}"
	if [ -n "$value" ]; then
		spec="$tag=$value"
	else
		echo "# $source has no $tag; it is named by its device path"
		spec=$source
	fi
	printf '%s\t%s\t%s\t%s\t0 %s\n\n' "$spec" "$escaped_relative" "$fstype" \
		"$(options_of "$mount_options" "$super_options")" "$(pass_of "$relative" "$fstype")"
	found=$((found + 1))
done </proc/self/mountinfo

[ "$found" -gt 0 ] || die "nothing is mounted at $root or below it: mount the target's file systems first"
