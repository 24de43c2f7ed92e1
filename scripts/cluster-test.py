#!/usr/bin/env python3
"""Chaos harness of `vigie serve` on PostgreSQL (issue 20, docs/cluster.md).

Runs `vigie sim --ledger` and `vigie serve --config` as processes on a fresh database of
a PostgreSQL cluster (`--postgres URL`, default $VIGIE_TEST_POSTGRES_URL: a superuser
connection, e.g. from `scripts/pg-test-cluster.sh start`), applies the crash harness's
bundle (scripts/vigie_harness.py: heartbeats, timers, a lights-on every 3 s per car), and
at seeded moments SIGKILLs serve (`kill`) or kills its database connections from the
server's side with pg_terminate_backend (`dbkill`), restarting serve when it died.
Then checks against the simulator's ledger:
- every notification the simulator had answered 200 is in the inbox;
- no remote was POSTed more often than the database has actions for it (none twice);
- every remote POSTed is recorded against an action;
- no (vehicle, rule, instant, notification) was decided twice;
- per vehicle, the decisions of the rules that depend on notifications only
  (`odometer-changed`, `seen`) equal those of a single-process replay of the stored
  inbox (`vigie dry-run` over it, in the order and at the instants serve observes it).

With `--migrate`, serve first runs on SQLite (half the events are SIGKILLs there), then
`vigie migrate` copies the file into the empty database, `vigie serve` on the SQLite
configuration must be refused, and serve continues on PostgreSQL: the checks then cover
both halves (what SQLite stored and sent must be in PostgreSQL, nothing sent twice).

With `--instances N` (N > 1) the run is the issue's: N `vigie serve` (`--api b2b`, the
fleet) behind Debian's haproxy on loopback (the simulator posts to haproxy, which
round-robins to the instances whose /healthz answers), `--partitions` P and `--lease`
seconds; the events are `kill` (SIGKILL, restart), `zombie` (SIGSTOP of a partition
owner for 2-3 lease times, then SIGCONT), `dbkill` (one instance's connections killed by
the server) and `handoff` (SIGTERM, restart). A thread watches `partition_lease` every
100 ms. Beside the checks above: no commit from a stale epoch (per partition, the epoch
of the committed decisions never goes back in commit order), and the takeover time of
each partition whose owner died or froze (its last renewal -> the first decision
committed under the new lease), p99 <= 8 s. That mode needs partitions in `vigie serve`
(docs/cluster.md); the harness checks that serve supports them and stops with exit 2
when not.

Prints the events survived and the figures checked; exit 0 when every check holds, 1 when
one fails, 2 when the harness itself could not run.

    scripts/cluster-test.py --events 10 --vehicles 5 --seed 3 [--api b2b] [--migrate] [--postgres URL]
    scripts/cluster-test.py --instances 3 --events 100 --vehicles 200 --partitions 16 --lease 5
"""
import argparse, json, os, random, re, shutil, signal, subprocess, sys, tempfile, threading, time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ beside the scripts
sys.path.insert(0, HERE)
import vigie_harness as vh
from vigie_harness import log

# Rules whose decisions depend on the notifications alone (no timer, no command): a
# single-process replay of the stored inbox must make exactly these decisions.
REPLAY_RULES = ("odometer-changed", "seen")


def fnv1a_partition(vin, count):
    """The partition of a vehicle: FNV-1a (64 bits) of the VIN's bytes modulo P, as the
    PostgreSQL store computes it (docs/cluster.md)."""
    h = 0xcbf29ce484222325
    for b in vin.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % count


def percentile(values, p):
    """Nearest rank, as `vigie bench` prints them."""
    if not values:
        return float("nan")
    s = sorted(values)
    rank = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[rank]


# The dispatcher looks at the commands in flight at most this long apart: min(remote_timeout
# of the harness's configuration (2 min), 30 s).
FOLLOW_UP = 30


class ServeHung(RuntimeError):
    """A serve did not end after SIGTERM: a failure of serve, not of the harness."""


class Haproxy:
    """Debian's haproxy on a loopback port in front of the instances: round robin over
    those whose /healthz (admin listener) answers; a connection refused, or a request an
    instance took and did not answer within RESPONSE_TIMEOUT seconds (a frozen instance),
    is resent to another instance (docs/cluster.md "Topology": the dedup key makes the
    replay harmless). Without that, a frozen instance kept the webhook it had taken until
    the API's own time-out (10 s in `vigie sim`), and the API sent nothing more meanwhile."""

    # Seconds an instance has to answer a webhook before haproxy resends it elsewhere: far
    # above an intake commit (milliseconds), below the API's time-out and the lease.
    RESPONSE_TIMEOUT = 2

    def __init__(self, work, port, instances):
        self.work, self.port, self.instances = work, port, instances
        self.process = None
        self.config = os.path.join(work, "haproxy.cfg")

    def start(self, servers=None):
        """Starts haproxy in front of the instances (or of `servers`: (name, port, check port) each)."""
        binary = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
        if binary is None:
            raise RuntimeError("haproxy is missing: apt-get install haproxy (.ci/run does)")
        servers = servers or [(i.name, i.serve_port, i.admin_port) for i in self.instances]
        with open(self.config, "w") as f:
            f.write(self.configuration(self.port, servers))
        out = open(os.path.join(self.work, "haproxy.log"), "a")
        self.process = subprocess.Popen([binary, "-db", "-f", self.config], stdout=out, stderr=subprocess.STDOUT)
        def up():
            if self.process.poll() is not None:
                raise RuntimeError("haproxy exited %d; see %s" % (self.process.returncode, out.name))
            import socket
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        vh.wait_for(up, "haproxy", timeout=20)

    @classmethod
    def configuration(cls, port, servers):
        """haproxy.cfg for `servers` ((name, webhook port, admin port) each). `retry-on
        response-timeout` can resend only a request it had whole in one buffer when it
        first sent it: `option http-buffer-request` waits for the body before choosing an
        instance (without it, a body sent after its headers was not retried: 504), and
        `tune.bufsize` holds a B2B batch of 100 events (about 20 KB, above the 16 KB default)."""
        lines = "".join("    server %s 127.0.0.1:%d check port %d\n" % server for server in servers)
        return f"""global
    maxconn 4096
    tune.bufsize 131072
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server {cls.RESPONSE_TIMEOUT}s
    retries 3
    retry-on conn-failure empty-response response-timeout
    option http-buffer-request
    option redispatch 1
frontend webhooks
    bind 127.0.0.1:{port}
    default_backend serves
backend serves
    balance roundrobin
    option httpchk GET /healthz
    default-server inter 300ms fall 2 rise 1
{lines}"""

    def stop(self):
        vh.stop_process(self.process)


