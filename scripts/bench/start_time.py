#!/usr/bin/env python3
"""Times one cold start: from exec until the app prints `keyport: painted`
(its page's first paint, reported two animation frames after it rendered),
then ends the app. Prints the milliseconds, or fails after the timeout.

    start_time.py TIMEOUT_SECONDS -- COMMAND [ARGS...]
"""
import os
import selectors
import signal
import subprocess
import sys
import time


def main() -> int:
    timeout = float(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1 :]
    env = dict(os.environ, KEYPORT_REPORT_PAINT="1")
    start = time.monotonic()
    app = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    selector = selectors.DefaultSelector()
    selector.register(app.stdout, selectors.EVENT_READ)
    buffered = b""
    elapsed = None
    while elapsed is None and time.monotonic() - start < timeout:
        if not selector.select(timeout=0.05):
            if app.poll() is not None:
                break
            continue
        chunk = os.read(app.stdout.fileno(), 4096)
        if not chunk:
            break
        buffered += chunk
        if b"keyport: painted" in buffered:
            elapsed = (time.monotonic() - start) * 1000
    os.killpg(app.pid, signal.SIGKILL)
    app.wait()
    if elapsed is None:
        print(f"no first paint within {timeout} s: {' '.join(command)}", file=sys.stderr)
        return 1
    print(f"{elapsed:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
