"""Shared pieces of Vigie's process harnesses (scripts/crash-test.py, scripts/cluster-test.py).

Both run `vigie sim --ledger` and `vigie serve` as processes and check what serve stored
against the simulator's own ledger. This module holds what they share:
  * small process helpers: `log`, `free_port`, `get_json`, `wait_for`, `ServeDied`;
  * the crash bundle (`BUNDLE`, `SEEN_RULE`) and `next_weekday_morning` (simulated time ahead
    of serve's clock);
  * `Simulator`: starts `vigie sim --ledger`, reads its banner, fetches its ledgers;
  * `ServeProcess`: one `vigie serve --config` with its ports and log, started until
    /healthz answers and the webhook port accepts, killed, stopped;
  * `serve_config`: a vigie.yaml against the simulator (B2C or B2B);
  * the ledger checks, on either store (`SQLiteReader`, `PostgresReader`: the same rows
    under SQLite's and PostgreSQL's column names): every notification answered 200 is in
    the inbox (`inbox_problems`), no remote was POSTed twice for one command and every
    remote is recorded (`remote_problems`), no decision was made twice
    (`decision_problems`).
"""
import datetime, json, os, re, signal, socket, subprocess, time
import urllib.parse, urllib.request

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


def utc_text(timestamp):
    """A Unix time as the stores write instants (`2026-12-07 05:50:00.123`), to compare as text."""
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:23]


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