class Instance(vh.ServeProcess):
    """One of the cluster's `vigie serve`, named s1, s2…, with its own configuration file."""

    def __init__(self, vigie, work, name, serve_port, admin_port):
        super().__init__(vigie, work, os.path.join(work, "vigie-%s.yaml" % name), serve_port, admin_port,
                         log_name="serve-%s.log" % name)
        self.name = name
        self.stopped = False    # SIGSTOPped (a zombie)
        self.pids = []          # every process this instance has been

    def start(self, timeout=60):
        try:
            super().start(timeout)
        finally:
            if self.process is not None:
                self.pids.append(self.process.pid)

    def was(self, owner):
        """Whether a lease owner string was one of this instance's processes."""
        numbers = re.findall(r"\d+", owner or "")
        return any(str(pid) in numbers for pid in self.pids)

    def owns(self, owner):
        """Whether a lease owner string is this process: its pid is one of the owner's
        numbers, or the owner is its name."""
        if owner is None or self.pid is None:
            return False
        return owner == self.name or str(self.pid) in re.findall(r"\d+", owner)

    def database_ports(self, pg_port):
        """The local ports of this process's TCP connections to the server (to find its
        sessions in pg_stat_activity.client_port)."""
        inodes = set()
        fd = "/proc/%d/fd" % self.pid
        for name in os.listdir(fd):
            try:
                target = os.readlink(os.path.join(fd, name))
            except OSError:
                continue
            m = re.match(r"socket:\[(\d+)\]", target)
            if m:
                inodes.add(m.group(1))
        ports = []
        for table in ("/proc/%d/net/tcp" % self.pid, "/proc/%d/net/tcp6" % self.pid):
            try:
                lines = open(table).read().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                local, remote, inode = fields[1], fields[2], fields[9]
                if inode in inodes and int(remote.rsplit(":", 1)[1], 16) == pg_port:
                    ports.append(int(local.rsplit(":", 1)[1], 16))
        return ports


