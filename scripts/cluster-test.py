#!/usr/bin/env python3
"""Chaos harness of `vigie serve` on PostgreSQL (issue 20, docs/cluster.md).

Runs `vigie sim --ledger` and `vigie serve --config` as processes on a fresh database of
a PostgreSQL cluster (`--postgres URL`, default $VIGIE_TEST_POSTGRES_URL: a superuser
connection, e.g. from `scripts/pg-test-cluster.sh start`), applies the crash harness's
bundle (scripts/crash-test.py: heartbeats, timers, a lights-on every 3 s per car), and
at seeded moments SIGKILLs serve (`kill`) or kills its database connections from the
server's side with pg_terminate_backend (`dbkill`), restarting serve when it died.
Then checks against the simulator's ledger:
- every notification the simulator had answered 200 is in the inbox;
- no remote was POSTed more often than the database has actions for it (none twice);
- every remote POSTed is recorded against an action;
- no (vehicle, rule, instant, notification) was decided twice.

With `--migrate`, serve first runs on SQLite (half the events are SIGKILLs there), then
`vigie migrate` copies the file into the empty database, `vigie serve` on the SQLite
configuration must be refused, and serve continues on PostgreSQL: the checks then cover
both halves (what SQLite stored and sent must be in PostgreSQL, nothing sent twice).

Today it runs ONE instance (`--instances 1`): the partitions that let several instances
share the work are not built yet (docs/cluster.md "What is next"); more is refused, and
the harness checks that a second `vigie serve` on the same database stops at start.

Prints the events survived and the figures checked; exit 0 when every check holds, 1 when
one fails, 2 when the harness itself could not run.

    scripts/cluster-test.py --events 10 --vehicles 5 --seed 3 [--api b2b] [--migrate] [--postgres URL]
"""
import argparse, datetime, importlib.util, json, os, random, signal, subprocess, sys, tempfile, time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("crash_test", os.path.join(HERE, "crash-test.py"))
crash = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crash)
log, canonical = crash.log, crash.canonical


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


