import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Simulator
import StellantisAPI
import StellantisModels
import XCTest

/// The client against the project's simulator (`vigie sim`'s router) over loopback HTTP.
final class SimulatorClientTests: XCTestCase {
    /// A simulator already listening, with an HTTP client and a token store for it.
    final class Running: Sendable {
        let simulator: LoopbackSimulator
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let store = MemoryTokenStore()
        var core: SimCore { simulator.core }
        var config: SimConfiguration { simulator.config }
        var port: Int { simulator.port }

        init(_ simulator: LoopbackSimulator) { self.simulator = simulator }

        func client(_ authentication: Authentication, version: String = "v4") throws -> StellantisClient {
            try StellantisClient(configuration: ClientConfiguration(
                baseURL: URL(string: "http://127.0.0.1:\(port)/connectedcar/\(version)")!, clientID: config.clientId,
                authentication: authentication, requestTimeout: 10,
                retry: RetryPolicy(maxAttempts: 3, random: { $0.upperBound }, sleep: { _ in })), httpClient: http)
        }

        func b2c() async throws -> (B2CClient, TokenManager) {
            let first = await core.bootstrapTokens()
            try store.save(StoredTokens(accessToken: first.access, refreshToken: first.refresh,
                                        expiresAt: Date().addingTimeInterval(Double(first.expiresIn))))
            let refresher = OAuthRefresher(tokenURL: URL(string: "http://127.0.0.1:\(port)/oauth2/access_token")!,
                                           clientID: config.clientId, clientSecret: config.clientSecret, httpClient: http)
            let manager = try TokenManager(store: store, refresher: refresher)
            return (B2CClient(client: try client(.bearer(manager, brand: .peugeot))), manager)
        }

        func stop() async {
            await simulator.stop()
            try? await http.shutdown()
        }
    }

    func startSimulator(vehicles: Int = 3, loseRate: Double = 0) async throws -> Running {
        var config = SimConfiguration()
        config.vehicles = vehicles
        config.loseRate = loseRate
        config.seed = 7
        let running = Running(await LoopbackSimulator.start(config: config))
        addTeardownBlock { await running.stop() }
        return running
    }

    func testReadsUserVehiclesStatusAndPosition() async throws {
        let sim = try await startSimulator()
        let (b2c, _) = try await sim.b2c()
        let user = try await b2c.user()
        XCTAssertNotNil(user.email)
        let vehicles = try await b2c.vehicles()
        XCTAssertFalse(vehicles.isEmpty)
        let vehicle = try XCTUnwrap(vehicles.first)
        XCTAssertNotNil(vehicle.vin)
        let status = try await b2c.status(vehicle.id)
        XCTAssertNotNil(status.json.objectValue)
        _ = try await b2c.lastPosition(vehicle.id)
        _ = try await b2c.alerts(vehicle.id)
        let limits = b2c.client.rateLimitStatus
        XCTAssertNotNil(limits.dayRemaining, "the simulator reports its limits")
    }

    func testCallbacksAndARemoteRoundTrip() async throws {
        let sim = try await startSimulator()
        let (b2c, _) = try await sim.b2c()
        let vehicle = try await b2c.vehicles()[0]
        let ref = try await b2c.createCallback(CallbackSubscribe(
            label: "vigie", type: [.known(.monitor), .known(.remote)],
            callback: CallbackTarget(webhook: Webhook(target: "http://127.0.0.1:9/hook", name: "vigie"))))
        XCTAssertEqual(ref.status, .known(.running))
        let callbacks = try await b2c.callbacks()
        XCTAssertEqual(callbacks.map(\.id), [ref.callbackId])
        let posted = try await b2c.postRemote(vehicle: vehicle.id, callback: ref.callbackId, Remote(.horn(RemoteHorn())))
        XCTAssertEqual(posted.type, .known(.horn))
        let listed = try await b2c.remotes(vehicle: vehicle.id, callback: ref.callbackId)
        XCTAssertTrue(listed.contains { $0.remoteActionId == posted.remoteActionId })
        let one = try await b2c.remote(vehicle: vehicle.id, callback: ref.callbackId, id: posted.remoteActionId)
        XCTAssertEqual(one.remoteActionId, posted.remoteActionId)
        try await b2c.deleteCallback(ref.callbackId)
        let remaining = try await b2c.callbacks()
        XCTAssertEqual(remaining, [])
    }

