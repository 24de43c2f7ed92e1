import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import OutcomeStore
import RuleEngine
import RuleLanguage
import StellantisAPI
import StellantisModels
import Synchronization
import VehicleData
import XCTest
@testable import Simulator
@testable import VigieRuntime

/// The in-process simulator over loopback HTTP (its API; its notifications POSTed to the
/// runtime's webhook by its driver, ticked by the test) and a `ServeRuntime` on a file
/// database, restartable on the same file.
final class ServeHarness: Sendable {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)   // 2026-11-18T09:46:40Z
    let clock = ManualClock(ServeHarness.start)
    let simConfig: SimConfiguration
    let core: SimCore
    let driver: SimDriver
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let secret = "test-secret-0123456789abcdefghij"
    let dbPath: String
    /// What `startSimulator()` learns and `startRuntime` starts.
    private struct State {
        var simPort = 0
        var b2c: B2CClient?
        var callbackID = ""
        var vehicleIDs: [String: String] = [:]
        var vins: [String] = []
        var runtime: ServeRuntime?
        var simTask: Task<Void, Error>?
    }

    private let state = Mutex(State())
    var simPort: Int { state.withLock { $0.simPort } }
    /// The simulator's B2C client (after `startSimulator()`).
    var b2c: B2CClient { state.withLock { $0.b2c! } }
    var callbackID: String { state.withLock { $0.callbackID } }
    var vehicleIDs: [String: String] { state.withLock { $0.vehicleIDs } }
    var vins: [String] { state.withLock { $0.vins } }
    var runtime: ServeRuntime? { state.withLock { $0.runtime } }
    /// The session the runtime uses (what `vigie login` writes).
    let tokenStore = MemoryTokenStore()

    /// - Parameter folder: where the database goes (default: the temporary folder).
    init(folder: URL? = nil, _ configure: (inout SimConfiguration) -> Void = { _ in }) {
        var config = SimConfiguration()
        config.vehicles = 1
        config.seed = 11
        configure(&config)
        simConfig = config
        core = SimCore(config: config, start: Self.start, wallClock: { Date() })
        driver = SimDriver(core: core, clock: clock, transport: HTTPNotificationTransport(client: http))
        dbPath = (folder ?? FileManager.default.temporaryDirectory)
            .appendingPathComponent("vigie-serve-\(UUID().uuidString).sqlite").path
    }


    /// Starts the simulator's HTTP server, signs in, creates the callback (its target is
    /// set when the runtime is up) and learns the vehicles.
    func startSimulator() async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: buildSimRouter(core: core),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
                              logger: Logger(label: "sim-test"))
        let simTask = Task { try await app.run() }
        state.withLock { $0.simTask = simTask }
        for await port in ports {
            state.withLock { $0.simPort = port }
            break
        }
        await core.setBaseURL("http://127.0.0.1:\(simPort)")
        let first = await core.bootstrapTokens()
        try tokenStore.save(StoredTokens(accessToken: first.access, refreshToken: first.refresh,
                                    expiresAt: Date().addingTimeInterval(Double(first.expiresIn))))
        let refresher = OAuthRefresher(tokenURL: URL(string: "http://127.0.0.1:\(simPort)/oauth2/access_token")!,
                                       clientID: simConfig.clientId, clientSecret: simConfig.clientSecret, httpClient: http)
        let tokens = try TokenManager(store: tokenStore, refresher: refresher)
        let client = try StellantisClient(configuration: ClientConfiguration(
            baseURL: URL(string: "http://127.0.0.1:\(simPort)/connectedcar/v4")!, clientID: simConfig.clientId,
            authentication: .bearer(tokens, brand: .peugeot), requestTimeout: 10,
            retry: RetryPolicy(maxAttempts: 2, random: { $0.lowerBound }, sleep: { _ in })), httpClient: http)
        let b2c = B2CClient(client: client)
        let callbackID = try await b2c.createCallback(subscription(port: 9)).callbackId
        let vehicles = try await b2c.vehicles()
        state.withLock { state in
            state.b2c = b2c
            state.callbackID = callbackID
            for vehicle in vehicles {
                guard let vin = vehicle.vin else { continue }
                state.vehicleIDs[vin] = vehicle.id
                state.vins.append(vin)
            }
        }
    }

    private func subscription(port: Int) -> CallbackSubscribe {
        CallbackSubscribe(label: "vigie", type: [.known(.monitor), .known(.remote)], callback: CallbackTarget(
            webhook: Webhook(target: "http://127.0.0.1:\(port)/webhook/\(secret)", name: "vigie",
                             attributes: [CallbackAttribute(type: .body, key: "vin", value: "$vin")])))
    }

    /// A `VehicleAPI` over the simulator, as `vigie serve` builds it.
    var vehicleAPI: StellantisVehicleAPI {
        let ids = vehicleIDs
        return StellantisVehicleAPI(client: .b2c(b2c), callbackID: callbackID) { vin in
            guard let id = ids[vin] else { throw VehicleResolverError.unknownVIN(vin) }
            return id
        }
    }

    static func bundles(_ yaml: String) throws -> [CheckedBundle] {
        let result = RuleValidator.validate([SourceFile(path: "test.yaml", text: yaml)])
        XCTAssertFalse(result.hasErrors, result.diagnostics.map { "\($0)" }.joined(separator: "\n"))
        return result.bundles
    }

    /// Builds and starts a runtime on the harness database, and points the callback at it.
    @discardableResult
    func startRuntime(rules: String, api: (any VehicleAPI)? = nil, guard decisionGuard: any DecisionGuard = NoGuard(),
                      pollIntervals: [String: Double] = [:],
                      _ configure: (inout RuntimeSettings) -> Void = { _ in }) async throws -> ServeRuntime {
        var settings = RuntimeSettings(port: 0, webhookSecret: secret, remoteTimeout: 120, retryBase: 5)
        configure(&settings)
        let database = try OutcomeDatabase(path: dbPath)
        let access: any VehicleAPI = api ?? vehicleAPI
        var logger = Logger(label: "serve-test")
        logger.logLevel = .warning
        let runtime = ServeRuntime(settings: settings, database: database, bundles: try Self.bundles(rules),
                                   inventory: Inventory(vehicles: vins.map { Inventory.Vehicle(vin: $0) }),
                                   pollIntervals: pollIntervals, decisionGuard: decisionGuard, clock: clock,
                                   logger: logger) { access }
        try await runtime.start()
        _ = try await b2c.updateCallback(callbackID, subscription(port: runtime.boundPort!))
        state.withLock { $0.runtime = runtime }
        return runtime
    }

    func stopRuntime() async {
        let runtime = state.withLock { state in defer { state.runtime = nil }; return state.runtime }
        await runtime?.shutdown()
    }

    /// POSTs a monitor notification for `vin` to the runtime's webhook, as the API would.
    @discardableResult
    func notify(vin: String, values: [String: String], date: Date? = nil, port: Int? = nil) async throws -> Int {
        let message: JSONValue = .object([
            "callbackId": .string(callbackID), "type": .string("Monitor"),
            "attributes": .array([.object(["key": .string("vin"), "value": .string(vin)])]),
            "date": .string(Timestamp.format(date ?? clock.now())),
            "monitorEvent": .object(["monitorId": .string("mon-1"), "values": .array(values.sorted { $0.key < $1.key }.map {
                .object(["data": .string($0.key),
                         "value": .object(["type": .string("string"), "body": .object(["literalValue": .string($0.value)])])])
            })]),
        ])
        let target = port ?? runtime!.boundPort!
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(target)/webhook/\(secret)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: StoreJSON.data(message)))
        let response = try await http.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// GET on the runtime's admin listener (metrics, health); the status and body.
    func get(_ path: String) async throws -> (Int, String) {
        let response = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(runtime!.adminPort!)\(path)"),
                                              timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Moves simulated time by `seconds`, one second at a time, delivering what is due.
    func advance(_ seconds: Int) async {
        for _ in 0..<seconds {
            clock.advance(by: 1)
            await driver.tick()
        }
    }

    /// Polls `condition` (real time) until it holds, or fails after `timeout` seconds;
    /// between polls, simulated time moves by `step` seconds (0: it stands still).
    func waitUntil(_ what: String, timeout: Double = 15, step: Double = 1,
                   _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            if step > 0 { clock.advance(by: step) }
            await driver.tick()
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("timed out waiting for: \(what)")
        throw CancellationError()
    }

    /// The simulator's own list of the vehicle's remotes (what was really POSTed).
    func simulatorRemotes(_ vin: String) async throws -> [RemoteAction] {
        try await b2c.remotes(vehicle: vehicleIDs[vin]!, callback: callbackID)
    }

    func database() throws -> OutcomeDatabase { try OutcomeDatabase(path: dbPath) }

    func actions() throws -> [ActionRecord] {
        try database().writer.read { db in try ActionRecord.order(ActionRecord.Columns.id).fetchAll(db) }
    }

    func firings() throws -> [FiringRecord] {
        try database().writer.read { db in try FiringRecord.order(FiringRecord.Columns.id).fetchAll(db) }
    }

    func stop() async {
        await stopRuntime()
        let simTask = state.withLock { $0.simTask }
        simTask?.cancel()
        _ = try? await simTask?.value
        try? await http.shutdown()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
    }
}

extension ServeHarness {
    /// Commits a fired decision with one remote straight into the store, as a process
    /// that stopped right after deciding would have left it. Returns the action id.
    @discardableResult
    func commitDecision(vin: String, body: JSONValue = .object(["horn": .object(["state": .string("Activated")])]),
                        rule: String = "horn-when-low") throws -> Int64 {
        let decision = Decision(at: Timestamp.millis(clock.now()), vin: vin, bundle: "test", rule: rule, event: .fired,
                                actions: [.remote(body)])
        let db = try database()
        _ = try db.commitDispatchStep(DispatchStep(commit: DecisionCommit(scope: "serve", decisions: [DecisionRecord(decision)])),
                                      at: clock.now(), retry: { _, _ in nil })
        return try XCTUnwrap(try actions().last?.id)
    }

    func outbox() throws -> [OutboxRecord] {
        try database().writer.read { db in try OutboxRecord.order(OutboxRecord.Columns.id).fetchAll(db) }
    }
}
