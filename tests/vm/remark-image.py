#!/usr/bin/env python3
# remark-image.py IN OUT MIN MAX - a copy of relief kernel image IN whose
# relief marker (the "RLIF" kernel_info chunk, proto/relief_image.h) names
# protocol versions MIN-MAX, with the bzImage's CRC32 stamped again: a
# whole relief kernel that speaks another protocol, for the bad-images
# scenario (refused as too old or too new, by reliefctl and the kernel).
import struct
import sys
import zlib


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: remark-image.py IN OUT MIN MAX")
    img = bytearray(open(sys.argv[1], "rb").read())
    lo, hi = int(sys.argv[3]), int(sys.argv[4])
    sects = img[0x1f1] or 4
    setup = (sects + 1) * 512
    end = setup + struct.unpack_from("<I", img, 0x1f4)[0] * 16
    ki = setup + struct.unpack_from("<I", img, 0x268)[0]
    if img[ki:ki + 4] != b"LToP" or end != len(img):
        sys.exit(f"remark-image.py: {sys.argv[1]}: not an unsigned bzImage "
                 "with kernel_info")
    fixed, total = struct.unpack_from("<II", img, ki + 4)
    at = ki + fixed
    while at + 8 <= ki + total:
        magic, size = img[at:at + 4], struct.unpack_from("<I", img, at + 4)[0]
        if magic == b"RLIF":
            struct.pack_into("<HH", img, at + 12, lo, hi)
            crc = zlib.crc32(bytes(img[:end - 4])) ^ 0xffffffff
            struct.pack_into("<I", img, end - 4, crc)
            open(sys.argv[2], "wb").write(img)
            return
        if size < 8:
            break
        at += size
    sys.exit(f"remark-image.py: {sys.argv[1]}: no relief marker")


main()
