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
import argparse, os, random, sqlite3, sys, tempfile, time

sys.dont_write_bytecode = True    # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vigie_harness as vh
from vigie_harness import log, ServeDied


class Harness:
    def __init__(self, args, mode, window, work):
        self.args = args
        self.mode = mode
        self.vigie = args.vigie
        self.work = work
        os.makedirs(self.work, exist_ok=True)
        self.rng = random.Random("%d/%s" % (args.seed, mode))
        self.sim = vh.Simulator(self.vigie, self.work, args.vehicles, args.seed, args.speed)
        self.serve = None
        self.serve_port = vh.free_port()
        # The admin listener (/healthz, /metrics) on a free port too: its default, 9464,
        # would collide with any other serve on the machine.
        self.admin_port = vh.free_port()
        self.db = os.path.join(self.work, "vigie.sqlite")
        # The reorder window of this run's serve (seconds); kill gaps are this plus
        # uniform(--min-gap, --max-gap), so with a window the engine decides between kills.
        self.window = window
        self.last_kill = None
        self.kills = 0

    def write_config(self):
        w = self.work
        with open(os.path.join(w, "crash-test.yaml"), "w") as f:
            f.write(vh.BUNDLE + (vh.SEEN_RULE if self.args.api == "b2b" else ""))
        vh.write_secrets(w, self.sim.banner, self.rng)
        self.config = os.path.join(w, "vigie.yaml")
        with open(self.config, "w") as f:
            f.write(vh.serve_config(self.sim, self.args.api, "http://127.0.0.1:%d" % self.serve_port,
                                    self.serve_port, self.admin_port, self.window))

    def run_checked(self, *cmd):
        return vh.run_vigie(self.vigie, self.work, *cmd)

    def start_serve(self):
        self.serve = vh.ServeProcess(self.vigie, self.work, self.config, self.serve_port, self.admin_port)
        self.serve.start()

    def kill_serve(self):
        self.serve.kill()

    def stop_all(self):
        if self.serve is not None:
            self.serve.stop_quietly()
        self.sim.stop()

    def run(self):
        self.sim.start()
        self.write_config()
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
        self.serve.stop()
        self.serve = None
        return kills

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
        """See `vigie_harness.decision_problems`: nothing decided twice, decisions recorded
        before the last kill."""
        problems, summary, _ = vh.decision_problems(vh.SQLiteReader(con), self.last_kill)
        log(summary)
        return problems

    def check(self, kills):
        ledger = self.sim.notifications()
        remotes = self.sim.remotes()
        con = sqlite3.connect(self.db)
        reader = vh.SQLiteReader(con)
        problems = []
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append("integrity_check: " + integrity)
        found, acknowledged, inbox = vh.inbox_problems(self.args.api, ledger, reader)
        problems += found
        found, actions = vh.remote_problems(remotes, reader)
        problems += found
        if self.args.api == "b2b":
            problems += self.fleet_problems(con, ledger)
        problems += self.decision_problems(con)
        log("kills survived: %d" % kills)
        log("notifications checked: %d answered 200 (%d POSTs, %d without a 200), inbox %d rows"
            % (len(acknowledged), len(ledger), sum(1 for d in ledger if d["status"] != 200), len(inbox)))
        sent_before = 0
        if self.last_kill is not None:
            sent_before = con.execute("SELECT COUNT(*) FROM action WHERE kind = 'remote' AND sentAt < ?",
                                      (vh.utc_text(self.last_kill),)).fetchone()[0]
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
        with tempfile.TemporaryDirectory(prefix="vigie-crash-check-") as scratch:
            h = Harness(args, "check", 0, scratch)
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
