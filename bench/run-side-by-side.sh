#!/bin/sh
# Runs the Java benchmark and the Python reference one after the other on the same device and prints the ratios.
# Usage (from the repository root, after ./mvnw -o -q -B -DskipTests package):
#   bench/run-side-by-side.sh [bench flags...]        e.g. --device cpu, --quick, --json, --threads 1
# PYTHON selects the interpreter (default /usr/bin/python3 where it exists, else python3).
set -eu
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c "import torch" 2>/dev/null; then
  echo "run-side-by-side: $PYTHON has no torch (on Debian: apt-get install -y python3-torch)" >&2
  exit 1
fi
exec java -jar target/facetoon.jar bench --with-python --python "$PYTHON" --python-script bench/reference.py "$@"
