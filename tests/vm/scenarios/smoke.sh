# smoke: kernel A boots under TCG with 4 CPUs and shows relief.
# Expects EXPECT_RELEASE and EXPECT_CPUS from the harness.
check "uname -r is $EXPECT_RELEASE" [ "$(uname -r)" = "$EXPECT_RELEASE" ]
online=$(grep -c '^processor' /proc/cpuinfo)
check "$EXPECT_CPUS CPUs online (saw $online)" [ "$online" -eq "$EXPECT_CPUS" ]
check "/sys/kernel/relief/version present" test -r /sys/kernel/relief/version
echo "relief version: $(cat /sys/kernel/relief/version 2>/dev/null)"
check "reliefctl --version runs" reliefctl --version
check "reliefctl status sees relief" reliefctl status
# The harness's devices, when it was asked for them.
if [ -e /sys/block/vda ]; then
	mkdir -p /mnt/data
	check "the virtio-blk data disk mounts (ext4)" mount -t ext4 /dev/vda /mnt/data
	check "and takes a synced write" sh -c 'echo relief > /mnt/data/probe && sync && grep -q relief /mnt/data/probe'
	umount /mnt/data
fi
check "virtio-net is there (eth0)" test -e /sys/class/net/eth0
finish