def stop_process(process, timeout=20):
    """SIGTERM, then SIGKILL after `timeout` seconds; nothing when it already exited."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Simulator:
    """`vigie sim --ledger` on a free port: its banner (URLs, credentials, fleet) and ledgers."""

    KEYS = ["B2C base URL", "B2B base URL", "client_id", "client_secret", "access_token", "refresh_token"]

    def __init__(self, vigie, work, vehicles, seed, speed, start=None):
        self.vigie, self.work = vigie, work
        self.vehicles, self.seed, self.speed = vehicles, seed, speed
        # The simulated start (RFC 3339 UTC): by default `next_weekday_morning()`.
        self.start_at = start
        self.process = None
        self.banner = {}

    def start(self):
        out = open(os.path.join(self.work, "sim.out"), "w+")
        cmd = [self.vigie, "sim", "--port", "0", "--ledger", "--vehicles", str(self.vehicles),
               "--seed", str(self.seed), "--speed", str(self.speed), "--start", self.start_at or next_weekday_morning(),
               "--rate-burst", "10000"]
        self.process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        banner = {}
        def ready():
            if self.process.poll() is not None:
                raise RuntimeError("vigie sim exited %d; see %s" % (self.process.returncode, out.name))
            out.seek(0)
            text = out.read()
            for key in self.KEYS:
                m = re.search(r"^" + key + r":\s+(\S+)", text, re.M)
                if m:
                    banner[key] = m.group(1)
            # "(fleet fleet-1, Basic …)" or "(fleet fleet-1: all 4 vehicles, Basic …)"
            m = re.search(r"^B2B base URL:.*\(fleet ([^,:\s]+)", text, re.M)
            if m:
                banner["fleet"] = m.group(1)
            return len(banner) == 7
        wait_for(ready, "the simulator's banner")
        self.banner = banner
        self.b2c = banner["B2C base URL"]
        self.base = self.b2c.rsplit("/connectedcar", 1)[0]
        return banner

    def inventory(self, everything=False):
        """The simulator's vehicles: the first `vehicles` (the account's), or every one
        (`everything`: a B2B fleet also holds the foreign test vehicle)."""
        vehicles = get_json(self.base + "/sim/v1/vehicles")["vehicles"]
        return vehicles if everything else vehicles[: self.vehicles]

    def notifications(self):
        return get_json(self.base + "/sim/v1/ledger/notifications", timeout=60)["deliveries"]

    def remotes(self):
        return get_json(self.base + "/sim/v1/ledger/remotes", timeout=60)["remotes"]

    def stop(self):
        stop_process(self.process)


def write_secrets(work, banner, rng):
    """client-secret, webhook-secret and tokens.json (B2C's token store) in `work`."""
    with open(os.path.join(work, "client-secret"), "w") as f:
        f.write(banner["client_secret"] + "\n")
    with open(os.path.join(work, "webhook-secret"), "w") as f:
        f.write("crash" + "%032x" % rng.getrandbits(128) + "\n")
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(os.path.join(work, "tokens.json"), "w") as f:
        json.dump({"accessToken": banner["access_token"], "refreshToken": banner["refresh_token"],
                   "expiresAt": expires}, f)
    os.chmod(os.path.join(work, "tokens.json"), 0o600)


def serve_config(sim, api, public_url, listen_port, admin_port, window, rules="crash-test.yaml",
                 store="database: vigie.sqlite\n", extra=""):
    """A vigie.yaml against `sim`: the fleet (b2b, HTTP Basic, every vehicle of the fleet)
    or an end-user account (b2c, the inventory's vehicles listed), the webhook callback at
    `public_url`, listeners on loopback, budgets and guardrails out of the way."""
    banner = sim.banner
    if api == "b2b":
        head = f"""api:
  kind: b2b
  base_url: {banner['B2B base URL']}
  client_id: {banner['client_id']}
  client_secret: {{ file: client-secret }}
  fleet_id: {banner['fleet']}
"""
        vehicles = ""
    else:
        head = f"""api:
  kind: b2c
  base_url: {sim.b2c}
  client_id: {banner['client_id']}
  client_secret: {{ file: client-secret }}
  realm: clientsB2CPeugot/OTPPeugeot
  token_url: {sim.base}/oauth2/access_token
  token_store: tokens.json
"""
        vehicles = "vehicles:\n" + "".join("  - { vin: %s, id: %s }\n" % (v["vin"], v["id"]) for v in sim.inventory())
    return head + f"""callback:
  public_url: {public_url}
  webhook_secret: {{ file: webhook-secret }}
  label: vigie-crash
listen: {{ host: 127.0.0.1, port: {listen_port} }}
admin: {{ listen: "127.0.0.1:{admin_port}" }}
{store}rules: [{rules}]
{vehicles}budgets: {{ commands_per_day: 100000, wake_ups_per_day: 100000 }}
stale_after: 7d
remote_timeout: 2m
safety: {{ flap_max_rises: 100000, loop_max_firings: 100000 }}
engine: {{ reorder_window: {window:g}s }}
{extra}log_level: {os.environ.get("VIGIE_HARNESS_LOG_LEVEL", "warning")}
"""


class ServeProcess:
    """One `vigie serve --config CONFIG` run from `work`, its output appended to `log_name`;
    `start` returns once /healthz says ok and the webhook port accepts connections."""

    def __init__(self, vigie, work, config, serve_port, admin_port, log_name="serve.log", env=None):
        self.vigie, self.work, self.config = vigie, work, config
        self.serve_port, self.admin_port = serve_port, admin_port
        self.log_path = os.path.join(work, log_name)
        self.env = env
        self.process = None

    @property
    def pid(self):
        return self.process.pid if self.process is not None else None

    def running(self):
        return self.process is not None and self.process.poll() is None

    def start(self, timeout=60):
        err = open(self.log_path, "a")
        self.process = subprocess.Popen([self.vigie, "serve", "--config", self.config], cwd=self.work,
                                        stdout=err, stderr=subprocess.STDOUT, env=self.env)
        url = "http://127.0.0.1:%d/healthz" % self.admin_port
        def up():
            if self.process.poll() is not None:
                raise ServeDied(self.process.returncode, self.log_path)
            if get_json(url, timeout=1).get("status") != "ok":
                return False
            # The webhook listener accepts connections (the simulator posts there).
            with socket.create_connection(("127.0.0.1", self.serve_port), timeout=1):
                return True
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if up():
                    return
            except RuntimeError:
                raise
            except Exception:
                pass
            time.sleep(0.05)
        raise RuntimeError("vigie serve did not answer /healthz (%s)" % self.log_path)

    def signal(self, sig):
        self.process.send_signal(sig)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout=30):
        """Graceful: SIGTERM, and wait for the exit (an error when it does not come)."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)

    def stop_quietly(self):
        stop_process(self.process)


def run_vigie(vigie, work, *cmd, timeout=300):
    """`vigie CMD…` in `work`; its output, or an error with what it printed."""
    r = subprocess.run([vigie, *cmd], cwd=work, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError("vigie %s exited %d:\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r.stdout


# MARK: - Stores

class Postgres:
    """psql against one database: queries return JSON (one json_agg per query)."""

    def __init__(self, url):
        self.url = url

    def run(self, sql):
        r = subprocess.run(["psql", self.url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError("psql: %s" % r.stderr.strip())
        return r.stdout.strip()

    def rows(self, sql):
        text = self.run("SELECT coalesce(json_agg(t), '[]'::json) FROM (%s) t" % sql)
        return json.loads(text)

    def value(self, sql):
        rows = self.rows(sql)
        return list(rows[0].values())[0] if rows else None

    def with_database(self, name):
        parts = urllib.parse.urlsplit(self.url)
        return Postgres(urllib.parse.urlunsplit(parts._replace(path="/" + name)))

    def with_user(self, user):
        parts = urllib.parse.urlsplit(self.url)
        host = parts.netloc.rsplit("@", 1)[-1]
        return Postgres(urllib.parse.urlunsplit(parts._replace(netloc=user + "@" + host)))


class SQLiteReader:
    """The rows the checks read, from an outcome database file (camelCase columns)."""

    def __init__(self, con):
        self.con = con

    def inbox_bodies(self):
        return [body for (body,) in self.con.execute("SELECT body FROM inbox")]

    def remote_actions(self):
        """(vin, payload, status, remote action id) of every remote action."""
        return self.con.execute("SELECT vin, payload, status, remoteActionId FROM action WHERE kind = 'remote'").fetchall()

    def attempt_remote_ids(self):
        return [rid for (rid,) in self.con.execute("SELECT remoteActionId FROM actionAttempt WHERE remoteActionId IS NOT NULL")]

    def decided_twice(self):
        return self.con.execute("""SELECT vin, bundle, rule, at, COUNT(*), GROUP_CONCAT(id), GROUP_CONCAT(event),
                GROUP_CONCAT(IFNULL(inboxId, '-')), GROUP_CONCAT(recordedAt, ' | ')
            FROM firing GROUP BY vin, bundle, rule, at, IFNULL(inboxId, -1) HAVING COUNT(*) > 1
            ORDER BY MIN(id)""").fetchall()

    def inbox_decided_twice(self):
        return self.con.execute("""SELECT vin, bundle, rule, inboxId, COUNT(*), GROUP_CONCAT(id), GROUP_CONCAT(at, ' | ')
            FROM firing WHERE inboxId IS NOT NULL GROUP BY vin, bundle, rule, inboxId HAVING COUNT(*) > 1
            ORDER BY MIN(id)""").fetchall()

    def decision_counts(self):
        """(decisions, fired, without a notification)."""
        return self.con.execute("""SELECT COUNT(*), IFNULL(SUM(event = 'fired'), 0),
            IFNULL(SUM(inboxId IS NULL), 0) FROM firing""").fetchone()

    def decided_before(self, cut):
        return self.con.execute("SELECT COUNT(*) FROM firing WHERE recordedAt < ?", (cut,)).fetchone()[0]


class PostgresReader:
    """The same rows from the PostgreSQL store (snake_case columns), through `Postgres`."""

    def __init__(self, pg):
        self.pg = pg

    def inbox_bodies(self):
        return [r["body"] for r in self.pg.rows("SELECT body FROM inbox")]

    def remote_actions(self):
        return [(a["vin"], a["payload"], a["status"], a["remote_action_id"])
                for a in self.pg.rows("SELECT vin, payload, status, remote_action_id FROM action WHERE kind = 'remote'")]

    def attempt_remote_ids(self):
        return [a["rid"] for a in self.pg.rows(
            "SELECT remote_action_id AS rid FROM action_attempt WHERE remote_action_id IS NOT NULL")]

    def decided_twice(self):
        rows = self.pg.rows("""SELECT vin, bundle, rule, at, count(*) AS n, string_agg(id::text, ',' ORDER BY id) AS ids,
                string_agg(event, ',' ORDER BY id) AS events, string_agg(coalesce(inbox_id::text, '-'), ',' ORDER BY id) AS inbox,
                string_agg(recorded_at::text, ' | ' ORDER BY id) AS recorded
            FROM firing GROUP BY vin, bundle, rule, at, coalesce(inbox_id, -1) HAVING count(*) > 1 ORDER BY min(id)""")
        return [(r["vin"], r["bundle"], r["rule"], r["at"], r["n"], r["ids"], r["events"], r["inbox"], r["recorded"])
                for r in rows]

    def inbox_decided_twice(self):
        rows = self.pg.rows("""SELECT vin, bundle, rule, inbox_id, count(*) AS n, string_agg(id::text, ',' ORDER BY id) AS ids,
                string_agg(at::text, ' | ' ORDER BY id) AS ats
            FROM firing WHERE inbox_id IS NOT NULL GROUP BY vin, bundle, rule, inbox_id HAVING count(*) > 1
            ORDER BY min(id)""")
        return [(r["vin"], r["bundle"], r["rule"], r["inbox_id"], r["n"], r["ids"], r["ats"]) for r in rows]

    def decision_counts(self):
        r = self.pg.rows("""SELECT count(*) AS n, count(*) FILTER (WHERE event = 'fired') AS fired,
            count(*) FILTER (WHERE inbox_id IS NULL) AS timers FROM firing""")[0]
        return r["n"], r["fired"], r["timers"]

    def decided_before(self, cut):
        return self.pg.value("SELECT count(*) AS n FROM firing WHERE recorded_at < '%s+00'" % cut)


# MARK: - Checks against the simulator's ledger

def inbox_key(api, message):
    """A stored notification, compared with what the simulator sent: in B2B each event of a
    fleet body is stored as a Message around it (docs/webhook.md), the envelope's monitorId
    added to a monitor event."""
    if api != "b2b":
        return canonical(message)
    event = dict(message.get("monitorEvent") or message.get("remoteEvent") or {})
    event.pop("monitorId", None)
    return canonical(event)


def ledger_key(api, message):
    if api != "b2b":
        return canonical(message)
    event = dict(message)
    event.pop("monitorId", None)
    return canonical(event)


def acknowledged(ledger):
    """The messages of every delivery the simulator got a 2xx for."""
    return [m for d in ledger if d["status"] is not None and 200 <= d["status"] < 300 for m in d["messages"]]


def inbox_problems(api, ledger, reader):
    """Every notification answered 200 is in the inbox. Returns (problems, acknowledged, inbox keys)."""
    inbox = {inbox_key(api, json.loads(body)) for body in reader.inbox_bodies()}
    answered = acknowledged(ledger)
    missing = [m for m in answered if ledger_key(api, m) not in inbox]
    problems = []
    if missing:
        problems.append("%d notifications answered 200 are not in the inbox, e.g. %s" % (len(missing), json.dumps(missing[0])[:300]))
    return problems, answered, inbox


def remote_problems(remotes, reader):
    """Per vehicle and body, the simulator may not have seen more remotes than the database
    has actions that were (or may have been) sent; every remote is recorded against an
    action. Returns (problems, actions counted per (vin, body))."""
    sent = {}
    for r in remotes:
        key = (r["vin"], canonical(r["body"]))
        sent[key] = sent.get(key, 0) + 1
    actions = {}
    recorded_ids = set()
    for vin, payload, status, rid in reader.remote_actions():
        if status not in ("queued", "skipped", "notSent"):
            key = (vin, canonical(json.loads(payload)))
            actions[key] = actions.get(key, 0) + 1
        if rid:
            recorded_ids.add(rid)
    recorded_ids.update(reader.attempt_remote_ids())
    problems = []
    for key, count in sorted(sent.items()):
        if count > actions.get(key, 0):
            problems.append("vehicle %s: %d remotes %s POSTed for %d actions (a command sent twice)"
                            % (key[0], count, key[1], actions.get(key, 0)))
    unrecorded = [r["remoteActionId"] for r in remotes if r["remoteActionId"] not in recorded_ids]
    if unrecorded:
        problems.append("%d remotes POSTed but recorded against no action: %s" % (len(unrecorded), ", ".join(unrecorded[:5])))
    return problems, actions


def decision_problems(reader, last_kill):
    """No (vehicle, rule, instant, cause) decided twice — the cause is the notification
    (inbox row) observed, or none for timers and polls; and no notification made two
    decisions of one rule. Several notifications observed at one instant (dated ahead of
    serve's clock, they are observed when read) may each make a decision of an event rule
    (`changed`): SEMANTICS.md observes them one after another. The decisions recorded
    before the last kill (`last_kill`, a Unix time or None) are counted (those a restart
    could have made again). Returns (problems, the summary line, the count decided twice)."""
    problems = []
    twice = reader.decided_twice()
    for vin, bundle, rule, at, count, ids, events, inbox, recorded in twice[:10]:
        problems.append("vehicle %s: %s/%s decided %d times at %s (firing ids %s, %s, inbox rows %s, recorded %s)"
                        % (vin, bundle, rule, count, at, ids, events, inbox, recorded))
    if len(twice) > 10:
        problems.append("... and %d more (vehicle, rule, instant) decided twice" % (len(twice) - 10))
    again = reader.inbox_decided_twice()
    for vin, bundle, rule, inbox, count, ids, ats in again[:10]:
        problems.append("vehicle %s: inbox row %d made %d decisions of %s/%s (firing ids %s at %s)"
                        % (vin, inbox, count, bundle, rule, ids, ats))
    if len(again) > 10:
        problems.append("... and %d more notifications that made a rule's decision twice" % (len(again) - 10))
    total, fired, timers = reader.decision_counts()
    before = reader.decided_before(utc_text(last_kill)) if last_kill is not None else 0
    summary = ("decisions checked: %d (%d fired, %d without a notification: timers, polls), %d recorded before the last kill, %d decided twice"
               % (total, fired, timers, before, len(twice) + len(again)))
    if last_kill is not None and before == 0:
        problems.append("no decision was recorded before the last kill: the kills never interrupted deciding")
    return problems, summary, len(twice) + len(again)
