#!/usr/bin/env python3
"""Schemathesis over the official OpenAPI files against `vigie sim` (docs/testing.md).

Usage: run.py VIGIE_BINARY SHARED_API_DIR [SECONDS_PER_FILE]

Starts `vigie sim` on a free loopback port, reads the access token from its banner,
then runs `schemathesis run` over api-b2c.yaml (Bearer token) and api-b2b.yaml (HTTP
Basic), each for at most SECONDS_PER_FILE seconds (default 40), with the checks
not_a_server_error, status_code_conformance, content_type_conformance,
response_headers_conformance and response_schema_conformance, every call carrying the
client id (hooks.py), the operations not simulated left out. Exits 0 when both runs
pass, 1 when one fails, when the simulator dies, or when schemathesis is missing.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Everything but the five conformance checks (passing them with --checks would override
# the per-operation settings of schemathesis.toml).
EXCLUDED = ",".join([
    "negative_data_rejection", "positive_data_acceptance", "missing_required_header", "unsupported_method",
    "allow_header_conformance", "use_after_free", "ensure_resource_availability", "ignored_auth",
    "object_level_authorization",
])


def fail(message):
    print(f"run.py: {message}", file=sys.stderr)
    sys.exit(1)


def start_sim(vigie):
    sim = subprocess.Popen(
        [vigie, "sim", "--port", "0", "--vehicles", "3", "--rate-burst", "1000000", "--rate-day", "100000000"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    banner = {}
    deadline = time.monotonic() + 60
    while "access" not in banner or "base" not in banner:
        line = sim.stdout.readline()
        if not line:
            fail(f"vigie sim exited before printing its banner (status {sim.wait()})")
        if time.monotonic() > deadline:
            sim.kill()
            fail("vigie sim printed no banner within 60 s")
        if m := re.match(r"B2C base URL:\s+(http://127\.0\.0\.1:\d+)/connectedcar/v4", line):
            banner["base"] = m.group(1)
        if m := re.match(r"access_token:\s+(\S+)", line):
            banner["access"] = m.group(1)
    return sim, banner


# The documented operations the simulator does not simulate answer 501 (SimSpecCoverageTests
# checks them, body and headers); they are left out here, where any 5xx is a failure.
NOT_SIMULATED = {
    "api-b2c.yaml": r"/trips|/telemetry|/collisions|/alerts/\{aid\}",
    "api-b2b.yaml": r"/trips|/telemetry|/collisions|/stolen|/alerts/\{aid\}|^/vehicles/\{vin\}$",
}


def schemathesis(spec, url, auth_args, seconds):
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", os.path.join(HERE, "schemathesis.toml"),
               "run", spec, "--url", url, "--exclude-checks", EXCLUDED, "--phases", "examples,coverage,fuzzing",
               "--max-time", str(seconds), "--request-timeout", "10", "--workers", "1",
               "--suppress-health-check", "all", "--no-color",
               "--exclude-path-regex", NOT_SIMULATED[os.path.basename(spec)]] + auth_args
    print("$ " + " ".join(a if not a.startswith(("Authorization", "vigie-sim-client:")) else "[auth]" for a in command),
          flush=True)
    env = dict(os.environ, SCHEMATHESIS_HOOKS="hooks", PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # Schemathesis and Hypothesis keep state folders in the working directory: a scratch one.
    with tempfile.TemporaryDirectory(prefix="vigie-schemathesis-") as scratch:
        return subprocess.run(command, stdin=subprocess.DEVNULL, env=env, cwd=scratch).returncode


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    vigie, api = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    probe = subprocess.run([sys.executable, "-m", "schemathesis.cli", "--version"], capture_output=True, text=True)
    if probe.returncode != 0:
        fail("schemathesis is not installed for " + sys.executable +
             " (python3 -m pip install schemathesis; .ci/run does it)\n" + probe.stderr)
    print(probe.stdout.strip(), flush=True)
    sim, banner = start_sim(vigie)
    try:
        results = {
            "api-b2c.yaml": schemathesis(os.path.join(api, "api-b2c.yaml"), banner["base"] + "/connectedcar/v4",
                                         ["--header", "Authorization: Bearer " + banner["access"]], seconds),
            "api-b2b.yaml": schemathesis(os.path.join(api, "api-b2b.yaml"), banner["base"] + "/connectedcar/v3",
                                         ["--auth", "vigie-sim-client:vigie-sim-secret"], seconds),
        }
        alive = sim.poll() is None
    finally:
        sim.terminate()
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
    for name, code in results.items():
        print(f"run.py: {name}: {'passed' if code == 0 else f'FAILED (schemathesis exit {code})'}")
    if not alive:
        fail("vigie sim died during the run")
    sys.exit(0 if all(code == 0 for code in results.values()) else 1)


if __name__ == "__main__":
    main()
