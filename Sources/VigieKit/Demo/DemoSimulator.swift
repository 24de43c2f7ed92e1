import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Simulator
import VehicleData

/// The demo's simulator: `SimCore` on a loopback port (0: any free one), its driver
/// ticking on the demo clock every `tick` of real time, every notification POST
/// recorded in a ledger.
package final class DemoSimulator: @unchecked Sendable {
    package let core: SimCore
    package let ledger = Ledger()
    private var task: Task<Void, Error>?
    private var group: ServiceGroup?

    init(configuration: SimConfiguration, clock: any VigieClock) {
        core = SimCore(config: configuration, start: clock.now())
        self.clock = clock
    }

    private let clock: any VigieClock

    /// The simulator's port, once started.
    package private(set) var port: Int?

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
        self.group = group
        task = Task { try await group.run() }
        let bound = await port.value()
        self.port = bound
        return bound
    }

    /// Stops the server and the driver.
    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }
}

/// A value that arrives once; readers wait for it.
final class DemoPromise<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private var waiters: [CheckedContinuation<Value, Never>] = []

    func resolve(_ v: Value) {
        let pending = lock.withLock { () -> [CheckedContinuation<Value, Never>] in
            guard value == nil else { return [] }
            value = v
            defer { waiters = [] }
            return waiters
        }
        for w in pending { w.resume(returning: v) }
    }

    func value() async -> Value {
        await withCheckedContinuation { c in
            let ready = lock.withLock { () -> Value? in
                if let value { return value }
                waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