class ClusterHarness(crash.Harness):
    def __init__(self, args, work, admin):
        super().__init__(args, "postgres", 0, work)
        self.admin = admin
        self.database = "vigie_cluster_%d_%d" % (os.getpid(), int(time.time()))
        self.db = None
        self.pg = admin.with_database(self.database)
        self.events = {"kill": 0, "dbkill": 0}
        # vigie apply and vigie serve read the configuration's store URL from here.
        os.environ["VIGIE_DATABASE_URL"] = self.pg.url

    def write_config(self, banner):
        super().write_config(banner)
        if not self.args.migrate:
            self.use_postgres()

    def use_postgres(self):
        with open(self.config) as f:
            text = f.read()
        text = text.replace("database: vigie.sqlite\n", "store: { postgres: { url: { env: VIGIE_DATABASE_URL } } }\n")
        with open(self.config, "w") as f:
            f.write(text)

    def chaos(self, events):
        for _ in range(events):
            time.sleep(self.rng.uniform(self.args.min_gap, self.args.max_gap))
            kind = "kill" if self.serve_store == "sqlite" else self.rng.choice(["kill", "kill", "dbkill"])
            if kind == "kill":
                self.kill_serve()
                self.last_kill = time.time()
                self.start_serve()
            else:
                self.drop_connections()
                # serve either reconnects (the pool opens new connections) or exits on the
                # error; then it is restarted, like after a kill.
                time.sleep(0.5)
                if self.serve.poll() is not None:
                    self.start_serve()
            self.events[kind] += 1
            self.kills += 1

    def second_instance_refused(self):
        """Until partitions exist, a second serve on the same database stops at start."""
        r = subprocess.run([self.vigie, "serve", "--config", self.config], cwd=self.work, capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 1 or "another vigie serve runs on this PostgreSQL database" not in r.stderr:
            raise RuntimeError("a second vigie serve on the same database was not refused (exit %d): %s"
                               % (r.returncode, r.stderr.strip()[:300]))
        log("second instance refused: ok")

    def stop_serve(self):
        self.serve.send_signal(signal.SIGTERM)
        self.serve.wait(timeout=30)
        self.serve = None

    def migrate(self):
        """SQLite phase over: `vigie migrate` into the empty database, then the SQLite
        configuration must be refused (a mixed setup), then serve on PostgreSQL."""
        out = self.run_checked("migrate", "--from", os.path.join(self.work, "vigie.sqlite"), "--to-env", "VIGIE_DATABASE_URL")
        log("migrated: " + out.strip().splitlines()[0])
        r = subprocess.run([self.vigie, "serve", "--config", self.config], cwd=self.work, capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 1 or "was migrated to PostgreSQL" not in r.stderr:
            raise RuntimeError("vigie serve on the migrated SQLite file was not refused (exit %d): %s"
                               % (r.returncode, r.stderr.strip()[:300]))
        log("serve on the migrated SQLite file refused: ok")
        self.use_postgres()
        self.serve_store = "postgres"

    def drop_connections(self):
        """Server side: ends every connection of this database (serve's pool)."""
        return self.admin.value("SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity "
                                "WHERE datname = '%s' AND pid <> pg_backend_pid()" % self.database)

    def run(self):
        self.admin.run("CREATE DATABASE %s" % self.database)
        banner = self.start_sim()
        self.write_config(banner)
        self.serve_store = "sqlite" if self.args.migrate else "postgres"
        self.run_checked("apply", "--config", self.config, "--auto-approve")
        self.start_serve()
        if self.args.migrate:
            first = self.args.events // 2
            self.chaos(first)
            time.sleep(self.args.settle)
            self.stop_serve()
            self.migrate()
            self.start_serve()
            self.second_instance_refused()
            self.chaos(self.args.events - first)
        else:
            self.second_instance_refused()
            self.chaos(self.args.events)
        time.sleep(self.args.settle)
        self.stop_serve()
        return self.kills

    def check(self, events):
        ledger = crash.get_json(self.sim_base + "/sim/v1/ledger/notifications", timeout=60)["deliveries"]
        remotes = crash.get_json(self.sim_base + "/sim/v1/ledger/remotes", timeout=60)["remotes"]
        pg = self.pg
        problems = []
        inbox = {self.inbox_key(json.loads(r["body"])) for r in pg.rows("SELECT body FROM inbox")}
        acknowledged = [m for d in ledger if d["status"] is not None and 200 <= d["status"] < 300 for m in d["messages"]]
        missing = [m for m in acknowledged if self.ledger_key(m) not in inbox]
        if missing:
            problems.append("%d notifications answered 200 are not in the inbox, e.g. %s"
                            % (len(missing), json.dumps(missing[0])[:300]))
        sent = {}
        for r in remotes:
            key = (r["vin"], canonical(r["body"]))
            sent[key] = sent.get(key, 0) + 1
        actions = {}
        recorded = set()
        for a in pg.rows("SELECT vin, payload, status, remote_action_id FROM action WHERE kind = 'remote'"):
            if a["status"] not in ("queued", "skipped", "notSent"):
                key = (a["vin"], canonical(json.loads(a["payload"])))
                actions[key] = actions.get(key, 0) + 1
            if a["remote_action_id"]:
                recorded.add(a["remote_action_id"])
        for a in pg.rows("SELECT remote_action_id FROM action_attempt WHERE remote_action_id IS NOT NULL"):
            recorded.add(a["remote_action_id"])
        for key, count in sorted(sent.items()):
            if count > actions.get(key, 0):
                problems.append("vehicle %s: %d remotes %s POSTed for %d actions (a command sent twice)"
                                % (key[0], count, key[1], actions.get(key, 0)))
        unrecorded = [r["remoteActionId"] for r in remotes if r["remoteActionId"] not in recorded]
        if unrecorded:
            problems.append("%d remotes POSTed but recorded against no action: %s"
                            % (len(unrecorded), ", ".join(unrecorded[:5])))
        twice = pg.rows("""SELECT vin, bundle, rule, at, count(*) AS n FROM firing
            GROUP BY vin, bundle, rule, at, coalesce(inbox_id, -1) HAVING count(*) > 1""")
        for t in twice[:10]:
            problems.append("vehicle %s: %s/%s decided %d times at %s" % (t["vin"], t["bundle"], t["rule"], t["n"], t["at"]))
        again = pg.rows("""SELECT vin, bundle, rule, inbox_id, count(*) AS n FROM firing WHERE inbox_id IS NOT NULL
            GROUP BY vin, bundle, rule, inbox_id HAVING count(*) > 1""")
        for t in again[:10]:
            problems.append("vehicle %s: inbox row %s made %d decisions of %s/%s"
                            % (t["vin"], t["inbox_id"], t["n"], t["bundle"], t["rule"]))
        decided = pg.rows("SELECT count(*) AS n, count(*) FILTER (WHERE event = 'fired') AS fired FROM firing")[0]
        done = pg.value("SELECT count(*) AS n FROM action WHERE kind = 'remote' AND status IN ('succeeded', 'alreadyDone')")
        log("events survived: %d (%d SIGKILL, %d connections killed by the server)"
            % (events, self.events["kill"], self.events["dbkill"]))
        log("notifications checked: %d answered 200 (%d POSTs, %d without a 200), inbox %d rows"
            % (len(acknowledged), len(ledger), sum(1 for d in ledger if d["status"] != 200), len(inbox)))
        log("remotes checked: %d POSTed, %d remote actions sent, %d succeeded"
            % (len(remotes), sum(actions.values()), done))
        log("decisions checked: %d (%d fired), %d decided twice" % (decided["n"], decided["fired"], len(twice) + len(again)))
        if not acknowledged:
            problems.append("no notification was answered 200")
        if not remotes:
            problems.append("no remote was POSTed")
        for p in problems:
            log("FAIL: " + p)
        if not problems:
            log("postgres run passed")
        return 0 if not problems else 1

    def drop_database(self):
        try:
            self.admin.run("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.database)
        except Exception as e:
            log("warning: could not drop database %s: %s" % (self.database, e))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--vigie", default=os.environ.get("VIGIE", ".build/debug/vigie"), help="the vigie binary")
    p.add_argument("--postgres", default=os.environ.get("VIGIE_TEST_POSTGRES_URL"),
                   help="a superuser URL of the cluster (default $VIGIE_TEST_POSTGRES_URL)")
    p.add_argument("--instances", type=int, default=1, help="instances of vigie serve (only 1 today)")
    p.add_argument("--events", type=int, default=10, help="chaos events (default 10)")
    p.add_argument("--seed", type=int, default=1, help="seeds the event moments and the simulated world")
    p.add_argument("--vehicles", type=int, default=10)
    p.add_argument("--speed", type=float, default=120, help="simulated seconds per real second")
    p.add_argument("--min-gap", type=float, default=0.5, help="shortest real time between events, seconds")
    p.add_argument("--max-gap", type=float, default=2.5, help="longest real time between events, seconds")
    p.add_argument("--settle", type=float, default=4, help="seconds after the last event before checking")
    p.add_argument("--workdir", help="keep files here (default: a new temporary folder)")
    p.add_argument("--api", choices=["b2c", "b2b"], default="b2c")
    p.add_argument("--migrate", action="store_true",
                   help="serve on SQLite for the first half of the events, `vigie migrate` to PostgreSQL, then serve there")
    args = p.parse_args()
    if not args.postgres:
        log("error: no PostgreSQL: give --postgres URL or set VIGIE_TEST_POSTGRES_URL (scripts/pg-test-cluster.sh start)")
        sys.exit(2)
    if args.instances != 1:
        log("error: --instances %d: several instances need the partitions, not built yet (docs/cluster.md)" % args.instances)
        sys.exit(2)
    if args.events < 0 or args.min_gap < 0 or args.max_gap < args.min_gap:
        p.error("--events must be >= 0 and 0 <= --min-gap <= --max-gap")
    args.vigie = os.path.abspath(args.vigie)
    work = args.workdir or tempfile.mkdtemp(prefix="vigie-cluster-")
    h = ClusterHarness(args, work, Postgres(args.postgres))
    log("cluster test (%s): %d instance(s), %d events, seed %d, %d vehicles, speed x%g, files in %s"
        % (args.api.upper(), args.instances, args.events, args.seed, args.vehicles, args.speed, work))
    try:
        events = h.run()
        code = h.check(events)
    except crash.ServeDied as e:
        log("FAIL: after %d events, %s" % (h.kills, e))
        code = 1
    except Exception as e:
        log("error: %s" % e)
        code = 2
    finally:
        h.stop_all()
        h.drop_database()
    sys.exit(code)


if __name__ == "__main__":
    main()
