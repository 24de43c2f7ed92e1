import Foundation
import OutcomeStore
import VehicleData

// The checks of `RuntimeStoreConformance`, one invariant each.
extension RuntimeStoreConformance {
    private typealias C = RuntimeStoreConformance

    /// A dedup key is stored once: repeated in a batch, across batches, and by concurrent
    /// receivers (exactly one of them stores it).
    @Sendable func dedupKeyIsUnique(_ store: any RuntimeStore) async throws {
        let receipts = try await store.appendIntake([
            IntakeBatch(notifications: [C.notification("k1"), C.notification("k2"), C.notification("k1")]),
            IntakeBatch(notifications: [C.notification("k2"), C.notification("k3")],
                        deadLetters: [.init(source: "webhook", body: "{}", error: "no vin")]),
        ], at: C.at(0))
        try expectEqual(receipts.map(\.storedIds.count), [2, 1], "stored per batch")
        try expectEqual(receipts.map(\.duplicates), [1, 1], "duplicates per batch")
        try expectEqual(receipts.map(\.deadLetters), [0, 1], "dead letters per batch")
        let again = try await store.appendIntake([IntakeBatch(notifications: [C.notification("k3"), C.notification("k4")])],
                                                 at: C.at(1))
        try expectEqual(again[0].storedIds.count, 1, "a later batch repeating k3")
        let stored = try await store.unprocessedInbox(after: 0, limit: 100)
        try expectEqual(stored.map(\.dedupKey), ["k1", "k2", "k3", "k4"], "inbox keys")
        try expectEqual(try await store.deadLetters().map(\.error), ["no vin"], "dead letters")

        let storedByRace = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    try await store.appendIntake([IntakeBatch(notifications: [C.notification("raced")])], at: C.at(2))[0]
                        .storedIds.count
                }
            }
            return try await group.reduce(0, +)
        }
        try expectEqual(storedByRace, 1, "concurrent receivers storing one key")
    }

    /// Rows come back in commit order: paging with `after` never skips a row, even while
    /// concurrent receivers commit (a reader that went past an id never sees a smaller
    /// one appear later).
    @Sendable func inboxIsReadInCommitOrder(_ store: any RuntimeStore) async throws {
        var expected: [Int64] = []
        for i in 0..<5 {
            let receipt = try await store.appendIntake([IntakeBatch(notifications: [C.notification("s\(i)a"),
                                                                                   C.notification("s\(i)b")])],
                                                       at: C.at(Double(i)))
            expected += receipt[0].storedIds
        }
        let all = try await store.unprocessedInbox(after: 0, limit: 100)
        try expectEqual(all.map { $0.id ?? -1 }, expected, "ids in commit order")
        try expectEqual(try await store.unprocessedInbox(after: expected[3], limit: 2).map { $0.id ?? -1 },
                        Array(expected[4...5]), "a page after the 4th row")
        try await store.markProcessed(Array(expected[0..<4]), at: C.at(10))
        try expectEqual(try await store.unprocessedInbox(after: 0, limit: 100).map { $0.id ?? -1 },
                        Array(expected[4...]), "unprocessed rows after marking four")

        // Concurrent writers, one reader paging on: every committed row is read once.
        let writers = concurrency
        let perWriter = 25
        let start = expected.last ?? 0
        let reader = Task { () -> [Int64] in
            var seen: [Int64] = []
            var last = start
            var idle = 0
            while idle < 3 {
                let rows = try await store.unprocessedInbox(after: last, limit: 50)
                if rows.isEmpty { idle += 1; await Task.yield(); continue }
                for row in rows { seen.append(row.id ?? -1) }
                last = rows.last?.id ?? last
            }
            return seen
        }
        let committed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for w in 0..<writers {
                group.addTask {
                    var ids: [Int64] = []
                    for i in 0..<perWriter {
                        ids += try await store.appendIntake([IntakeBatch(notifications: [C.notification("w\(w)-\(i)")])],
                                                            at: C.at(20))[0].storedIds
                    }
                    return ids
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        var seen = try await reader.value
        // The reader may have stopped before the last commits: it pages on, as the engine does.
        var last = seen.last ?? expected.last ?? 0
        while true {
            let rows = try await store.unprocessedInbox(after: last, limit: 50)
            guard let tail = rows.last?.id else { break }
            seen += rows.map { $0.id ?? -1 }
            last = tail
        }
        try expectEqual(seen.count, Set(seen).count, "rows read twice")
        try expectEqual(Set(seen), Set(committed), "rows read by paging vs rows committed")
        try expect(seen == seen.sorted(), "ids read out of order")
    }

    /// One decision step is all or nothing: a failure at its last write leaves no
    /// decision, command, engine state or processed mark behind.
    @Sendable func decisionStepIsAtomic(_ store: any RuntimeStore) async throws {
        let inbox = try await store.appendIntake([IntakeBatch(notifications: [C.notification("n1")])], at: C.at(0))[0]
        try await armFailure(store)
        let decisions = [C.fired(1, notify: "low"), C.fired(2, vin: "V2")]
        let failing = DecisionCommit(scope: C.failingScope, decisions: decisions, vehicleStates: ["V1": Data("s1".utf8)],
                                     checkpoint: .init(position: 7, at: C.at(2), state: Data("g".utf8)),
                                     processedInboxIds: inbox.storedIds)
        var threw = false
        do { try await store.commit(failing, now: C.at(3)) } catch { threw = true }
        try expect(threw, "commit with an injected failure did not throw")
        threw = false
        do {
            _ = try await store.commitDispatchStep(DispatchStep(commit: failing, cancelsRunning: [false, false]),
                                                   at: C.at(3), retry: C.noRetry)
        } catch { threw = true }
        try expect(threw, "commitDispatchStep with an injected failure did not throw")
        try expectEqual(try await store.decisionCount(), 0, "decisions left by failed steps")
        try expectEqual(try await store.nextDispatchItems(at: C.at(3600), limit: 10).count, 0, "commands left")
        let state = try await store.engineState(scope: C.failingScope)
        try expect(state.checkpoint == nil && state.vehicles.isEmpty, "engine state left by a failed step")
        try expectEqual(try await store.unprocessedInbox(after: 0, limit: 10).map { $0.id ?? -1 }, inbox.storedIds,
                        "inbox rows marked by a failed step")
        try expectEqual(try await store.runtimeQueueDepths().outboxQueued, 0, "outbox rows left")

        var working = failing
        working.scope = "serve"
        let result = try await store.commitDispatchStep(DispatchStep(commit: working, cancelsRunning: [false, false]),
                                                        at: C.at(3), retry: C.noRetry)
        try expectEqual(result.firingIds.count, 2, "firing ids of the step")
        try expectEqual(try await store.decisionCount(), 2, "decisions of the step")
        try expectEqual(try await store.nextDispatchItems(at: C.at(3600), limit: 10).map(\.vin), ["V1", "V2"],
                        "commands of the step")
        try expectEqual(try await store.engineState(scope: "serve").checkpoint?.position, 7, "checkpoint of the step")
        try expectEqual(try await store.unprocessedInbox(after: 0, limit: 10).count, 0, "inbox processed by the step")
    }

    /// At most one command per vehicle is in flight; the next one waits for it.
    @Sendable func oneCommandInFlightPerVehicle(_ store: any RuntimeStore) async throws {
        let items = try await C.queue([C.fired(1), C.fired(2), C.fired(3, vin: "V2")], in: store)
        try expectEqual(items.map(\.vin), ["V1", "V2"], "next items: one per vehicle")
        let outbox = try await store.inFlightDispatchItems()
        try expect(outbox.isEmpty, "nothing in flight yet")
        let first = items[0]
        try expectEqual(try await store.beginAttempt(outboxId: first.outboxId, at: C.at(10)), 1, "first attempt")
        // The vehicle's second command, claimed directly: refused while the first flies.
        let second = try await secondQueuedItem(of: "V1", after: first, in: store)
        try await expectNotClaimable(store, second, "the second command of a vehicle with one in flight")
        // Racing claims of both V1 commands on a fresh vehicle: one wins.
        let racers = try await C.queue([C.fired(4, vin: "V3"), C.fired(5, vin: "V3")], in: store)
            .filter { $0.vin == "V3" }
        try expectEqual(racers.count, 1, "next items of V3")
        let v3Second = try await secondQueuedItem(of: "V3", after: racers[0], in: store)
        let wins = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<concurrency {
                let item = i % 2 == 0 ? racers[0] : v3Second
                group.addTask {
                    do { _ = try await store.beginAttempt(outboxId: item.outboxId, at: C.at(11)); return 1 }
                    catch is OutcomeStoreError { return 0 }
                }
            }
            return try await group.reduce(0, +)
        }
        try expectEqual(wins, 1, "claims won among racing claimers of one vehicle's two commands")
        let flying = try await store.inFlightDispatchItems()
        try expectEqual(flying.map(\.vin).sorted(), ["V1", "V3"], "vehicles in flight")
        _ = try await store.finishDispatch(actionId: first.actionId, status: .succeeded, failureCause: nil, detail: nil,
                                           httpStatus: nil, at: C.at(12))
        try expectEqual(try await store.nextDispatchItems(at: C.at(3600), limit: 10).map(\.outboxId),
                        [second.outboxId, items[1].outboxId], "next items once V1's first command is done")
        try expectEqual(try await store.beginAttempt(outboxId: second.outboxId, at: C.at(13)), 1,
                        "V1's second command once the first is done")
    }

    /// A command is claimed only while queued: not twice, not once finished, and by one of
    /// many concurrent claimers.
    @Sendable func claimOnlyWhileQueued(_ store: any RuntimeStore) async throws {
        let items = try await C.queue([C.fired(1), C.fired(1, vin: "V2")], in: store)
        let wins = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    do { _ = try await store.beginAttempt(outboxId: items[0].outboxId, at: C.at(10)); return 1 }
                    catch is OutcomeStoreError { return 0 }
                }
            }
            return try await group.reduce(0, +)
        }
        try expectEqual(wins, 1, "concurrent claims of one command that succeeded")
        try await expectNotClaimable(store, items[0], "a command in flight")
        _ = try await store.finishDispatch(actionId: items[0].actionId, status: .failed, failureCause: "x", detail: nil,
                                           httpStatus: 400, at: C.at(11))
        try await expectNotClaimable(store, items[0], "a finished command")
        try expectEqual(try await store.beginAttempt(outboxId: items[1].outboxId, at: C.at(12)), 1, "V2's claim")
        try await store.requeueDispatch(actionId: items[1].actionId, httpStatus: 503, detail: "retry",
                                        retryAt: C.at(100), at: C.at(13))
        try expect(try await store.nextDispatchItems(at: C.at(50), limit: 10).isEmpty, "a requeued command before its time")
        try expectEqual(try await store.nextDispatchItems(at: C.at(100), limit: 10).map(\.outboxId), [items[1].outboxId],
                        "a requeued command at its time")
        try expectEqual(try await store.beginAttempt(outboxId: items[1].outboxId, at: C.at(101)), 2, "the claim after a requeue")
        var unknown = false
        do { _ = try await store.beginAttempt(outboxId: 987_654, at: C.at(102)) } catch is OutcomeStoreError { unknown = true }
        try expect(unknown, "claiming an unknown outbox item did not throw OutcomeStoreError")
    }

    /// Attempt numbers are 1, 2, 3… per command, each opened once and closed with its outcome.
    @Sendable func attemptsAreUniquePerCommand(_ store: any RuntimeStore) async throws {
        let item = try await C.queue([C.fired(1)], in: store)[0]
        for n in 1...3 {
            try expectEqual(try await store.beginAttempt(outboxId: item.outboxId, at: C.at(Double(10 * n))), n, "attempt \(n)")
            if n < 3 {
                try await store.requeueDispatch(actionId: item.actionId, httpStatus: 500, detail: "try \(n)",
                                                retryAt: C.at(Double(10 * n + 1)), at: C.at(Double(10 * n + 1)))
            }
        }
        let transitions = try await store.recordDispatchAccepted(actionId: item.actionId, remoteActionId: "R1",
                                                                 httpStatus: 202, at: C.at(40), retry: C.noRetry)
        try expect(transitions.isEmpty, "no early remote event to apply")
        let attempts = try await store.attempts(actionId: item.actionId)
        try expectEqual(attempts.map(\.attempt), [1, 2, 3], "attempt numbers")
        try expectEqual(attempts.map(\.outcome), ["retry", "retry", "accepted"], "attempt outcomes")
        try expectEqual(attempts.last?.remoteActionId, "R1", "remote id of the accepted attempt")
        try expectEqual(try await store.knownRemoteActionIds(vin: "V1"), ["R1"], "known remote ids")
        try expectEqual(try await store.inFlightDispatchItems().first?.remoteActionId, "R1", "in-flight item's remote id")
    }

    /// One open hold per kind and scope, also under concurrent pauses; lifting reopens it.
    @Sendable func oneOpenHoldPerScope(_ store: any RuntimeStore) async throws {
        let v0 = try await store.controlVersion()
        let hold = ControlHoldRecord(kind: .pause, vin: "V1", reason: "test", createdAt: C.at(0))
        let first = try await store.addHold(hold, detail: nil)
        try expect(first.isNew && first.hold.id != nil, "the first pause is new")
        let again = try await store.addHold(hold, detail: nil)
        try expect(!again.isNew && again.hold.id == first.hold.id, "pausing twice returns the open hold")
        let v1 = try await store.controlVersion()
        try expect(v1 != v0, "controlVersion did not change with a new hold")

        let news = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    let result = try await store.addHold(ControlHoldRecord(kind: .pause, bundle: "ev", createdAt: C.at(1)),
                                                         detail: nil)
                    return result.isNew ? 1 : 0
                }
            }
            return try await group.reduce(0, +)
        }
        try expectEqual(news, 1, "new holds among concurrent pauses of one bundle")
        try expectEqual(try await store.activeHolds().count, 2, "open holds")
        try expectEqual(try await store.controlEvents(kind: .paused, vin: nil, since: nil).count, 2, "paused journal entries")

        let lifted = try await store.resumeHolds(matching: ControlSelector(vin: "V1"), kinds: [.pause], at: C.at(5),
                                                 detail: "done")
        try expectEqual(lifted.map(\.id), [first.hold.id], "holds lifted")
        try expect(try await store.controlVersion() != v1, "controlVersion did not change with a lift")
        try expectEqual(try await store.holds(activeOrResumedSince: C.at(4)).count, 2, "open and recently lifted holds")
        try expectEqual(try await store.holds(activeOrResumedSince: C.at(6)).count, 1, "holds lifted before `since`")
        try expectEqual(try await store.activeHolds().count, 1, "open holds after the lift")
        try expect(try await store.addHold(hold, detail: nil).isNew, "a pause after a lift is new")

        try await store.syncConfigHold(paused: true, at: C.at(7))
        try await store.syncConfigHold(paused: true, at: C.at(8))
        try expectEqual(try await store.activeHolds().filter { $0.kind == .config }.count, 1, "config holds")
        try await store.syncConfigHold(paused: false, at: C.at(9))
        try expect(try await store.activeHolds().allSatisfy { $0.kind != .config }, "config hold lifted")

        let event = try await store.recordControlEvent(ControlEventRecord(at: C.at(10), kind: .flapStarted, vin: "V9",
                                                                          bundle: "b", rule: "r", detail: "flap"))
        try expect(event.id != nil, "a recorded control event has an id")
        try expectEqual(try await store.openFlapHolds().map(\.vin), ["V9"], "open flap holds")
        _ = try await store.recordControlEvent(ControlEventRecord(at: C.at(11), kind: .flapEnded, vin: "V9",
                                                                  bundle: "b", rule: "r"))
        try expect(try await store.openFlapHolds().isEmpty, "flap hold closed")
        let lastTwo = try await store.controlEvents(limit: 2)
        try expectEqual(lastTwo.map(\.kind), [.flapStarted, .flapEnded], "the journal's last two entries")
    }

    /// A claimed command counts in `commandsSent` from the claim's transaction on, and a
    /// wake-up counts as one.
    @Sendable func budgetCountsTheClaim(_ store: any RuntimeStore) async throws {
        let items = try await C.queue([C.fired(1, remote: C.wakeUp), C.fired(2)], in: store)
        let window = (from: C.at(0), to: C.at(86_400))
        try expectEqual(try await sent(store, window), [0, 0], "before any claim")
        _ = try await store.beginAttempt(outboxId: items[0].outboxId, at: C.at(10))
        try expectEqual(try await sent(store, window), [1, 1], "once the wake-up is claimed")
        _ = try await store.recordDispatchAccepted(actionId: items[0].actionId, remoteActionId: "W1", httpStatus: 202,
                                                   at: C.at(11), retry: C.noRetry)
        _ = try await store.finishDispatch(actionId: items[0].actionId, status: .succeeded, failureCause: nil,
                                           detail: nil, httpStatus: nil, at: C.at(12))
        try expectEqual(try await sent(store, window), [1, 1], "once the wake-up is done")
        let next = try await store.nextDispatchItems(at: C.at(13), limit: 10)
        try expectEqual(next.map(\.outboxId), [items[0].outboxId + 1], "the second command")
        _ = try await store.beginAttempt(outboxId: next[0].outboxId, at: C.at(14))
        try expectEqual(try await sent(store, window), [2, 1], "once the second is claimed")
        try await store.requeueDispatch(actionId: next[0].actionId, httpStatus: 503, detail: "x", retryAt: C.at(20),
                                        at: C.at(15))
        try expectEqual(try await sent(store, window), [1, 1], "a requeued command that never went out")
        try expectEqual(try await sent(store, (C.at(12), C.at(86_400))), [0, 0], "a window after the wake-up")
        try expectEqual(try await store.unfinishedFirings(), [FiringKey(vin: "V1", bundle: "b", rule: "r"): 1],
                        "unfinished firings")
    }

    private func sent(_ store: any RuntimeStore, _ window: (from: Date, to: Date)) async throws -> [Int] {
        let counts = try await store.commandsSent(vin: "V1", from: window.from, to: window.to)
        return [counts.commands, counts.wakeUps]
    }

    /// Engine state and checkpoints come back as saved; a reset forgets them.
    @Sendable func checkpointsRoundTrip(_ store: any RuntimeStore) async throws {
        let empty = try await store.engineState(scope: "serve")
        try expect(empty.checkpoint == nil && empty.vehicles.isEmpty, "a new store has no engine state")
        let blob = Data((0..<300).map { UInt8($0 % 256) })
        try await store.commit(DecisionCommit(scope: "serve", vehicleStates: ["V1": blob, "V2": Data("{}".utf8)],
                                              checkpoint: .init(position: 42, at: C.at(1.25), state: Data("g1".utf8))),
                               now: C.at(2))
        try await store.commit(DecisionCommit(scope: "dry-run", vehicleStates: ["V1": Data("other".utf8)],
                                              checkpoint: .init(position: 1)), now: C.at(2))
        try await store.commit(DecisionCommit(scope: "serve", vehicleStates: ["V2": Data("{\"x\":1}".utf8)],
                                              checkpoint: .init(position: 43, at: C.at(3), state: Data("g2".utf8))),
                               now: C.at(4))
        let saved = try await store.engineState(scope: "serve")
        try expectEqual(saved.vehicles, ["V1": blob, "V2": Data("{\"x\":1}".utf8)], "vehicle snapshots")
        try expectEqual(saved.checkpoint?.position, 43, "checkpoint position")
        try expectEqual(saved.checkpoint?.at, C.at(3), "checkpoint instant")
        try expectEqual(saved.checkpoint?.state, Data("g2".utf8), "checkpoint state")
        try await store.resetEngineState(scope: "serve")
        let reset = try await store.engineState(scope: "serve")
        try expect(reset.checkpoint == nil && reset.vehicles.isEmpty, "state left after a reset")
        try expectEqual(try await store.engineState(scope: "dry-run").vehicles, ["V1": Data("other".utf8)],
                        "another scope after a reset")
    }

    /// `loggedDecisions` filters and orders decisions with their actions' outcomes.
    @Sendable func logQueries(_ store: any RuntimeStore) async throws {
        let suppressed = DecisionRecord(at: C.at(30), vin: "V1", bundle: "b", rule: "r", event: .suppressed,
                                        reason: "cooldown", actions: [])
        try await store.commit(DecisionCommit(scope: "serve", decisions: [
            C.fired(10, notify: "hello"), C.fired(20, vin: "V2", rule: "q", bundle: "c"), suppressed,
            C.fired(40, rule: "q"),
        ]), now: C.at(50))
        try expectEqual(try await store.decisionCount(), 4, "decision count")
        let all = try await store.loggedDecisions(LogFilter())
        try expectEqual(all.map(\.firing.at), [C.at(10), C.at(20), C.at(30), C.at(40)], "order by instant")
        try expectEqual(all[0].decision, C.fired(10, notify: "hello"), "a decision read back")
        try expectEqual(all[0].actionRecords.map(\.status), ["queued", "notified"], "action statuses")
        try expectEqual(all[0].actionRecords.map(\.position), [0, 1], "action positions")
        try expectEqual(all[2].decision.reason, "cooldown", "a suppression's reason")
        try expectEqual(try await store.loggedDecisions(LogFilter(vin: "V1")).count, 3, "by vin")
        try expectEqual(try await store.loggedDecisions(LogFilter(rule: "q")).count, 2, "by rule")
        try expectEqual(try await store.loggedDecisions(LogFilter(bundle: "c")).map(\.firing.vin), ["V2"], "by bundle")
        try expectEqual(try await store.loggedDecisions(LogFilter(since: C.at(20), until: C.at(40))).map(\.firing.at),
                        [C.at(20), C.at(30)], "since (inclusive) until (exclusive)")
        try expectEqual(try await store.loggedDecisions(LogFilter(limit: 2)).map(\.firing.at), [C.at(30), C.at(40)],
                        "the last two, oldest first")
    }

    /// Remote progress that arrives before the POST's answer is kept and applied when the
    /// remote id is recorded; queue depths follow the commands.
    @Sendable func remoteEventsAndQueueDepths(_ store: any RuntimeStore) async throws {
        _ = try await store.appendIntake([IntakeBatch(notifications: [C.notification("q1")])], at: C.at(0))
        let items = try await C.queue([C.fired(1), C.fired(2, vin: "V2")], in: store)
        var depths = try await store.runtimeQueueDepths()
        try expectEqual([depths.inboxUnprocessed, depths.outboxQueued, depths.outboxInFlight], [1, 2, 0], "depths at first")
        _ = try await store.beginAttempt(outboxId: items[0].outboxId, at: C.at(10))
        let early = DispatchRemoteEvent(remoteActionId: "R9", type: "Done", status: "Success", inboxId: nil)
        let step = try await store.commitDispatchStep(
            DispatchStep(commit: DecisionCommit(scope: "serve"), remoteEvents: [early]), at: C.at(11), retry: C.noRetry)
        try expectEqual(step.unmatchedEvents, 1, "a Done before its command's id is known")
        try expect(step.transitions.isEmpty, "an unmatched event moves nothing")
        let applied = try await store.recordDispatchAccepted(actionId: items[0].actionId, remoteActionId: "R9",
                                                             httpStatus: 202, at: C.at(12), retry: C.noRetry)
        try expectEqual(applied.map(\.status), [.succeeded], "the early Done applied on acceptance")
        try expectEqual(applied.first?.completed, FiringKey(vin: "V1", bundle: "b", rule: "r"), "the decision completed")
        try expectEqual(applied.first?.rule, "r", "the transition names its rule")
        depths = try await store.runtimeQueueDepths()
        try expectEqual([depths.inboxUnprocessed, depths.outboxQueued, depths.outboxInFlight], [1, 1, 0], "depths after")

        // mode: restart cancels the queued command of the same rule and vehicle.
        let restart = try await store.commitDispatchStep(
            DispatchStep(commit: DecisionCommit(scope: "serve", decisions: [C.fired(20, vin: "V2")]), cancelsRunning: [true]),
            at: C.at(20), retry: C.noRetry)
        try expectEqual(restart.transitions.map(\.actionId), [items[1].actionId], "actions cancelled by a restart")
        try expectEqual(restart.transitions.map(\.status), [.skipped], "a cancelled action's status")
        try await store.addDeadLetter(source: "inbox", body: "?", error: "undecodable", at: C.at(21))
        try expectEqual(try await store.deadLetters().map(\.source), ["inbox"], "dead letters")
        try await store.ping()
    }

    // MARK: Helpers

    /// The queued command of `vin` after `first` (not offered by `nextDispatchItems` while
    /// `first` waits or flies), found through the log's action ids.
    private func secondQueuedItem(of vin: String, after first: DispatchItem,
                                  in store: any RuntimeStore) async throws -> DispatchItem {
        let records = try await store.loggedDecisions(LogFilter(vin: vin)).flatMap(\.actionRecords)
        guard let next = records.first(where: { $0.kind == "remote" && ($0.id ?? 0) > first.actionId && $0.status == "queued" })
        else { throw Failure(check: "", message: "no second queued command of \(vin)") }
        // Outbox ids follow action ids one to one in insertion order.
        var item = first
        item.actionId = next.id ?? 0
        item.outboxId = first.outboxId + ((next.id ?? 0) - first.actionId)
        return item
    }

    private func expectNotClaimable(_ store: any RuntimeStore, _ item: DispatchItem, _ what: String) async throws {
        do {
            let attempt = try await store.beginAttempt(outboxId: item.outboxId, at: C.at(1000))
            throw Failure(check: "", message: "\(what) was claimed (attempt \(attempt))")
        } catch let error as OutcomeStoreError {
            guard case .notClaimable = error else {
                throw Failure(check: "", message: "\(what): \(error), expected notClaimable")
            }
        }
    }
}