class LeaseWatch(threading.Thread):
    """Polls `partition_lease` every 100 ms through one psql session and keeps, per
    (partition, epoch): its owner, when the harness first saw it, its latest expires_at
    (the database's clock, Unix seconds) and whether it was seen released."""

    def __init__(self, pg):
        super().__init__(daemon=True)
        self.pg = pg
        self.epochs = {}        # (partition, epoch) -> dict
        self.lock = threading.Lock()
        self.halt = threading.Event()
        self.error = None
        self.polls = 0
        self.members = []       # (database time, members alive) at each change

    def run(self):
        try:
            psql = subprocess.Popen(["psql", self.pg.url, "-X", "-At", "-F", "|", "-v", "ON_ERROR_STOP=1"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            while not self.halt.is_set():
                psql.stdin.write("SELECT partition, coalesce(owner, ''), epoch, coalesce(extract(epoch FROM expires_at), 0), "
                                 "extract(epoch FROM now()) FROM partition_lease UNION ALL "
                                 "SELECT -1, '', (SELECT count(*) FROM partition_member WHERE expires_at > now()), 0, "
                                 "extract(epoch FROM now());\n\\echo __end__\n")
                psql.stdin.flush()
                seen = time.time()
                rows = []
                while True:
                    line = psql.stdout.readline()
                    if not line:
                        raise RuntimeError("psql ended: %s" % psql.stderr.read().strip())
                    line = line.strip()
                    if line == "__end__":
                        break
                    rows.append(line.split("|"))
                with self.lock:
                    for partition, owner, epoch, expires, now in rows:
                        if int(partition) < 0:
                            # Members alive (partition_member), as each instance's fair share sees them.
                            if not self.members or self.members[-1][1] != int(epoch):
                                self.members.append((float(now), int(epoch)))
                            continue
                        key = (int(partition), int(epoch))
                        e = self.epochs.setdefault(key, {"owner": owner or None, "first_seen": seen, "expires": 0.0,
                                                         "released": False, "db_first_seen": float(now)})
                        if owner:
                            e["owner"] = owner
                            e["expires"] = max(e["expires"], float(expires))
                        else:
                            e["released"] = True
                self.polls += 1
                self.halt.wait(0.1)
            psql.stdin.close()
            psql.wait(timeout=10)
        except Exception as error:
            self.error = error

    def owners(self):
        """partition -> owner of its newest epoch (None when released)."""
        with self.lock:
            newest = {}
            for (partition, epoch), e in self.epochs.items():
                if partition not in newest or epoch > newest[partition][0]:
                    newest[partition] = (epoch, e)
            return {p: (None if e["released"] else e["owner"]) for p, (epoch, e) in newest.items()}

    def snapshot(self):
        with self.lock:
            return {k: dict(v) for k, v in self.epochs.items()}


class ClusterHarness:
    def __init__(self, args, work, admin):
        self.args = args
        self.vigie = args.vigie
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.rng = random.Random("%d/postgres" % args.seed)
        self.admin = admin
        self.database = "vigie_cluster_%d_%d" % (os.getpid(), int(time.time()))
        self.pg = admin.with_database(self.database)
        # 08:20 in Paris: the cars leave for work in the first simulated hour, so odometers
        # move and the replay check has decisions to compare.
        self.sim = vh.Simulator(self.vigie, work, args.vehicles, args.seed, args.speed,
                                start=vh.next_weekday_morning().replace("T05:50:", "T07:20:"))
        names = ["s%d" % (i + 1) for i in range(args.instances)]
        self.instances = [Instance(self.vigie, work, n, vh.free_port(), vh.free_port()) for n in names]
        self.serve = self.instances[0]
        self.haproxy = Haproxy(work, vh.free_port(), self.instances) if args.instances > 1 else None
        self.watch = None
        self.roles = {}         # database role -> instance
        # Whether this vigie's serve has partitions (store.postgres.partitions and lease):
        # always asked with several instances; one instance uses them when it has them, so
        # that a restarted serve waits for its old leases (--lease) rather than 64 x 10 s defaults.
        self.partitioned = args.instances > 1
        self.events = {"kill": 0, "dbkill": 0, "zombie": 0, "handoff": 0}
        # (partition, Unix time, kind) of each owner that died or froze: takeovers expected.
        self.outages = []
        self.idle_grants = 0    # grants that committed nothing before a takeover's first commit
        self.interrupted = []   # (whole wait, partition, kind): the new owner died before committing
        self.last_kill = None
        self.kills = 0
        self.serve_store = "postgres"
        # vigie apply and vigie serve read the configuration's store URL from here.
        os.environ["VIGIE_DATABASE_URL"] = self.pg.url

    # MARK: configuration

    def bundle(self):
        text = vh.BUNDLE + (vh.SEEN_RULE if self.args.api == "b2b" else "")
        # Several instances: a slower per-car timer, so 200 cars do not flood a shared machine.
        return text.replace("    repeat: 1s\n", "    repeat: %gs\n" % self.args.tick)

    def store_lines(self, store):
        if store == "sqlite":
            return "database: vigie.sqlite\n"
        if self.args.instances == 1 and not self.partitioned:
            return "store: { postgres: { url: { env: VIGIE_DATABASE_URL } } }\n"
        return ("store: { postgres: { url: { env: VIGIE_DATABASE_URL }, partitions: %d, lease: %gs, post_deadline: %gs } }\n"
                % (self.args.partitions, self.args.lease, self.args.post_deadline))

    def write_configs(self, store):
        with open(os.path.join(self.work, "crash-test.yaml"), "w") as f:
            f.write(self.bundle())
        public = ("http://127.0.0.1:%d" % self.haproxy.port) if self.haproxy else ("http://127.0.0.1:%d" % self.serve.serve_port)
        for i in self.instances:
            with open(i.config, "w") as f:
                f.write(vh.serve_config(self.sim, self.args.api, public, i.serve_port, i.admin_port, self.args.window,
                                        store=self.store_lines(store)))
        self.config = self.serve.config

    # MARK: who committed what (several instances)

    def create_roles(self):
        """One database role per instance (loopback test cluster, trust): the commit log's
        session_user then says which instance wrote each row."""
        for i in self.instances:
            role = "%s_%s" % (self.database, i.name)
            self.admin.run("CREATE ROLE %s LOGIN SUPERUSER" % role)
            self.roles[role] = i
            i.env = dict(os.environ, VIGIE_DATABASE_URL=self.pg.with_user(role).url)

    def drop_roles(self):
        for role in self.roles:
            try:
                self.admin.run("DROP ROLE IF EXISTS %s" % role)
            except Exception as e:
                log("warning: could not drop role %s: %s" % (role, e))

    def install_commit_log(self):
        """A trigger on `firing` (the decision step's rows) records, inside each committing
        transaction, the partition's lease as that transaction sees it (owner, epoch), the
        role (instance) that wrote the row and the database's clock. A fenced step holds
        the lease row (FOR SHARE) from its start, so the lease it sees is the one it was
        fenced by; a stale owner's row shows as written by one instance under another's lease."""
        vins = [v["vin"] for v in self.sim.inventory(everything=True)]
        values = ",".join("('%s', %d)" % (vin, fnv1a_partition(vin, self.args.partitions)) for vin in vins)
        self.pg.run("""CREATE TABLE harness_vin (vin text PRIMARY KEY, partition int NOT NULL);
            INSERT INTO harness_vin VALUES %s;
            CREATE TABLE harness_commit (firing_id bigint, vin text, partition int, epoch bigint, owner text,
                role text, at double precision);
            CREATE FUNCTION harness_note() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
                INSERT INTO harness_commit SELECT NEW.id, NEW.vin, v.partition, l.epoch, l.owner, session_user,
                    extract(epoch FROM clock_timestamp())
                FROM harness_vin v LEFT JOIN partition_lease l ON l.partition = v.partition WHERE v.vin = NEW.vin;
                RETURN NEW; END $f$;
            CREATE TRIGGER harness_note AFTER INSERT ON firing FOR EACH ROW EXECUTE FUNCTION harness_note();""" % values)

    # MARK: processes

    def run_checked(self, *cmd):
        return vh.run_vigie(self.vigie, self.work, *cmd)

    def start(self, instance):
        instance.start()
        instance.stopped = False

    def stop(self, instance):
        """Graceful stop (SIGTERM); a serve still running 30 s later fails the run."""
        try:
            instance.stop()
        except subprocess.TimeoutExpired:
            stacks = self.backtrace(instance)
            instance.kill()
            raise ServeHung("vigie serve %s did not stop within 30 s of SIGTERM; see %s%s"
                            % (instance.name, instance.log_path, " and its threads' stacks in " + stacks if stacks else ""))

    def backtrace(self, instance):
        """Every thread's stack of a hung serve (gdb, when installed), written beside its log."""
        if shutil.which("gdb") is None:
            return None
        path = instance.log_path + ".stacks"
        with open(path, "w") as out:
            out.write("# sockets\n")
            out.flush()
            subprocess.run(["ss", "-tnpi"], stdout=out, stderr=subprocess.STDOUT, timeout=30)
            try:
                out.write("# pg_stat_activity\n%s\n" % json.dumps(self.pg.rows(
                    "SELECT pid, usename, state, wait_event_type, wait_event, xact_start::text, query "
                    "FROM pg_stat_activity WHERE datname = current_database()"), indent=1, default=str))
            except Exception as e:
                out.write("pg_stat_activity: %s\n" % e)
            out.flush()
            subprocess.run(["gdb", "-p", str(instance.pid), "-batch", "-ex", "thread apply all bt"],
                           stdout=out, stderr=subprocess.STDOUT, timeout=120)
        return path

    def stop_all(self):
        for i in self.instances:
            if i.stopped and i.running():
                i.signal(signal.SIGCONT)
            i.stop_quietly()
        if self.haproxy:
            self.haproxy.stop()
        if self.watch:
            self.watch.halt.set()
        self.sim.stop()

    def drop_connections(self, instance=None):
        """Server side: ends the connections of this database (every one, or `instance`'s)."""
        where = "datname = '%s' AND pid <> pg_backend_pid()" % self.database
        if instance is not None:
            ports = instance.database_ports(self.admin_port())
            if not ports:
                return 0
            where += " AND client_port IN (%s)" % ",".join(str(p) for p in ports)
        return self.admin.value("SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE " + where)

    def admin_port(self):
        import urllib.parse
        return urllib.parse.urlsplit(self.admin.url).port or 5432

    # MARK: one instance (and --migrate)

    def chaos_single(self, events):
        for _ in range(events):
            time.sleep(self.rng.uniform(self.args.min_gap, self.args.max_gap))
            kind = "kill" if self.serve_store == "sqlite" else self.rng.choice(["kill", "kill", "dbkill"])
            if kind == "kill":
                self.serve.kill()
                self.last_kill = time.time()
                self.start(self.serve)
            else:
                self.drop_connections()
                # serve either reconnects (the pool opens new connections) or exits on the
                # error; then it is restarted, like after a kill.
                time.sleep(0.5)
                if not self.serve.running():
                    self.start(self.serve)
            self.events[kind] += 1
            self.kills += 1

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
        self.apply_probing_partitions()
        self.serve_store = "postgres"

    # MARK: several instances

    def owned_by(self, instance):
        return sorted(p for p, owner in self.watch.owners().items() if instance.owns(owner))

    def wait_for_partitions(self, timeout=60):
        """Every partition held by a running instance."""
        def spread():
            owners = self.watch.owners()
            return len(owners) == self.args.partitions and all(
                any(i.owns(o) for i in self.instances if i.running() and not i.stopped) for o in owners.values())
        vh.wait_for(spread, "every partition to be held by a running instance", timeout=timeout)

    def chaos_cluster(self, events):
        kinds = ["kill", "zombie", "dbkill", "handoff"]
        for n in range(events):
            time.sleep(self.rng.uniform(self.args.min_gap, self.args.max_gap))
            kind = kinds[n % 4] if n < 4 else self.rng.choice(kinds)
            if kind == "zombie":
                owners = [i for i in self.instances if i.running() and self.owned_by(i)]
                instance = self.rng.choice(owners) if owners else self.rng.choice(self.instances)
            else:
                instance = self.rng.choice(self.instances)
            held = self.owned_by(instance)
            if kind == "kill":
                instance.kill()
                self.last_kill = time.time()
                self.outages += [(p, self.last_kill, kind) for p in held]
                time.sleep(self.rng.uniform(0.2, 2))
                self.start(instance)
            elif kind == "zombie":
                instance.signal(signal.SIGSTOP)
                instance.stopped = True
                at = time.time()
                self.outages += [(p, at, kind) for p in held]
                time.sleep(self.rng.uniform(2, 3) * self.args.lease)
                instance.signal(signal.SIGCONT)
                instance.stopped = False
            elif kind == "dbkill":
                self.drop_connections(instance)
                time.sleep(0.5)
                if not instance.running():
                    self.start(instance)
            else:
                self.stop(instance)
                self.start(instance)
            self.events[kind] += 1
            self.kills += 1
            if self.watch.error:
                raise RuntimeError("watching partition_lease failed: %s" % self.watch.error)

    # MARK: the run

    def run(self):
        self.admin.run("CREATE DATABASE %s" % self.database)
        self.sim.start()
        vh.write_secrets(self.work, self.sim.banner, self.rng)
        self.serve_store = "sqlite" if self.args.migrate else "postgres"
        self.write_configs(self.serve_store)
        if self.args.instances == 1 and not self.args.migrate:
            self.apply_probing_partitions()
        else:
            self.apply()
        if self.args.instances > 1:
            self.create_roles()
            self.install_commit_log()
            return self.run_cluster()
        self.start(self.serve)
        if self.args.migrate:
            first = self.args.events // 2
            self.chaos_single(first)
            time.sleep(self.args.settle)
            self.stop(self.serve)
            self.migrate()
            self.start(self.serve)
            self.chaos_single(self.args.events - first)
        else:
            self.chaos_single(self.args.events)
        time.sleep(self.final_wait())
        if self.partitioned and self.serve_store == "postgres":
            self.wait_for_sending()
        self.stop(self.serve)
        return self.kills

    def final_wait(self):
        """Seconds between the last event and the checks: --settle, and with partitions the
        time a dead owner's work takes to move: its leases run out (--lease), then a command
        it left `sending` is shown to the new owner's dispatcher once --post-deadline has
        passed since its claim, and reconciled at that dispatcher's next look at the commands
        in flight — at most FOLLOW_UP seconds later (min(remote_timeout, 30 s): docs/serve.md)."""
        return self.args.settle + ((self.args.lease + self.args.post_deadline + FOLLOW_UP) if self.partitioned else 0)

    def wait_for_sending(self):
        """Before the checks, while the instances run: waits (polling the database, at most
        two lease times + --post-deadline + FOLLOW_UP) until no command is left `sending`. A
        command POSTed just before its owner lost the partition is reconciled by the new
        owner only after the POST deadline; stopping before that left its remote "recorded
        against no action". Says how long it waited, and how many were still sending."""
        bound = 2 * self.args.lease + self.args.post_deadline + FOLLOW_UP
        began = time.time()
        count = lambda: self.pg.value("SELECT count(*) AS n FROM action WHERE status = 'sending'")
        left = count()
        while left and time.time() - began < bound:
            time.sleep(0.5)
            left = count()
        log("commands left sending before the checks: %d after waiting %.1f s (at most %g s)"
            % (left, time.time() - began, bound))

    def apply(self):
        try:
            self.run_checked("apply", "--config", self.config, "--auto-approve")
        except RuntimeError as e:
            if self.args.instances > 1 and "store.postgres" in str(e) and "partitions" in str(e):
                raise RuntimeError("several instances need partitions in vigie serve, and this vigie has none "
                                   "(docs/cluster.md): %s" % str(e).strip().splitlines()[-1])
            raise

    def apply_probing_partitions(self):
        """One instance on PostgreSQL: `vigie apply` with --partitions and --lease, or without
        them when this vigie does not know them yet."""
        self.partitioned = True
        self.write_configs("postgres")
        try:
            self.run_checked("apply", "--config", self.config, "--auto-approve")
        except RuntimeError as e:
            if "store.postgres" not in str(e) or "partitions" not in str(e):
                raise
            self.partitioned = False
            self.write_configs("postgres")
            self.run_checked("apply", "--config", self.config, "--auto-approve")
        log("one instance, %s" % ("partitions: %d, lease %gs" % (self.args.partitions, self.args.lease)
                                  if self.partitioned else "no partitions in this serve"))

    def run_cluster(self):
        # haproxy first (the simulator posts there), the schema (serve migrates at start),
        # then watch the leases from the start.
        self.haproxy.start()
        self.start(self.instances[0])
        self.watch = LeaseWatch(self.pg)
        self.watch.start()
        for i in self.instances[1:]:
            try:
                self.start(i)
            except vh.ServeDied as e:
                raise RuntimeError("a second vigie serve on one database did not start: serve has no partitions yet "
                                   "(docs/cluster.md): %s" % e)
        self.wait_for_partitions()
        log("cluster up: %d instances behind haproxy, %d partitions, lease %gs" % (len(self.instances), self.args.partitions, self.args.lease))
        self.chaos_cluster(self.args.events)
        self.wait_for_partitions(timeout=60)
        time.sleep(self.final_wait())
        self.wait_for_sending()
        for i in self.instances:
            self.stop(i)
        self.watch.halt.set()
        self.watch.join(timeout=10)
        return self.kills

    # MARK: checks

    def replay_problems(self):
        """Per vehicle, the decisions of REPLAY_RULES equal a single-process replay: the
        processed inbox as serve observes it (with reorder_window 0: arrival order; at the
        notification's date, or when received for one dated more than 5 s ahead; the
        engine's instants never go back), through `vigie dry-run`."""
        rows = self.pg.rows("""SELECT id, vin, event_date, extract(epoch FROM received_at) AS received, body
            FROM inbox WHERE processed ORDER BY id""")
        unprocessed = self.pg.value("SELECT count(*) AS n FROM inbox WHERE NOT processed")
        lines, last = [], 0.0
        for r in rows:
            body = json.loads(r["body"])
            if not r["vin"] or not isinstance(body, dict) or body.get("remoteEvent") or not body.get("monitorEvent"):
                continue
            at = r["received"]
            if r["event_date"]:
                try:
                    import datetime
                    dated = datetime.datetime.fromisoformat(r["event_date"].replace("Z", "+00:00")).timestamp()
                    at = dated if dated - r["received"] <= 5 else r["received"]
                except ValueError:
                    pass
            last = max(last, at)
            stamp = vh.utc_text(last).replace(" ", "T") + "Z"
            lines.append(json.dumps({"at": stamp, "vin": r["vin"], "message": body}, sort_keys=True))
        events = os.path.join(self.work, "replay.jsonl")
        with open(events, "w") as f:
            f.write("\n".join(lines) + ("\n" if lines else ""))
        r = subprocess.run([self.vigie, "dry-run", "crash-test.yaml", "--events", events, "--format", "json"],
                           cwd=self.work, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            return ["vigie dry-run of the stored inbox exited %d: %s" % (r.returncode, r.stderr.strip()[:300])], 0
        def key(rule, event, reason, actions):
            return (rule, event, reason or None, vh.canonical(actions))
        replayed = {}
        for line in r.stdout.splitlines():
            d = json.loads(line)
            if d["rule"] in REPLAY_RULES:
                replayed.setdefault(d["vin"], []).append(key(d["rule"], d["event"], d.get("reason"), d.get("actions") or []))
        stored = {}
        rules = ",".join("'%s'" % x for x in REPLAY_RULES)
        for f in self.pg.rows("""SELECT vin, rule, event, reason, actions FROM firing
                WHERE rule IN (%s) AND inbox_id IS NOT NULL ORDER BY inbox_id, id""" % rules):
            stored.setdefault(f["vin"], []).append(key(f["rule"], f["event"], f["reason"], json.loads(f["actions"])))
        problems = []
        for vin in sorted(set(replayed) | set(stored)):
            a, b = stored.get(vin, []), replayed.get(vin, [])
            if a != b:
                at = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
                problems.append("vehicle %s: %d decisions stored, %d in the single-process replay; first difference at #%d: %s vs %s%s"
                                % (vin, len(a), len(b), at, a[at] if at < len(a) else "-", b[at] if at < len(b) else "-",
                                   self.dump_vehicle(vin) if len(problems) < 10 else ""))
        compared = sum(len(v) for v in stored.values())
        log("replay checked: %d vehicles, %d decisions of %s compared with a single-process replay of %d notifications "
            "(%d unprocessed): %s" % (len(set(replayed) | set(stored)), compared, "/".join(REPLAY_RULES), len(lines), unprocessed,
                                      "%d vehicles differ" % len(problems) if problems else "all equal"))
        # B2C serve also polls statuses (not in the inbox): its first observation of a car
        # may be a poll, so `seen` is only compared on the fleet, where every input is a
        # notification; a short B2C run may have no odometer change to compare.
        if compared == 0 and self.args.api == "b2b":
            problems.append("no decision of %s to compare with the replay" % "/".join(REPLAY_RULES))
        return problems[:10] + (["... and %d more vehicles" % (len(problems) - 10)] if len(problems) > 10 else []), compared

    def dump_vehicle(self, vin):
        """A replay mismatch's evidence, kept in the work folder (the database is dropped at
        the end): the vehicle's inbox rows and its decisions of REPLAY_RULES, each with the
        partition epoch and owner that committed it. Equal decisions have equal keys, so the
        per-vehicle lists cannot say WHICH row lost or gained one; these rows can."""
        path = os.path.join(self.work, "replay-%s.json" % vin)
        try:
            quoted = "'%s'" % vin.replace("'", "''")
            inbox = self.pg.rows("""SELECT id, received_at::text, processed, processed_at::text, partition, body
                FROM inbox WHERE vin = %s ORDER BY id""" % quoted)
            for r in inbox:
                body = json.loads(r.pop("body"))
                event = body.get("monitorEvent") if isinstance(body, dict) else None
                r["values"] = {v.get("data"): (v.get("value") or {}).get("body") for v in (event or {}).get("values", [])}
            rules = ",".join("'%s'" % x for x in REPLAY_RULES)
            commits = "harness_commit" if self.pg.value("SELECT to_regclass('harness_commit') IS NOT NULL AS present") else None
            firings = self.pg.rows("""SELECT f.id, f.inbox_id, f.rule, f.event, f.reason, f.at::text, f.recorded_at::text%s
                FROM firing f%s WHERE f.vin = %s AND f.rule IN (%s) ORDER BY f.id""" % (
                ", h.partition, h.epoch, h.owner" if commits else "",
                " LEFT JOIN harness_commit h ON h.firing_id = f.id" if commits else "", quoted, rules))
            with open(path, "w") as f:
                json.dump({"vin": vin, "inbox": inbox, "decisions": firings}, f, indent=1, sort_keys=True)
            return " (its rows: %s)" % path
        except Exception as e:
            return " (its rows could not be saved: %s)" % e

    def epoch_problems(self):
        """No commit from a stale epoch, and the takeover times (several instances): from
        the commit log (`install_commit_log`) and the lease watch."""
        rows = self.pg.rows("SELECT firing_id, partition, epoch, owner, role, at FROM harness_commit ORDER BY firing_id")
        problems, newest, first = [], {}, {}
        for r in rows:
            p, e, writer = r["partition"], r["epoch"], self.roles.get(r["role"])
            if writer is None or e is None or not writer.was(r["owner"]):
                problems.append("partition %s: decision %d written by %s while the lease (epoch %s) was %s's"
                                % (p, r["firing_id"], writer.name if writer else r["role"], e, r["owner"]))
                continue
            if p in newest and e < newest[p][0]:
                problems.append("partition %d: decision %d committed under epoch %d after decision %d of epoch %d"
                                % (p, r["firing_id"], e, newest[p][1], newest[p][0]))
            if p not in newest or e >= newest[p][0]:
                newest[p] = (e, r["firing_id"])
            first.setdefault((p, e), r["at"])
        log("commits checked: %d decisions, each written by its partition's lease owner under the epoch it was fenced by; "
            "%d partitions, %d epochs" % (len(rows), len(newest), len(first)))
        if not rows:
            problems.append("no decision was recorded by the commit log")
        epochs = self.watch.snapshot()
        with open(os.path.join(self.work, "leases.json"), "w") as f:
            json.dump({"epochs": [dict(v, partition=p, epoch=e) for (p, e), v in sorted(epochs.items())],
                       "first_commits": [{"partition": p, "epoch": e, "at": t} for (p, e), t in sorted(first.items())],
                       "outages": self.outages, "members": self.watch.members}, f, indent=1, sort_keys=True)
        def dead_epoch(partition, at):
            """The epoch (and lease) the dead or frozen owner held at `at`."""
            held = [(e, v) for (p, e), v in epochs.items() if p == partition and v["first_seen"] <= at]
            return max(held, key=lambda x: x[0]) if held else (None, None)
        dead = {(p, dead_epoch(p, at)[0]) for p, at, _ in self.outages}
        takeovers = []
        for partition, at, kind in self.outages:
            epoch, lease = dead_epoch(partition, at)
            if epoch is None or lease["released"]:
                continue
            # The grants after it, in order, up to the first that committed. A grant that
            # committed nothing and was given back (or lost) counts: the partition's rows
            # waited through it. A grant whose own owner died or froze before committing is
            # another outage, measured from that owner's last renewal: this one is
            # "interrupted" (two failures in a row), reported apart with its whole wait.
            commit, interrupted = None, False
            for e in sorted(e for (p, e) in epochs if p == partition and e > epoch):
                if (partition, e) in first:
                    commit = first[(partition, e)]
                    break
                if (partition, e) in dead:
                    interrupted = True
                    break
                self.idle_grants += 1
            if interrupted:
                later = [e for (p, e) in first if p == partition and e > epoch]
                wait = first[(partition, min(later))] - (lease["expires"] - self.args.lease) if later else None
                self.interrupted.append((wait, partition, kind))
                if self.args.timelines:
                    self.timeline(partition, kind, at, epoch, lease, epochs, first)
                continue
            if commit is None:
                continue
            takeovers.append((commit - (lease["expires"] - self.args.lease), partition, kind))
            if self.args.timelines or takeovers[-1][0] > 8:
                self.timeline(partition, kind, at, epoch, lease, epochs, first)
        return problems[:10] + (["... and %d more" % (len(problems) - 10)] if len(problems) > 10 else []), takeovers

    def instance_name(self, owner):
        return next((i.name for i in self.instances if i.was(owner)), owner)

    def timeline(self, partition, kind, at, epoch, lease, epochs, first):
        """Prints what happened to `partition` after its owner died or froze, in seconds
        after the dead owner's last renewal (the database's clock): the lease's expiry, each
        later epoch (its owner, when the lease watch first saw it, whether it was given
        back, its first commit), the partition's inbox rows received meanwhile."""
        renewal = lease["expires"] - self.args.lease
        lines = ["timeline of partition %d after a %s of %s at %+.2f s: lease (epoch %d) expires at %+.2f s"
                 % (partition, kind, self.instance_name(lease["owner"]), at - renewal, epoch, lease["expires"] - renewal)]
        committed = None
        for (p, e), v in sorted(epochs.items()):
            if p != partition or e <= epoch:
                continue
            commit = first.get((p, e))
            lines.append("  epoch %d: %s, seen from %+.2f s%s, first commit %s" % (
                e, self.instance_name(v["owner"]), v["db_first_seen"] - renewal,
                " (given back)" if v["released"] else "",
                "%+.2f s" % (commit - renewal) if commit is not None else "none"))
            if commit is not None and committed is None:
                committed = commit
        end = committed if committed is not None else renewal + 60
        members = ["%+.2f s: %d" % (t - renewal, n) for t, n in self.watch.members if renewal - 2 <= t <= end]
        if members:
            lines.append("  members alive: " + ", ".join(members))
        rows = self.pg.rows("""SELECT id, extract(epoch FROM received_at) AS received, processed FROM inbox
            WHERE partition = %d AND received_at > to_timestamp(%f) ORDER BY id LIMIT 200""" % (partition, renewal))
        before = [r for r in rows if committed is None or r["received"] <= committed]
        lines.append("  inbox rows of the partition received before that commit: %d%s" % (
            len(before), ", the first at %+.2f s" % (before[0]["received"] - renewal) if before else ""))
        for line in lines:
            log(line)
        if committed is None or committed - renewal > 8:
            self.dump_takeover(partition, epoch, renewal, end)

    def dump_takeover(self, partition, epoch, renewal, end):
        """Keeps, for a slow takeover, the decisions and commands of the partition's vehicles
        from a lease time before the dead owner's last renewal to just after the new owner's
        first commit (`takeover-p<N>-e<epoch>.json` in the work folder, times in seconds
        after that renewal): what the new owner could have decided, and what it waited for."""
        since, until = renewal - self.args.lease, end + 1
        firings = [r for r in self.pg.rows("""SELECT id, vin, rule, event, reason,
                extract(epoch FROM at) - %f AS at, extract(epoch FROM recorded_at) - %f AS recorded
            FROM firing WHERE recorded_at BETWEEN to_timestamp(%f) AND to_timestamp(%f) ORDER BY id"""
                % (renewal, renewal, since, until)) if fnv1a_partition(r["vin"], self.args.partitions) == partition]
        actions = [r for r in self.pg.rows("""SELECT a.id, a.vin, a.kind, a.status, f.rule,
                extract(epoch FROM a.created_at) - %f AS created, extract(epoch FROM a.sent_at) - %f AS sent,
                extract(epoch FROM a.done_at) - %f AS done, extract(epoch FROM a.updated_at) - %f AS updated
            FROM action a JOIN firing f ON f.id = a.firing_id
            WHERE a.created_at <= to_timestamp(%f) AND (a.done_at IS NULL OR a.done_at >= to_timestamp(%f))
            ORDER BY a.id""" % (renewal, renewal, renewal, renewal, until, since))
            if fnv1a_partition(r["vin"], self.args.partitions) == partition]
        path = os.path.join(self.work, "takeover-p%d-e%d.json" % (partition, epoch))
        with open(path, "w") as f:
            json.dump({"partition": partition, "epoch": epoch, "renewal": renewal, "firings": firings,
                       "actions": actions}, f, indent=1, sort_keys=True)
        log("  decisions and commands of the partition around it: %s" % path)

    def check(self, events):
        ledger = self.sim.notifications()
        remotes = self.sim.remotes()
        with open(os.path.join(self.work, "deliveries.json"), "w") as f:
            json.dump(ledger, f, sort_keys=True)    # the simulator's POSTs (timelines, diagnosis)
        reader = vh.PostgresReader(self.pg)
        problems = []
        found, acknowledged, inbox = vh.inbox_problems(self.args.api, ledger, reader)
        problems += found
        found, actions = vh.remote_problems(remotes, reader)
        problems += found
        found, _, twice = vh.decision_problems(reader, None)
        problems += found
        found, replayed = self.replay_problems()
        problems += found
        done = self.pg.value("SELECT count(*) AS n FROM action WHERE kind = 'remote' AND status IN ('succeeded', 'alreadyDone')")
        takeovers = []
        if self.args.instances > 1:
            found, takeovers = self.epoch_problems()
            problems += found
            log("events survived: %d (%d SIGKILL, %d zombies, %d connections killed by the server, %d graceful handoffs)"
                % (events, self.events["kill"], self.events["zombie"], self.events["dbkill"], self.events["handoff"]))
        else:
            log("events survived: %d (%d SIGKILL, %d connections killed by the server)"
                % (events, self.events["kill"], self.events["dbkill"]))
        log("notifications checked: %d answered 200 (%d POSTs, %d without a 200), inbox %d rows"
            % (len(acknowledged), len(ledger), sum(1 for d in ledger if d["status"] != 200), len(inbox)))
        log("remotes checked: %d POSTed, %d remote actions sent, %d succeeded"
            % (len(remotes), sum(actions.values()), done))
        total, fired, _ = reader.decision_counts()
        log("decisions checked: %d (%d fired), %d decided twice" % (total, fired, twice))
        if self.args.instances > 1:
            times = [t for t, _, _ in takeovers]
            log("takeovers measured: %d (last renewal of the dead owner -> first commit of the new one): "
                "p50 %.2f s, p99 %.2f s, max %.2f s (through %d grants that committed nothing)"
                % (len(times), percentile(times, 50), percentile(times, 99), max(times) if times else float("nan"),
                   self.idle_grants))
            if self.interrupted:
                log("takeovers interrupted by the new owner's own death or freeze before its first commit (each "
                    "measured as its own takeover): %d, whole waits %s" % (len(self.interrupted), ", ".join(
                        "partition %d after a %s: %s" % (p, k, "%.2f s" % w if w is not None else "no commit")
                        for w, p, k in sorted(self.interrupted, key=lambda x: (x[1], x[0] or 0)))))
            if not times:
                problems.append("no takeover was measured (no owner died or froze while holding a partition)")
            elif percentile(times, 99) > 8:
                slow = ", ".join("partition %d after a %s: %.2f s" % (p, kind, t) for t, p, kind in sorted(takeovers) if t > 8)
                problems.append("takeover p99 %.2f s is over 8 s (%s)" % (percentile(times, 99), slow))
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


# A backend for --check-balancer: answers every request 200 with its name, and notes each
# POST it handles in its log (flushed), so the check can see where requests went.
TOY_BACKEND = r"""
import http.server, sys
name, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.answer()
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(path, "a") as f:
            f.write("POST %s\n" % self.path)
        self.answer()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def check_balancer(work):
    """The load balancer's part of a zombie (docs/cluster.md "Topology"): haproxy with the
    harness's configuration in front of two backends, one of them frozen (SIGSTOP) just
    before webhooks are POSTed. Every POST must be answered 200 by the live backend well
    before the API's own time-out, and the frozen one must have taken some of them (seen
    in its log once it is resumed). Returns the problems found."""
    import concurrent.futures
    names = ("frozen", "live")
    ports = {n: vh.free_port() for n in names}
    logs = {n: os.path.join(work, "backend-%s.log" % n) for n in names}
    # Their stderr (resets of health checks haproxy gave up on) goes beside their logs.
    backends = {n: subprocess.Popen([sys.executable, "-c", TOY_BACKEND, n, str(ports[n]), logs[n]],
                                    stderr=open(logs[n] + ".err", "w")) for n in names}
    haproxy = Haproxy(work, vh.free_port(), [])
    problems = []
    try:
        for n in names:
            def up(n=n):
                with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % ports[n], timeout=2) as r:
                    return r.read().decode() == n
            vh.wait_for(up, "backend " + n, timeout=20)
        haproxy.start(servers=[(n, ports[n], ports[n]) for n in names])
        backends["frozen"].send_signal(signal.SIGSTOP)
        began = time.time()
        limit = Haproxy.RESPONSE_TIMEOUT + 4     # well below the API's 10 s
        def post(i):
            request = urllib.request.Request("http://127.0.0.1:%d/webhook/%d" % (haproxy.port, i), data=b"{}",
                                             method="POST", headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=limit) as r:
                    return r.status, r.read().decode(), time.time() - began
            except Exception as e:
                return None, str(e), time.time() - began
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(post, range(4)))
        for i, (status, body, took) in enumerate(answers):
            log("balancer check: POST %d answered %s by %s after %.2f s" % (i, status, body or "-", took))
            if status != 200:
                problems.append("POST %d with one backend frozen: no 200 within %d s (%s)" % (i, limit, body))
        backends["frozen"].send_signal(signal.SIGCONT)
        # Resumed, the frozen backend handles what it had taken (haproxy gave up on it).
        def taken():
            return os.path.exists(logs["frozen"]) and open(logs["frozen"]).read().count("POST") > 0
        try:
            vh.wait_for(taken, "the frozen backend to log the POSTs it had taken", timeout=10)
        except RuntimeError:
            problems.append("the frozen backend took none of the POSTs: the check did not test a frozen instance")
    finally:
        for b in backends.values():
            b.send_signal(signal.SIGCONT)
            b.kill()
            b.wait()
        haproxy.stop()
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--vigie", default=os.environ.get("VIGIE", ".build/debug/vigie"), help="the vigie binary")
    p.add_argument("--postgres", default=os.environ.get("VIGIE_TEST_POSTGRES_URL"),
                   help="a superuser URL of the cluster (default $VIGIE_TEST_POSTGRES_URL)")
    p.add_argument("--instances", type=int, default=1, help="instances of vigie serve (more than 1: behind haproxy, B2B)")
    p.add_argument("--partitions", type=int, default=16, help="P, with several instances (default 16)")
    p.add_argument("--lease", type=float, default=5, help="the lease time in seconds, with several instances (default 5)")
    p.add_argument("--post-deadline", type=float, default=10,
                   help="store.postgres.post_deadline in seconds, with partitions (default 10: the simulator answers at once)")
    p.add_argument("--events", type=int, default=10, help="chaos events (default 10)")
    p.add_argument("--seed", type=int, default=1, help="seeds the event moments and the simulated world")
    p.add_argument("--vehicles", type=int, default=10)
    p.add_argument("--speed", type=float, default=120, help="simulated seconds per real second")
    p.add_argument("--tick", type=float, help="the per-car timer rule's period, seconds (default 1; 5 with several instances)")
    p.add_argument("--window", type=float, default=0, help="engine.reorder_window of serve, seconds (default 0)")
    p.add_argument("--min-gap", type=float, default=0.5, help="shortest real time between events, seconds")
    p.add_argument("--max-gap", type=float, default=2.5, help="longest real time between events, seconds")
    p.add_argument("--settle", type=float, default=4, help="seconds after the last event before checking")
    p.add_argument("--timelines", action="store_true",
                   help="print every takeover's timeline (those over 8 s always are)")
    p.add_argument("--workdir", help="keep files here (default: a new temporary folder)")
    p.add_argument("--api", choices=["b2c", "b2b"], help="the API kind (default b2c; b2b with several instances)")
    p.add_argument("--migrate", action="store_true",
                   help="serve on SQLite for the first half of the events, `vigie migrate` to PostgreSQL, then serve there")
    p.add_argument("--check-balancer", action="store_true",
                   help="only check the load balancer's configuration with a frozen backend (no PostgreSQL, no vigie)")
    args = p.parse_args()
    if args.check_balancer:
        work = args.workdir or tempfile.mkdtemp(prefix="vigie-balancer-")
        os.makedirs(work, exist_ok=True)
        problems = check_balancer(work)
        for problem in problems:
            log("FAIL: " + problem)
        if not problems:
            log("balancer check passed: with one backend frozen, every POST was answered 200 by the other")
        sys.exit(1 if problems else 0)
    if not args.postgres:
        log("error: no PostgreSQL: give --postgres URL or set VIGIE_TEST_POSTGRES_URL (scripts/pg-test-cluster.sh start)")
        sys.exit(2)
    if args.instances < 1 or args.partitions < 1 or args.lease <= 0:
        p.error("--instances, --partitions and --lease must be positive")
    if args.instances > 1 and (args.migrate or args.api == "b2c"):
        p.error("several instances run the fleet (B2B) on PostgreSQL: not with --migrate or --api b2c")
    if args.events < 0 or args.min_gap < 0 or args.max_gap < args.min_gap:
        p.error("--events must be >= 0 and 0 <= --min-gap <= --max-gap")
    args.api = args.api or ("b2b" if args.instances > 1 else "b2c")
    args.tick = args.tick or (5 if args.instances > 1 else 1)
    args.vigie = os.path.abspath(args.vigie)
    work = args.workdir or tempfile.mkdtemp(prefix="vigie-cluster-")
    h = ClusterHarness(args, work, vh.Postgres(args.postgres))
    log("cluster test (%s): %d instance(s), %d events, seed %d, %d vehicles, speed x%g, files in %s"
        % (args.api.upper(), args.instances, args.events, args.seed, args.vehicles, args.speed, work))
    try:
        events = h.run()
        code = h.check(events)
    except (vh.ServeDied, ServeHung) as e:
        log("FAIL: after %d events, %s" % (h.kills, e))
        code = 1
    except Exception as e:
        log("error: %s" % e)
        code = 2
    finally:
        h.stop_all()
        h.drop_database()
        h.drop_roles()
    sys.exit(code)


if __name__ == "__main__":
    main()
