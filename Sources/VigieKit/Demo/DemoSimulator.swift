import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Simulator
import Synchronization
import VehicleData

/// The demo's simulator: `SimCore` on a loopback port (0: any free one), its driver
/// ticking on the demo clock every `tick` of real time, every notification POST
/// recorded in a ledger.
package final class DemoSimulator: Sendable {
    package let core: SimCore
    package let ledger = Ledger()
    /// The running server and its task, once started.
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, Error>, port: Int)?>(nil)

    init(configuration: SimConfiguration, clock: any VigieClock) {
        core = SimCore(config: configuration, start: clock.now())
        self.clock = clock
    }

    private let clock: any VigieClock

    /// The simulator's port, once started.
    package var port: Int? { running.withLock { $0?.port } }

    /// Starts serving; returns the bound port.
    func start(tick: Duration = .milliseconds(10)) async throws -> Int {
        var driver = SimDriver(core: core, clock: clock,
                               transport: LedgerTransport(wrapping: HTTPNotificationTransport(), ledger: ledger))
        driver.tickInterval = tick
        let port = DemoPromise<Int>()
        // The simulator says nothing: closing keep-alive connections at shutdown is
        // logged as an error, which is not news here.
        let logger = Logger(label: "vigie.demo.sim", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = buildSimApplication(core: core, driver: driver, port: 0, logger: logger, ledger: ledger) { bound in
            port.resolve(bound)
        }
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        let bound = await port.value()
        running.withLock { $0 = (group, task, bound) }
        return bound
    }

    /// Stops the server and the driver.
    func stop() async {
        guard let (group, task, _) = running.withLock({ $0 }) else { return }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// A value that arrives once; readers wait for it.
final class DemoPromise<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [CheckedContinuation<Value, Never>] = []
    }

    private let state = Mutex(State())

    /// The value if it has arrived, without waiting.
    var current: Value? { state.withLock { $0.value } }

    func resolve(_ v: Value) {
        let pending = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard state.value == nil else { return [] }
            state.value = v
            defer { state.waiters = [] }
            return state.waiters
        }
        for w in pending { w.resume(returning: v) }
    }

    func value() async -> Value {
        await withCheckedContinuation { c in
            let ready = state.withLock { state -> Value? in
                if let value = state.value { return value }
                state.waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
