#!/usr/bin/env python3
"""Writes roff man pages (section 1) for vigie and each of its subcommands.

Reads the command tree that swift-argument-parser prints with
`vigie --experimental-dump-help` (ToolInfo, serialization version 0) and writes
vigie.1, vigie-serve.1, vigie-bench-engine.1, ... into OUT_DIR. Used by
scripts/release.sh; the pages render with `man -l FILE` (tested by
Tests/VigieCLITests/ManPageTests.swift).

usage: manpages.py VIGIE_BINARY OUT_DIR VERSION DATE
"""
import json
import os
import subprocess
import sys


def esc(text):
    """Escapes text for roff: backslashes, and lines starting with . or '."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # Non-ASCII as groff's \[uXXXX] escapes: the pages render the same with or without preconv.
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    lines = []
    for line in text.split("\n"):
        if line.startswith(".") or line.startswith("'"):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def names(arg):
    out = []
    for n in arg.get("names") or []:
        prefix = {"long": "--", "short": "-", "longWithSingleDash": "-"}[n["kind"]]
        out.append(prefix + n["name"])
    return out


def synopsis_part(arg):
    value = arg.get("valueName") or "value"
    if arg["kind"] == "positional":
        part = "<%s>" % value
    else:
        preferred = arg.get("preferredName") or (arg.get("names") or [{"kind": "long", "name": value}])[0]
        prefix = {"long": "--", "short": "-", "longWithSingleDash": "-"}[preferred["kind"]]
        part = prefix + preferred["name"]
        if arg["kind"] == "option":
            part += " <%s>" % value
    if arg.get("isRepeating"):
        part += " ..."
    if arg.get("isOptional"):
        part = "[" + part + "]"
    return part


def page(command, path, version, date):
    full = " ".join(path)
    title = "-".join(path).upper()
    out = []
    out.append('.TH "%s" "1" "%s" "vigie %s" "Vigie Manual"' % (title, date, esc(version)))
    out.append(".nh")    # no hyphenation: option names and values stay whole
    out.append(".ad l")  # left-aligned
    out.append(".SH NAME")
    out.append("%s \\- %s" % (esc(full), esc(command.get("abstract") or "")))
    out.append(".SH SYNOPSIS")
    args = [a for a in command.get("arguments") or [] if a.get("shouldDisplay", True)]
    subs = [s for s in command.get("subcommands") or []
            if s.get("shouldDisplay", True) and s["commandName"] != "help"]
    synopsis = [synopsis_part(a) for a in args]
    if subs:
        synopsis.insert(0, "<subcommand>")
    out.append(".B %s" % esc(full))
    if synopsis:
        out.append(esc(" ".join(synopsis)))
    if command.get("discussion"):
        out.append(".SH DESCRIPTION")
        for paragraph in command["discussion"].split("\n\n"):
            out.append(".PP")
            out.append(esc(paragraph.strip()))
    if args:
        out.append(".SH OPTIONS")
        for a in args:
            label = ", ".join(names(a)) or "<%s>" % (a.get("valueName") or "value")
            if a["kind"] == "option":
                label += " <%s>" % (a.get("valueName") or "value")
            out.append(".TP")
            out.append(".B %s" % esc(label))
            text = a.get("abstract") or ""
            if a.get("defaultValue"):
                text += " (default: %s)" % a["defaultValue"]
            out.append(esc(text) if text else "\\&")
            if a.get("discussion"):
                out.append(esc(a["discussion"]))
    if subs:
        out.append(".SH SUBCOMMANDS")
        for s in subs:
            out.append(".TP")
            out.append(".B %s" % esc(s["commandName"]))
            out.append(esc(s.get("abstract") or ""))
            out.append("See \\fB%s\\fR(1)." % esc("-".join(path + [s["commandName"]])))
    out.append(".SH SEE ALSO")
    if len(path) > 1:
        out.append("\\fB%s\\fR(1), " % esc("-".join(path[:-1])))
    out.append("the documentation in docs/ of the Vigie source, docs/production.md for running it as a service.")
    return "\n".join(out) + "\n"


def walk(command, path, out_dir, version, date, written):
    name = "-".join(path) + ".1"
    with open(os.path.join(out_dir, name), "w") as f:
        f.write(page(command, path, version, date))
    written.append(name)
    for s in command.get("subcommands") or []:
        if s.get("shouldDisplay", True) and s["commandName"] != "help":
            walk(s, path + [s["commandName"]], out_dir, version, date, written)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.strip().splitlines()[-1])
    binary, out_dir, version, date = sys.argv[1:]
    dump = subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout
    tool = json.loads(dump)
    if tool.get("serializationVersion") != 0:
        sys.exit("manpages.py: unknown dump-help serialization version %r" % tool.get("serializationVersion"))
    os.makedirs(out_dir, exist_ok=True)
    written = []
    walk(tool["command"], [tool["command"]["commandName"]], out_dir, version, date, written)
    print("%d man pages in %s" % (len(written), out_dir))


if __name__ == "__main__":
    main()
