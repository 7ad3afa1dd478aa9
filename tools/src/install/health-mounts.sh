#!/bin/sh
# recupdate health check: the root is the slot the kernel was told to boot, and /var is the
# shared var partition, mounted.
slot=
for arg in $(cat /proc/cmdline); do
	case $arg in
	root=PARTLABEL=system-*) slot=${arg#root=PARTLABEL=} ;;
	esac
done
[ -n "$slot" ] || exit 0
root_device=$(awk '$2 == "/" { device = $1 } END { print device }' /proc/mounts)
root_label=$(blkid -o value -s LABEL "$root_device" 2>/dev/null || true)
if [ "$root_label" != "$slot" ]; then
	echo "health: / is $root_device (label '$root_label'), not $slot" >&2
	exit 1
fi
if ! awk '$2 == "/var" { found = 1 } END { exit !found }' /proc/mounts; then
	echo "health: /var is not mounted" >&2
	exit 1
fi
