#!/usr/bin/env bash
# Prints the number of an X display nobody uses (for Xvfb).
for n in $(seq 90 199); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then
        echo "$n"
        exit 0
    fi
done
echo "free-display: no free X display between :90 and :199" >&2
exit 1
