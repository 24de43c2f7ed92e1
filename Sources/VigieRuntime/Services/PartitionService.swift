import Foundation
import Logging
import OutcomeStore
import PostgresStore
import ServiceLifecycle
import Synchronization
import VehicleData

/// On PostgreSQL, the engine's place in the group (docs/cluster.md "Partitions"): shares
/// the partitions with the other instances (`PartitionKeeper`, one tick every third of
/// the lease, on the store's pool) and runs one `EngineService` per partition held, each
/// under its partition's `PartitionScope` — it reads that partition's inbox rows only
/// (in commit order) and its steps are fenced by that partition's lease, pinned to the
/// epoch it started under. A partition gained is started from its saved state (scope
/// `<scope>/p<N>`; the first time, from the single engine's state, `seedEngineState`); a
/// partition lost (renewal refused or late, given back, or a write fenced) is stopped at
/// once — its engine task is cancelled, and whatever it still tries to commit is refused
/// by the fence.
///
/// The shared `handoff` is what the receiver, the poller and the dispatcher signal: the
/// completions and polls it collects go to the engine of their vehicle's partition, and
/// the engines of the partitions that received inbox rows are woken (`route`). Graceful shutdown: the engines drain up
/// to the watermark and checkpoint, then every lease is given back (the other instances
/// take the partitions at their next tick).
final class PartitionService: Service, Sendable {
    typealias MakeEngine = @Sendable (_ settings: RuntimeSettings, _ handoff: EngineHandoff) async throws -> EngineService

    private let keeper: PartitionKeeper
    private let settings: RuntimeSettings
    private let shared: EngineHandoff
    private let dispatch: DispatchWake
    private let clock: any VigieClock
    private let makeEngine: MakeEngine
    private let logger: Logger
    private let wake = WakeSignal()
    /// Seconds between two looks at the inbox's high-water id (rows other instances received).
    static let inboxLook = 0.1
    private let state = Mutex(State())

    private struct Running {
        var epoch: Int64
        var handoff: EngineHandoff
        var task: Task<Void, Never>
    }

    private struct State {
        var running: [Int: Running] = [:]
        /// Engines stopped but maybe still finishing a step: a new engine of the partition
        /// waits for its predecessor (never two engines of one partition at once).
        var draining: [Int: Task<Void, Never>] = [:]
        /// Partitions whose engine ended on its own (its state could not be read): given back.
        var failed: Set<Int> = []
        /// Partitions a write found fenced: dropped at the next round (at once: it wakes).
        var fenced: Set<Int> = []
        var stopping = false
    }

    init(keeper: PartitionKeeper, settings: RuntimeSettings, handoff: EngineHandoff, dispatch: DispatchWake,
         clock: any VigieClock, logger: Logger, makeEngine: @escaping MakeEngine) {
        self.keeper = keeper
        self.settings = settings
        self.shared = handoff
        self.dispatch = dispatch
        self.clock = clock
        self.logger = logger
        self.makeEngine = makeEngine
    }

    /// The scope of the services that work on every partition held (the dispatcher): the
    /// current lease of each partition fences its writes.
    var scope: PartitionScope {
        PartitionScope(count: keeper.count, postDeadline: settings.partitions.postDeadline,
                       lease: { [keeper] in keeper.lease(of: $0) },
                       owned: { [keeper] in keeper.owned.keys.sorted() },
                       fenced: { [self] in fenced($0) })
    }

    /// Whether this instance holds `partition` now (partition 0's holder runs the drift check).
    func holds(_ partition: Int) -> Bool {
        keeper.lease(of: partition) != nil
    }

    /// Whether this instance runs `vin`'s partition now (the poller asks).
    func owns(_ vin: String) -> Bool {
        keeper.lease(of: PartitionLease.partition(ofVIN: vin, count: keeper.count)) != nil
    }

