#!/usr/bin/env python3
"""Crash harness for `vigie serve` (issue 7, item 2; docs/crash-testing.md).

Runs `vigie sim --ledger` and `vigie serve --config` as processes, applies a small
bundle that keeps notifications and remote commands flowing, kills serve with SIGKILL
at seeded random moments (restarting it each time), then checks against the
simulator's own ledger:
  * every notification the simulator got a 200 for is in the inbox;
  * PRAGMA integrity_check is ok;
  * no (vehicle, rule, instant) was decided twice, and no notification made two
    decisions of one rule (the `firing` table); decisions were recorded before the
    last kill (the kills interrupted deciding);
  * no remote command was POSTed twice for one action (per vehicle and body, the
    simulator never saw more remotes than the database holds sendable actions), and
    every remote the simulator saw is recorded against an action.
With `--api b2b` the same runs against the simulator's fleet API (`api.kind: b2b`,
fleet monitors, `MonitorEvents` / `RemoteEvents` notifications), and also checks that
no fleet notification was set aside as a dead letter, that every vehicle of the fleet
fired the `seen` rule, and that fleet remotes went Pending -> Done.
Two modes, each with its own simulator, database and seeded kill moments (issue 15):
`no-window` runs serve with `engine.reorder_window: 0`; `beyond-window` with a 2 s
window (`--window`) and kill gaps longer than it, so decisions are committed between
kills. `--mode both` (default) runs one then the other.
Prints the kills survived and the notifications checked; exit 0 when every check
holds, 1 when one fails, 2 when the harness itself could not run.

    scripts/crash-test.py --kills 50 --vehicles 20 --seed 7 [--api b2b] [--mode no-window|beyond-window|both]
    scripts/crash-test.py --check-decisions vigie.sqlite
"""
import argparse, datetime, json, os, random, re, signal, socket, sqlite3, subprocess, sys, tempfile, time
import urllib.request

BUNDLE = """vigie: 1
bundle: crash-test
description: Keeps notifications and commands flowing for the crash harness.
timezone: Europe/Paris
vehicles: all
rules:
  - id: heartbeat
    description: Every car always matches, so its monitor refreshes every minute
    when: odometer > 0 km
    for: 1m
    then:
      - notify: "{{vin}} heartbeat"
  - id: lights-on-departure
    when: moving
    then:
      - lights: on
  - id: horn-on-arrival
    when: not moving
    then:
      - horn: on
  - id: tick
    description: Fires every second per car on timers (repeat instants), decisions a restart must not make twice
    when: odometer > 0 km
    repeat: 1s
    then:
      - notify: "{{vin}} tick"
  - id: flash
    description: Lights on every 3 seconds per car (one command at a time), so commands are sent between kills
    when: odometer > 0 km
    repeat: 3s
    then:
      - lights: on
  - id: odometer-changed
    description: Fires at every notification that moves the odometer, so decisions are made all the time
    when: changed(odometer)
    then:
      - notify: "{{vin}} odometer"
"""


# B2B: one more rule that fires for every vehicle of the fleet at its first notification.
SEEN_RULE = """  - id: seen
    description: Fires once per vehicle, at its first notification (B2B checks)
    when: odometer > 0 km
    then:
      - notify: "{{vin}} seen"
"""


