#!/usr/bin/env python3
"""Memory under random campaign ids (issue 17, finding 3), against a running server.

GETs /api/campaigns/<random id> with an API key, first a warm-up, then N requests, over one
keep-alive connection, and prints the server process's resident memory (VmRSS) before and after.

    darwin serve --urls http://127.0.0.1:5080 &   # with DarwinGrid__Web__ApiKeys__0__... set
    deploy/local/random-ids.py http://127.0.0.1:5080 KEY PID [N=100000] [WARMUP=10000]

Last line: random-ids: requests=N statuses={...} rss_before_mb=X rss_after_mb=Y delta_mb=D seconds=S
"""
import collections
import http.client
import sys
import time
import urllib.parse
import uuid


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for PID {pid}")


def run(connection, key, count, statuses):
    for _ in range(count):
        connection.request("GET", f"/api/campaigns/{uuid.uuid4().hex}", headers={"X-Api-Key": key})
        response = connection.getresponse()
        response.read()
        statuses[response.status] += 1


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    url, key, pid = urllib.parse.urlparse(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
    warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 10_000
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
    run(connection, key, warmup, collections.Counter())
    time.sleep(2)
    before = rss_mb(pid)
    statuses = collections.Counter()
    start = time.monotonic()
    step = max(count // 5, 1)
    for done in range(0, count, step):
        run(connection, key, min(step, count - done), statuses)
        print(f"  {done + min(step, count - done)} requests, rss {rss_mb(pid):.1f} MB", file=sys.stderr)
    seconds = time.monotonic() - start
    time.sleep(2)
    after = rss_mb(pid)
    print(f"random-ids: requests={count} statuses={dict(statuses)} rss_before_mb={before:.1f} "
          f"rss_after_mb={after:.1f} delta_mb={after - before:+.1f} seconds={seconds:.0f}")


if __name__ == "__main__":
    main()