    func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.route() }
                await keep()
                await stopAll(graceful: !Task.isCancelled)
                shared.stop()
            }
        } onGracefulShutdown: { [self] in
            state.withLock { $0.stopping = true }
            wake.signal()
        }
    }

    // MARK: the leases

    /// Ticks the keeper until shutdown; starts and stops engines as partitions come and go.
    private func keep() async {
        while !state.withLock({ $0.stopping }) && !Task.isCancelled {
            let changes = await keeper.tick()
            for partition in changes.lost { stop(partition, why: "lease lost") }
            for partition in changes.released { stop(partition, why: "given back (fair share)") }
            let (fenced, failed) = state.withLock { s in
                defer { s.fenced = []; s.failed = [] }
                return (s.fenced, s.failed)
            }
            for partition in fenced.sorted() {
                stop(partition, why: "a write was fenced: another instance holds it")
                await keeper.drop(partition)
            }
            for partition in failed.sorted() { await keeper.drop(partition, release: true) }
            let held = keeper.owned
            let running = state.withLock { $0.running.mapValues(\.epoch) }
            for (partition, epoch) in running where held[partition]?.epoch != epoch {
                stop(partition, why: "lease no longer trusted")
            }
            var started = false
            for (partition, lease) in held.sorted(by: { $0.key < $1.key })
            where state.withLock({ $0.running[partition] == nil }) && !fenced.contains(partition) {
                start(lease)
                started = true
            }
            if started { dispatch.partitionsGained() }   // the new partitions' commands
            // The next tick: a third of the lease, or just after another instance's lease
            // expires when this one has room for its partition.
            let sweep = min(keeper.duration / 3, max(0.05, (changes.nextExpiry ?? .infinity) + 0.05))
            await wake.wait(until: nil, clock: clock, sweep: sweep)
        }
    }

    private func fenced(_ partition: Int) {
        state.withLock { _ = $0.fenced.insert(partition) }
        wake.signal()
    }

    // MARK: the engines

    /// Starts the engine of a partition just gained: restores its state, then runs it
    /// under the partition's scope, fenced by `lease`'s epoch.
    private func start(_ lease: PartitionLease) {
        let partition = lease.partition
        var engineSettings = settings
        engineSettings.scope = "\(settings.scope)/p\(partition)"
        let handoff = EngineHandoff()
        let scope = PartitionScope(
            count: keeper.count, partition: partition, postDeadline: settings.partitions.postDeadline,
            lease: { [keeper] in keeper.lease(of: $0).flatMap { $0.epoch == lease.epoch ? $0 : nil } },
            owned: { [partition] in [partition] }, fenced: { [self] in fenced($0) })
        let previous = state.withLock { $0.draining.removeValue(forKey: partition) }
        let task = Task { [self, keeper, settings, logger, makeEngine] in
            await previous?.value
            await PartitionScope.$current.withValue(scope) {
                do {
                    let began = ContinuousClock.now
                    try await keeper.store.seedEngineState(from: settings.scope, to: engineSettings.scope,
                                                           partition: partition)
                    let engine = try await makeEngine(engineSettings, handoff)
                    let restore = ContinuousClock.now - began
                    let ms = Double(restore.components.seconds) * 1000 + Double(restore.components.attoseconds) / 1e15
                    logger.info("partition started", metadata: [
                        "partition": "\(partition)", "epoch": "\(lease.epoch)", "restoreMs": "\(Int(ms.rounded()))",
                    ])
                    await engine.run()
                } catch {
                    if Task.isCancelled { return }
                    logger.error("partition could not start: its lease is given back", metadata: [
                        "partition": "\(partition)", "error": "\(error)"])
                    state.withLock { s in
                        if s.running[partition]?.epoch == lease.epoch { s.running[partition] = nil }
                        s.failed.insert(partition)
                    }
                    wake.signal()
                }
            }
        }
        state.withLock { $0.running[partition] = Running(epoch: lease.epoch, handoff: handoff, task: task) }
    }

    /// Stops a partition's engine at once (what it has not committed stays in the inbox
    /// for the next owner; a commit it still attempts is fenced).
    private func stop(_ partition: Int, why: String) {
        guard let running = state.withLock({ s -> Running? in
            guard let running = s.running.removeValue(forKey: partition) else { return nil }
            s.draining[partition] = running.task
            return running
        }) else { return }
        running.task.cancel()
        logger.warning("partition stopped", metadata: ["partition": "\(partition)", "epoch": "\(running.epoch)",
                                                       "reason": "\(why)"])
    }

    /// At shutdown: each engine drains up to the watermark and checkpoints, then the leases
    /// are given back (the others take the partitions at once). When cancelled (a service
    /// failed), the engines stop at once and the leases are left to expire.
    private func stopAll(graceful: Bool) async {
        let (running, draining) = state.withLock { s in
            defer { s.running = [:]; s.draining = [:] }
            return (s.running, s.draining)
        }
        // Tell the running engines first: waiting for the stopped ones before that left
        // the running ones deciding on (their timers fire every step) until those ended.
        logger.info("stopping the partitions' engines", metadata: [
            "running": "\(running.keys.sorted())", "draining": "\(draining.keys.sorted())", "graceful": "\(graceful)"])
        for engine in running.values {
            if graceful { engine.handoff.stop() } else { engine.task.cancel() }
        }
        for (partition, task) in draining.sorted(by: { $0.key < $1.key }) {
            await task.value
            logger.debug("stopped partition's engine ended", metadata: ["partition": "\(partition)"])
        }
        for (partition, engine) in running.sorted(by: { $0.key < $1.key }) {
            await engine.task.value
            logger.debug("partition's engine drained", metadata: ["partition": "\(partition)"])
        }
        guard graceful else { return }
        logger.info("the partitions' engines stopped: giving the leases back")
        await keeper.releaseAll()
    }

    /// Hands what the receiver, the poller and the dispatcher signalled to the engines:
    /// completions and polls to their vehicle's partition, and a wake-up to the engines of
    /// the partitions that received inbox rows. The receiver's signal, and rows another
    /// instance received, are seen the same way: the inbox's high-water id is read at each
    /// signal and at least every `inboxLook` seconds, and when it moved, the partitions of
    /// the rows in between (one range read of the primary key) are woken — every engine
    /// when the store cannot be read. Ends when the shared handoff stops.
    private func route() async {
        var highWater: Int64 = -1
        while !Task.isCancelled {
            let stopping = shared.isStopping
            var woken: Set<Int>?   // nil: every engine
            if let seen = try? await keeper.store.inboxHighWater() {
                if seen == highWater {
                    woken = []
                } else if highWater >= 0 {
                    woken = try? await keeper.store.inboxPartitions(after: highWater, upTo: seen)
                }
                highWater = seen
            }
            let (completions, polls) = shared.take()
            let engines = state.withLock { $0.running.mapValues(\.handoff) }
            var finished: [Int: [FiringKey]] = [:]
            for key in completions {
                finished[PartitionLease.partition(ofVIN: key.vin, count: keeper.count), default: []].append(key)
            }
            for (partition, keys) in finished { engines[partition]?.actionsFinished(keys) }
            for poll in polls {
                engines[PartitionLease.partition(ofVIN: poll.vin, count: keeper.count)]?
                    .submitPoll(vin: poll.vin, at: poll.at, observation: poll.observation)
            }
            for (partition, engine) in engines where stopping || woken?.contains(partition) ?? true {
                engine.inboxChanged()
            }
            if stopping { return }
            await shared.wake.wait(until: nil, clock: clock, sweep: Self.inboxLook)
        }
    }
}

/// A service run under a `PartitionScope` (the dispatcher on PostgreSQL): its store calls
/// see and write the partitions held only, fenced by their leases.
struct PartitionScoped: Service {
    let inner: any Service
    let scope: @Sendable () -> PartitionScope

    func run() async throws {
        try await PartitionScope.$current.withValue(scope()) {
            try await inner.run()
        }
    }
}
