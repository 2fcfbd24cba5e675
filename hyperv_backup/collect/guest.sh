#!/bin/sh
# Inventory of what a host backup of this Linux or FreeBSD guest depends on,
# for hyperv_backup.
#
# Prints one JSON document ("collector": "hyperv_backup.guest-linux/1"):
# the guest's operating system family, whether its Hyper-V VSS daemon
# (hv_vss_daemon, packaged as hypervvssd) is running, its file systems on
# block devices, and the types of its writable file systems outside /dev,
# which FreeBSD's VSS daemon needs to be UFS (docs/collector-formats.md,
# "Inside a Linux or FreeBSD guest"). It only reads; it changes nothing.
#
# The document names its VM with the values Hyper-V's data exchange
# integration service gives the guest (VirtualMachineId, VirtualMachineName,
# read from the key-value pool /var/lib/hyperv/.kvp_pool_3 that the KVP
# daemon keeps); `hyperv-backup collect` matches it to the VM by them. With
# data exchange disabled they are missing: pass the VM's name as the first
# argument instead.
#
# Rights: root, to read the key-value pool. POSIX sh, dd, tr, sed, ps and, on
# FreeBSD, mount.
#
#   sh guest.sh > "$(hostname)-guest.json"
#   sh guest.sh WEB01 > web01-guest.json
#
# For tests, HVB_KVP_POOL, HVB_MOUNTS and HVB_PROCESSES name files to read
# instead of the key-value pool, the mount list and the output of `ps`.

set -eu

pool=${HVB_KVP_POOL:-/var/lib/hyperv/.kvp_pool_3}

# The mounted file systems, one per line: source, mount point, type, options.
# Linux lists them in /proc/mounts; FreeBSD has none there and prints the same
# columns with `mount -p`.
mount_list() {
    if [ -n "${HVB_MOUNTS:-}" ]; then cat "$HVB_MOUNTS"
    elif [ -r /proc/mounts ]; then cat /proc/mounts
    else mount -p
    fi
}

# A JSON string of $1: backslashes and quotes escaped, control characters dropped.
json() {
    printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

# The value of key $1 in the key-value pool: records of a 512-byte key and a
# 2048-byte value, each padded with NUL bytes.
kvp() {
    [ -r "$pool" ] || return 0
    size=$(wc -c < "$pool")
    count=$((size / 2560))
    i=0
    while [ "$i" -lt "$count" ]; do
        key=$(dd if="$pool" bs=2560 skip="$i" count=1 2>/dev/null | dd bs=512 count=1 2>/dev/null | tr -d '\000')
        if [ "$key" = "$1" ]; then
            dd if="$pool" bs=2560 skip="$i" count=1 2>/dev/null | dd bs=512 skip=1 2>/dev/null | tr -d '\000'
            return 0
        fi
        i=$((i + 1))
    done
}

processes() {
    if [ -n "${HVB_PROCESSES:-}" ]; then cat "$HVB_PROCESSES"; else ps -e -o comm= 2>/dev/null || ps -ax -o comm=; fi
}

name=${1:-$(kvp VirtualMachineName)}
id=$(kvp VirtualMachineId)
family=$(uname -s)
if processes | sed 's,.*/,,' | grep -Eqx 'hv_vss_daemon|hypervvssd'; then
    daemon=true
else
    daemon=false
fi

printf '{\n  "collector": "hyperv_backup.guest-linux/1",\n'
printf '  "ComputerName": %s,\n' "$(json "$(uname -n)")"
if [ -n "$name" ]; then printf '  "VirtualMachineName": %s,\n' "$(json "$name")"; else printf '  "VirtualMachineName": null,\n'; fi
if [ -n "$id" ]; then printf '  "VirtualMachineId": %s,\n' "$(json "$id")"; else printf '  "VirtualMachineId": null,\n'; fi
printf '  "OsFamily": %s,\n' "$(json "$family")"
printf '  "VssDaemonRunning": %s,\n' "$daemon"
printf '  "FileSystems": ['
first=true
# Only file systems on a block device: the ones a backup copies.
while read -r source mount type _; do
    case "$source" in /dev/*) ;; *) continue ;; esac
    if [ "$first" = true ]; then first=false; printf '\n'; else printf ',\n'; fi
    printf '    {"Mount": %s, "Type": %s, "Source": %s}' "$(json "$mount")" "$(json "$type")" "$(json "$source")"
done <<EOF
$(mount_list)
EOF
if [ "$first" = true ]; then printf '],\n'; else printf '\n  ],\n'; fi
# The writable file systems outside /dev, each type once: the ones FreeBSD's
# daemon checks before a backup (read-only mounts and /dev are left out).
printf '  "WritableFileSystems": ['
seen=' '
while read -r _ mount type options _; do
    [ -n "$type" ] || continue
    case "$mount" in /dev|/dev/*) continue ;; esac
    case ",$options," in *,ro,*) continue ;; esac
    case "$seen" in *" $type "*) continue ;; esac
    if [ "$seen" = ' ' ]; then printf '%s' "$(json "$type")"; else printf ', %s' "$(json "$type")"; fi
    seen="$seen$type "
done <<EOF
$(mount_list)
EOF
printf ']\n}\n'