    func testALostRemoteAnswerIsReconciledWithoutADuplicate() async throws {
        // Every state-changing request is executed, then answered 500.
        let sim = try await startSimulator(loseRate: 1)
        let (b2c, _) = try await sim.b2c()
        let vehicle = try await b2c.vehicles()[0]
        let created = await apiError { try await b2c.createCallback(CallbackSubscribe(
            label: "vigie", callback: CallbackTarget(webhook: Webhook(target: "http://127.0.0.1:9/hook", name: "v")))) }
        XCTAssertEqual(created?.status, 500, "a lost callback POST is reported, not repeated")
        let callbacks = try await b2c.callbacks()
        XCTAssertEqual(callbacks.count, 1, "executed once")
        let callbackID = try XCTUnwrap(callbacks.first?.id)
        let lock = Remote(.door(RemoteDoor(state: .locked)))
        let posted = try await b2c.postRemote(vehicle: vehicle.id, callback: callbackID, lock)
        let listed = try await b2c.remotes(vehicle: vehicle.id, callback: callbackID)
        XCTAssertEqual(listed.map(\.remoteActionId), [posted.remoteActionId], "one remote, the reconciled one")
        XCTAssertEqual(posted.type, .known(.doors))
    }

    func testExpiredTokensAreRefreshedOnceForConcurrentCallers() async throws {
        let sim = try await startSimulator()
        let (b2c, manager) = try await sim.b2c()
        let vehicle = try await b2c.vehicles()[0]
        let before = try XCTUnwrap(try sim.store.load())
        await sim.core.expireTokens()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0 ..< 12 { group.addTask { _ = try await b2c.status(vehicle.id) } }
            try await group.waitForAll()
        }
        let refreshCount = await manager.refreshCount
        XCTAssertEqual(refreshCount, 1)
        XCTAssertEqual(sim.store.saves.count, 2, "the bootstrap pair, then one refreshed pair")
        let after = try XCTUnwrap(try sim.store.load())
        XCTAssertNotEqual(after.accessToken, before.accessToken)
        XCTAssertNotEqual(after.refreshToken, before.refreshToken, "the simulator rotates refresh tokens")
    }

    func testErrorsCarryTheSimulatorsCodeUUIDAndMessage() async throws {
        let sim = try await startSimulator()
        let (b2c, _) = try await sim.b2c()
        let error = await apiError { try await b2c.vehicle("no-such-vehicle") }
        guard case .api(let failure)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue([403, 404].contains(failure.status), "\(failure)")
        XCTAssertEqual(failure.code.map { $0 / 100 }, failure.status)
        XCTAssertNotNil(failure.uuid)
        XCTAssertNotNil(failure.message)
    }

    func testFleetClientWithBasicAuth() async throws {
        let sim = try await startSimulator()
        let fleet = FleetClient(client: try sim.client(.basic(username: sim.config.clientId,
                                                              password: sim.config.clientSecret), version: "v3"),
                                fleetID: sim.config.fleetId)
        let ref = try await fleet.createCallback(CallbackSubscribe(
            label: "fleet", callback: CallbackTarget(webhook: Webhook(target: "http://127.0.0.1:9/hook", name: "f")),
            retryPolicy: .init(policy: "None"), remoteTypes: [.known(.horn), .known(.doors)]))
        let callbacks = try await fleet.callbacks()
        XCTAssertTrue(callbacks.contains { $0.id == ref.callbackId })
        let wrong = FleetClient(client: try sim.client(.basic(username: "x", password: "y"), version: "v3"),
                                fleetID: sim.config.fleetId)
        let error = await apiError { try await wrong.callbacks() }
        XCTAssertEqual(error?.status, 401)
    }
}
