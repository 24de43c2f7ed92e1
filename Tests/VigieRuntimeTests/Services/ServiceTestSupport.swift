import Foundation
import Logging
import OutcomeStore
import RuleEngine
import RuleLanguage
import StellantisAPI
import StellantisModels
import Synchronization
import VehicleData
import XCTest
@testable import VigieRuntime

/// What the service-level tests share: an in-memory store, a manual clock, the horn rule,
/// and a notification stored as the receiver stores it.
enum ServiceFixture {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let vin = "VR3SERVICE0000001"

    static func bundles() throws -> [CheckedBundle] {
        let result = RuleValidator.validate([SourceFile(path: "t.yaml", text: ServeRuntimeTests.hornRule)])
        XCTAssertFalse(result.hasErrors)
        return result.bundles
    }

    static var logger: Logger {
        var logger = Logger(label: "service-test")
        logger.logLevel = .critical
        return logger
    }

    /// An engine (reorder window 0, clock 10 s after `start`) running one notify-only rule
    /// that fires on every change of the battery level, on `database`.
    static func levelChangedEngine(_ database: OutcomeDatabase, clock: ManualClock) async throws -> EngineService {
        let rule = """
            vigie: 1
            bundle: test
            rules:
              - id: level-changed
                when: changed(battery.level)
                then:
                  - notify: "{{vin}} at {{battery.level}} %"
            """
        let result = RuleValidator.validate([SourceFile(path: "t.yaml", text: rule)])
        XCTAssertFalse(result.hasErrors)
        return try await EngineService(
            settings: RuntimeSettings(webhookSecret: "s", reorderWindow: 0), store: database,
            bundles: result.bundles, inventory: Inventory(vehicles: [.init(vin: vin)]),
            decisionGuard: NoGuard(), clock: clock,
            reporter: RuntimeReporter(metrics: RuntimeMetrics(), logger: logger),
            handoff: EngineHandoff(), commandsQueued: DispatchWake())
    }

    /// Stores a monitor notification setting the battery at `level` %, dated `date`.
    static func store(_ database: OutcomeDatabase, level: Int, date: Date, key: String) async throws {
        let body = """
            {"callbackId":"cb","type":"Monitor","date":"\(Timestamp.format(date))",\
            "attributes":[{"key":"vin","value":"\(vin)"}],"monitorEvent":{"monitorId":"m","values":\
            [{"data":"vehicle.energy.electric.level","value":{"type":"string","body":{"literalValue":"\(level)"}}}]}}
            """
        _ = try await database.receive(IntakeBatch(notifications: [
            .init(dedupKey: key, vin: vin, type: "Monitor", eventDate: Timestamp.format(date), body: body),
        ]), at: date)
    }
}

/// A `VehicleAPI` that answers at once and counts the POSTs; `refuse` makes it answer
/// with a refused session.
final class CountingAPI: VehicleAPI {
    private let state = Mutex((posts: [String](), refuse: false))
    var posts: [String] { state.withLock { $0.posts } }
    func refuse(_ value: Bool) { state.withLock { $0.refuse = value } }

    func postRemote(vin: String, body: Remote) async throws -> String {
        try state.withLock { s in
            if s.refuse { throw StellantisAPIError.authentication("refresh refused by the test") }
            s.posts.append(vin)
            return "ra-\(s.posts.count)"
        }
    }

    func remotes(vin: String) async throws -> [RemoteAction] { [] }
    func status(vin: String) async throws -> VehicleStatus { throw CancellationError() }
    var rateLimitStatus: RateLimitStatus { RateLimitStatus() }
}