def log(text):
    print(text, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def wait_for(predicate, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for " + what)


def canonical(value):
    """Canonical JSON, numbers as floats, so the sender's and the receiver's spellings compare."""
    def norm(v):
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        if isinstance(v, (int, float)):
            return float(v)
        if isinstance(v, list):
            return [norm(x) for x in v]
        return {k: norm(x) for k, x in v.items()}
    return json.dumps(norm(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def next_weekday_morning():
    """06:50 Paris (05:50 UTC in winter) on a weekday at least a day ahead: the simulated
    time stays ahead of serve's real clock, so no observation is ever stale."""
    day = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=2)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day.isoformat() + "T05:50:00Z"


class ServeDied(RuntimeError):
    """`vigie serve` exited by itself (a crash or a start-up error): a failure of serve,
    not of the harness."""
    def __init__(self, code, log_path):
        self.code = code
        first = ""
        try:
            with open(log_path, errors="replace") as f:
                lines = [l.strip() for l in f if "Fatal error" in l or l.startswith("error:")]
            first = lines[-1] if lines else ""
        except OSError:
            pass
        how = "killed by signal %d" % -code if code is not None and code < 0 else "exit %s" % code
        super().__init__("vigie serve died by itself (%s)%s; see %s" % (how, ": " + first if first else "", log_path))


class Harness:
    def __init__(self, args, mode, window, work):
        self.args = args
        self.mode = mode
        self.vigie = args.vigie
        self.work = work
        os.makedirs(self.work, exist_ok=True)
        self.rng = random.Random("%d/%s" % (args.seed, mode))
        self.sim = None
        self.serve = None
        self.serve_port = free_port()
        # The admin listener (/healthz, /metrics) on a free port too: its default, 9464,
        # would collide with any other serve on the machine.
        self.admin_port = free_port()
        self.db = os.path.join(self.work, "vigie.sqlite")
        # The reorder window of this run's serve (seconds); kill gaps are this plus
        # uniform(--min-gap, --max-gap), so with a window the engine decides between kills.
        self.window = window
        self.last_kill = None
        self.kills = 0

    def start_sim(self):
        out = open(os.path.join(self.work, "sim.out"), "w+")
        cmd = [self.vigie, "sim", "--port", "0", "--ledger", "--vehicles", str(self.args.vehicles),
               "--seed", str(self.args.seed), "--speed", str(self.args.speed), "--start", next_weekday_morning(),
               "--rate-burst", "10000"]
        self.sim = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        banner = {}
        def ready():
            out.seek(0)
            text = out.read()
            for key in ["B2C base URL", "B2B base URL", "client_id", "client_secret", "access_token", "refresh_token"]:
                m = re.search(r"^" + key + r":\s+(\S+)", text, re.M)
                if m:
                    banner[key] = m.group(1)
            # "(fleet fleet-1, Basic …)" or "(fleet fleet-1: all 4 vehicles, Basic …)"
            m = re.search(r"^B2B base URL:.*\(fleet ([^,:\s]+)", text, re.M)
            if m:
                banner["fleet"] = m.group(1)
            return len(banner) == 7
        wait_for(ready, "the simulator's banner")
        self.b2c = banner["B2C base URL"]
        self.sim_base = self.b2c.rsplit("/connectedcar", 1)[0]
        return banner

    def write_config(self, banner):
        w = self.work
        with open(os.path.join(w, "crash-test.yaml"), "w") as f:
            f.write(BUNDLE + (SEEN_RULE if self.args.api == "b2b" else ""))
        with open(os.path.join(w, "client-secret"), "w") as f:
            f.write(banner["client_secret"] + "\n")
        with open(os.path.join(w, "webhook-secret"), "w") as f:
            f.write("crash" + "%032x" % self.rng.getrandbits(128) + "\n")
        expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with open(os.path.join(w, "tokens.json"), "w") as f:
            json.dump({"accessToken": banner["access_token"], "refreshToken": banner["refresh_token"],
                       "expiresAt": expires}, f)
        os.chmod(os.path.join(w, "tokens.json"), 0o600)
        inventory = get_json(self.sim_base + "/sim/v1/vehicles")["vehicles"][: self.args.vehicles]
        vehicles = "".join("  - { vin: %s, id: %s }\n" % (v["vin"], v["id"]) for v in inventory)
        if self.args.api == "b2b":
            # A fleet: HTTP Basic, every vehicle of the fleet (ids found by listing it).
            api = f"""api:
  kind: b2b
  base_url: {banner['B2B base URL']}
  client_id: {banner['client_id']}
  client_secret: {{ file: client-secret }}
  fleet_id: {banner['fleet']}
"""
            vehicles = ""
        else:
            api = f"""api:
  kind: b2c
  base_url: {self.b2c}
  client_id: {banner['client_id']}
  client_secret: {{ file: client-secret }}
  realm: clientsB2CPeugot/OTPPeugeot
  token_url: {self.sim_base}/oauth2/access_token
  token_store: tokens.json
"""
            vehicles = "vehicles:\n" + vehicles
        config = api + f"""callback:
  public_url: http://127.0.0.1:{self.serve_port}
  webhook_secret: {{ file: webhook-secret }}
  label: vigie-crash
listen: {{ host: 127.0.0.1, port: {self.serve_port} }}
admin: {{ listen: "127.0.0.1:{self.admin_port}" }}
database: vigie.sqlite
rules: [crash-test.yaml]
{vehicles}budgets: {{ commands_per_day: 100000, wake_ups_per_day: 100000 }}
stale_after: 7d
remote_timeout: 2m
safety: {{ flap_max_rises: 100000, loop_max_firings: 100000 }}
engine: {{ reorder_window: {self.window:g}s }}
log_level: warning
"""
        self.config = os.path.join(w, "vigie.yaml")
        with open(self.config, "w") as f:
            f.write(config)

    def run_checked(self, *cmd):
        r = subprocess.run([self.vigie, *cmd], cwd=self.work, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("vigie %s exited %d:\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
        return r.stdout

    def start_serve(self):
        err = open(os.path.join(self.work, "serve.log"), "a")
        self.serve = subprocess.Popen([self.vigie, "serve", "--config", self.config], cwd=self.work,
                                      stdout=err, stderr=subprocess.STDOUT)
        url = "http://127.0.0.1:%d/healthz" % self.admin_port
        def up():
            if self.serve.poll() is not None:
                raise ServeDied(self.serve.returncode, os.path.join(self.work, "serve.log"))
            if get_json(url, timeout=1).get("status") != "ok":
                return False
            # The webhook listener accepts connections (the simulator posts there).
            with socket.create_connection(("127.0.0.1", self.serve_port), timeout=1):
                return True
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if up():
                    return
            except RuntimeError:
                raise
            except Exception:
                pass
            time.sleep(0.05)
        raise RuntimeError("vigie serve did not answer /healthz")

    def kill_serve(self):
        self.serve.send_signal(signal.SIGKILL)
        self.serve.wait()

    def stop_all(self):
        for p in [self.serve, self.sim]:
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()

    def run(self):
        banner = self.start_sim()
        self.write_config(banner)
        self.run_checked("apply", "--config", self.config, "--auto-approve")
        self.start_serve()
        kills = 0
        for _ in range(self.args.kills):
            time.sleep(self.window + self.rng.uniform(self.args.min_gap, self.args.max_gap))
            self.kill_serve()
            kills += 1
            self.kills = kills
            self.last_kill = time.time()
            self.start_serve()
        time.sleep(self.args.settle)
        # Graceful stop: the simulator's retries (every 10 simulated seconds) have been
        # answered by now; then freeze both sides.
        self.serve.send_signal(signal.SIGTERM)
        self.serve.wait(timeout=30)
        self.serve = None
        return kills

    def inbox_key(self, message):
        """A stored notification, compared with what the simulator sent: in B2B each event
        of a fleet body is stored as a Message around it (docs/webhook.md), the envelope's
        monitorId added to a monitor event."""
        if self.args.api != "b2b":
            return canonical(message)
        event = dict(message.get("monitorEvent") or message.get("remoteEvent") or {})
        event.pop("monitorId", None)
        return canonical(event)

    def ledger_key(self, message):
        if self.args.api != "b2b":
            return canonical(message)
        event = dict(message)
        event.pop("monitorId", None)
        return canonical(event)

    def fleet_problems(self, con, ledger):
        """B2B: nothing set aside, every notified vehicle fired `seen`, remotes Pending -> Done."""
        problems = []
        dead = con.execute("SELECT COUNT(*), MIN(error) FROM deadLetter").fetchone()
        if dead[0]:
            problems.append("%d fleet notifications set aside as dead letters, e.g. %s" % (dead[0], dead[1]))
        notified = {m["vin"] for d in ledger for m in d["messages"] if "values" in m and m.get("vin")}
        seen = {vin for (vin,) in con.execute("SELECT DISTINCT vin FROM firing WHERE rule = 'seen' AND event = 'fired'")}
        if not notified:
            problems.append("no fleet monitor event was delivered")
        if notified - seen:
            problems.append("vehicles notified without a `seen` firing: %s" % ", ".join(sorted(notified - seen)))
        done = con.execute("""SELECT COUNT(DISTINCT a.id) FROM action a
            WHERE a.status IN ('succeeded', 'alreadyDone', 'failed')
              AND EXISTS (SELECT 1 FROM remoteEvent p WHERE p.remoteActionId = a.remoteActionId AND p.type = 'Pending')
              AND EXISTS (SELECT 1 FROM remoteEvent d WHERE d.remoteActionId = a.remoteActionId AND d.type = 'Done')
            """).fetchone()[0]
        if done == 0:
            problems.append("no fleet remote went Pending -> Done")
        log("fleet checked: %d vehicles notified, %d fired `seen`, %d remotes Pending -> Done, %d dead letters"
            % (len(notified), len(notified & seen), done, dead[0]))
        return problems

    def decision_problems(self, con):
        """No (vehicle, rule, instant, cause) decided twice — the cause is the notification
        (inbox row) observed, or none for timers and polls; and no notification made two
        decisions of one rule. Several notifications observed at one instant (dated ahead
        of serve's clock, they are observed when read) may each make a decision of an
        event rule (`changed`): SEMANTICS.md observes them one after another. The
        decisions recorded before the last kill are counted (those a restart could have
        made again)."""
        problems = []
        twice = con.execute("""SELECT vin, bundle, rule, at, COUNT(*), GROUP_CONCAT(id), GROUP_CONCAT(event),
                GROUP_CONCAT(IFNULL(inboxId, '-')), GROUP_CONCAT(recordedAt, ' | ')
            FROM firing GROUP BY vin, bundle, rule, at, IFNULL(inboxId, -1) HAVING COUNT(*) > 1
            ORDER BY MIN(id)""").fetchall()
        for vin, bundle, rule, at, count, ids, events, inbox, recorded in twice[:10]:
            problems.append("vehicle %s: %s/%s decided %d times at %s (firing ids %s, %s, inbox rows %s, recorded %s)"
                            % (vin, bundle, rule, count, at, ids, events, inbox, recorded))
        if len(twice) > 10:
            problems.append("... and %d more (vehicle, rule, instant) decided twice" % (len(twice) - 10))
        again = con.execute("""SELECT vin, bundle, rule, inboxId, COUNT(*), GROUP_CONCAT(id), GROUP_CONCAT(at, ' | ')
            FROM firing WHERE inboxId IS NOT NULL GROUP BY vin, bundle, rule, inboxId HAVING COUNT(*) > 1
            ORDER BY MIN(id)""").fetchall()
        for vin, bundle, rule, inbox, count, ids, ats in again[:10]:
            problems.append("vehicle %s: inbox row %d made %d decisions of %s/%s (firing ids %s at %s)"
                            % (vin, inbox, count, bundle, rule, ids, ats))
        if len(again) > 10:
            problems.append("... and %d more notifications that made a rule's decision twice" % (len(again) - 10))
        total, fired, timers = con.execute("""SELECT COUNT(*), IFNULL(SUM(event = 'fired'), 0),
            IFNULL(SUM(inboxId IS NULL), 0) FROM firing""").fetchone()
        before = 0
        if self.last_kill is not None:
            cut = datetime.datetime.fromtimestamp(self.last_kill, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
            before = con.execute("SELECT COUNT(*) FROM firing WHERE recordedAt < ?", (cut,)).fetchone()[0]
        log("decisions checked: %d (%d fired, %d without a notification: timers, polls), %d recorded before the last kill, %d decided twice"
            % (total, fired, timers, before, len(twice) + len(again)))
        if self.last_kill is not None and before == 0:
            problems.append("no decision was recorded before the last kill: the kills never interrupted deciding")
        return problems

    def check(self, kills):
        ledger = get_json(self.sim_base + "/sim/v1/ledger/notifications", timeout=60)["deliveries"]
        remotes = get_json(self.sim_base + "/sim/v1/ledger/remotes", timeout=60)["remotes"]
        con = sqlite3.connect(self.db)
        problems = []
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append("integrity_check: " + integrity)
        inbox = set()
        for (body,) in con.execute("SELECT body FROM inbox"):
            inbox.add(self.inbox_key(json.loads(body)))
        acknowledged = [m for d in ledger if d["status"] is not None and 200 <= d["status"] < 300 for m in d["messages"]]
        missing = [m for m in acknowledged if self.ledger_key(m) not in inbox]
        if missing:
            problems.append("%d notifications answered 200 are not in the inbox, e.g. %s" % (len(missing), json.dumps(missing[0])[:300]))
        # Remotes: per vehicle and body, the simulator may not have seen more than the
        # database's actions that were (or may have been) sent.
        sent = {}
        for r in remotes:
            key = (r["vin"], canonical(r["body"]))
            sent[key] = sent.get(key, 0) + 1
        actions = {}
        recorded_ids = set()
        for vin, payload, status, rid in con.execute("SELECT vin, payload, status, remoteActionId FROM action WHERE kind = 'remote'"):
            if status not in ("queued", "skipped", "notSent"):
                key = (vin, canonical(json.loads(payload)))
                actions[key] = actions.get(key, 0) + 1
            if rid:
                recorded_ids.add(rid)
        for (rid,) in con.execute("SELECT remoteActionId FROM actionAttempt WHERE remoteActionId IS NOT NULL"):
            recorded_ids.add(rid)
        for key, count in sorted(sent.items()):
            if count > actions.get(key, 0):
                problems.append("vehicle %s: %d remotes %s POSTed for %d actions (a command sent twice)"
                                % (key[0], count, key[1], actions.get(key, 0)))
        unrecorded = [r["remoteActionId"] for r in remotes if r["remoteActionId"] not in recorded_ids]
        if unrecorded:
            problems.append("%d remotes POSTed but recorded against no action: %s" % (len(unrecorded), ", ".join(unrecorded[:5])))
        if self.args.api == "b2b":
            problems += self.fleet_problems(con, ledger)
        problems += self.decision_problems(con)
        log("kills survived: %d" % kills)
        log("notifications checked: %d answered 200 (%d POSTs, %d without a 200), inbox %d rows"
            % (len(acknowledged), len(ledger), sum(1 for d in ledger if d["status"] != 200), len(inbox)))
        sent_before = 0
        if self.last_kill is not None:
            cut = datetime.datetime.fromtimestamp(self.last_kill, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
            sent_before = con.execute("SELECT COUNT(*) FROM action WHERE kind = 'remote' AND sentAt < ?", (cut,)).fetchone()[0]
        log("remotes checked: %d POSTed, %d remote actions in the database, %d sent before the last kill"
            % (len(remotes), sum(actions.values()), sent_before))
        log("integrity_check: %s" % integrity)
        for p in problems:
            log("FAIL: " + p)
        if not problems:
            log("mode %s passed" % self.mode)
        return 0 if not problems else 1


# The runs: a name, the reorder window (seconds, None: --window) and what it exercises.
MODES = {
    "no-window": "engine.reorder_window 0: every notification decided as soon as it is read",
    "beyond-window": "engine.reorder_window --window, kill gaps longer than it: decisions made between kills",
}


def run_mode(args, mode, work):
    window = 0 if mode == "no-window" else args.window
    h = Harness(args, mode, window, work)
    log("crash test (%s, %s): %d kills, seed %d, %d vehicles, speed x%g, reorder_window %gs, kill gaps %g-%g s, files in %s"
        % (args.api.upper(), mode, args.kills, args.seed, args.vehicles, args.speed, window,
           window + args.min_gap, window + args.max_gap, h.work))
    try:
        kills = h.run()
        code = h.check(kills)
    except ServeDied as e:
        log("FAIL: after %d kills, %s" % (h.kills, e))
        code = 1
    except Exception as e:
        log("error: %s" % e)
        code = 2
    finally:
        h.stop_all()
    return code


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--vigie", default=os.environ.get("VIGIE", ".build/debug/vigie"), help="the vigie binary")
    p.add_argument("--kills", type=int, default=20, help="SIGKILLs of serve per mode (default 20)")
    p.add_argument("--seed", type=int, default=1, help="seeds the kill moments and the simulated world")
    p.add_argument("--vehicles", type=int, default=10)
    p.add_argument("--speed", type=float, default=120, help="simulated seconds per real second")
    p.add_argument("--mode", choices=["both"] + list(MODES), default="both",
                   help="no-window (reorder_window 0), beyond-window (kill gaps beyond the window) or both (default)")
    p.add_argument("--window", type=float, default=2, help="the reorder window of the beyond-window mode, seconds (default 2)")
    p.add_argument("--min-gap", type=float, default=0.3, help="shortest real time between kills beyond the window, seconds")
    p.add_argument("--max-gap", type=float, default=2.5, help="longest real time between kills beyond the window, seconds")
    p.add_argument("--settle", type=float, default=3, help="seconds after the last restart before checking")
    p.add_argument("--workdir", help="keep files here, one folder per mode (default: a new temporary folder)")
    p.add_argument("--api", choices=["b2c", "b2b"], default="b2c",
                   help="the API kind: an end-user account (b2c, default) or a fleet (b2b)")
    p.add_argument("--check-decisions", metavar="DB",
                   help="only check an existing outcome database for decisions made twice (exit 0 or 1), then stop")
    args = p.parse_args()
    if args.check_decisions:
        if not os.path.isfile(args.check_decisions):
            log("error: %s: no such database" % args.check_decisions)
            sys.exit(2)
        h = Harness(args, "check", 0, tempfile.mkdtemp(prefix="vigie-crash-check-"))
        problems = h.decision_problems(sqlite3.connect(args.check_decisions))
        for problem in problems:
            log("FAIL: " + problem)
        sys.exit(1 if problems else 0)
    args.vigie = os.path.abspath(args.vigie)
    if args.window <= 0 or args.min_gap < 0 or args.max_gap < args.min_gap:
        p.error("--window must be positive and 0 <= --min-gap <= --max-gap")
    work = args.workdir or tempfile.mkdtemp(prefix="vigie-crash-")
    modes = list(MODES) if args.mode == "both" else [args.mode]
    codes = [run_mode(args, mode, os.path.join(work, mode)) for mode in modes]
    code = max(codes)
    if code == 0:
        log("crash test passed")
    sys.exit(code)


if __name__ == "__main__":
    main()
