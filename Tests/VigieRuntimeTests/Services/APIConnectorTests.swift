import Foundation
import VehicleData
import Logging
import ServiceLifecycle
import Synchronization
import XCTest
@testable import VigieRuntime

/// The API connector alone: it waits for the receiver, retries a failing provider with
/// capped back-off, attaches the access and wakes the dispatcher; readiness says why not
/// meanwhile.
final class APIConnectorTests: XCTestCase {
    struct Down: Error, CustomStringConvertible {
        var description: String { "API down (test)" }
    }

    func testRetriesUntilTheAccessIsBuiltThenAttachesIt() async throws {
        let access = APIAccess(metrics: RuntimeMetrics(), logger: ServiceFixture.logger)
        let listening = Once<Int>()
        let dispatch = DispatchWake()
        let tries = ManagedCounter()
        let api = CountingAPI()
        let connector = APIConnector(access: access, provider: {
            guard tries.increment() >= 3 else { throw Down() }
            return api
        }, listening: listening, dispatcher: dispatch, retryBase: 0.01, retryCap: 0.02)
        let group = ServiceGroup(configuration: .init(services: [connector], logger: ServiceFixture.logger))
        let running = Task { try await group.run() }

        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(tries.value, 0, "nothing talks to the API before the receiver listens")
        XCTAssertEqual(access.readiness.reason, APIAccess.notConnected)
        listening.resolve(.success(8080))
        _ = try await access.api()
        XCTAssertEqual(tries.value, 3)
        XCTAssertTrue(access.readiness.ready)
        await dispatch.wait(until: nil, clock: SystemClock(), sweep: nil)   // woken

        await group.triggerGracefulShutdown()
        try await running.value
    }
}

/// A thread-safe counter.
final class ManagedCounter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() -> Int { count.withLock { $0 += 1; return $0 } }
}
