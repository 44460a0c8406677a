"""tests/image/resp.py - the few words of redis's protocol (RESP) the
host's redis clients speak: a command out, a reply in. Shared by
tests/image/redis-client.py and tests/bench/downtime-server-clients.py.
"""


def reply(f):
    """One reply from the file f: bytes (a bulk string, None for nil), an
    int, or a status's text; anything else (an error reply too) raises
    ConnectionError, as a broken connection does."""
    line = f.readline()
    if not line:
        raise ConnectionError("the server closed the connection")
    if line.startswith(b"$"):
        n = int(line[1:])
        return f.read(n + 2)[:-2] if n >= 0 else None
    if line.startswith(b":"):
        return int(line[1:])
    if line.startswith(b"+"):
        return line[1:].strip()
    raise ConnectionError("reply %r" % line[:80])


def command(s, f, *args):
    """Send the command args (bytes) on the socket s; its reply from f."""
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    s.sendall(out)
    return reply(f)
