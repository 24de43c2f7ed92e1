#!/usr/bin/env python3
"""Validates JUnit XML files against Tests/tools/junit/junit.xsd with xmlschema (PyPI).

Usage: validate.py REPORT.xml...   Exit 0 when every file is well-formed and valid, 1 when
one is not (the reasons on stderr), 2 when xmlschema is missing (.ci/run installs it).
"""
import os
import sys

try:
    import xmlschema
except ImportError:
    print("validate.py: xmlschema is not installed (python3 -m pip install xmlschema; .ci/run does it)",
          file=sys.stderr)
    sys.exit(2)

schema = xmlschema.XMLSchema(os.path.join(os.path.dirname(os.path.abspath(__file__)), "junit.xsd"))
status = 0
for path in sys.argv[1:]:
    try:
        errors = list(schema.iter_errors(path))
    except Exception as e:  # not well-formed
        print(f"{path}: {e}", file=sys.stderr)
        status = 1
        continue
    for e in errors:
        print(f"{path}: {e.reason} at {e.path}", file=sys.stderr)
        status = 1
    if not errors:
        print(f"{path}: valid")
sys.exit(status)
