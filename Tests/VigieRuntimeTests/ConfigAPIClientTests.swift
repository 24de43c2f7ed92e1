import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Simulator
import StellantisAPI
import StellantisModels
import Synchronization
import VigieRuntime
import XCTest

/// `makeAPIClient` builds a working B2C or B2B client from a configuration (against the
/// simulator over loopback), and `VehicleResolver` turns VINs into vehicle ids with one
/// listing, configured ids first.
final class ConfigAPIClientTests: XCTestCase {
    final class Sim: Sendable {
        let core: SimCore
        let config: SimConfiguration
        /// The server's task and port, set by `start()`.
        private let server = Mutex<(task: Task<Void, Error>?, port: Int)>((nil, 0))
        var port: Int { server.withLock { $0.port } }

        init() {
            var config = SimConfiguration()
            config.vehicles = 3
            config.seed = 5
            self.config = config
            core = SimCore(config: config, start: Date())
        }

        func start() async {
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            var logger = Logger(label: "config-client-sim")
            logger.logLevel = .error
            let app = Application(router: buildSimRouter(core: core),
                                  configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
            let task = Task { try await app.run() }
            server.withLock { $0.task = task }
            for await bound in ports {
                server.withLock { $0.port = bound }
                break
            }
        }

        func stop() async {
            let task = server.withLock { $0.task }
            task?.cancel()
            _ = try? await task?.value
        }
    }

    func startSim() async -> Sim {
        let sim = Sim()
        await sim.start()
        addTeardownBlock { await sim.stop() }
        return sim
    }

    func testB2CClientUsesTheTokenStoreAndRefreshesAnExpiredToken() async throws {
        let sim = await startSim()
        let folder = try ConfigFolder()
        defer { folder.remove() }
        let tokens = await sim.core.bootstrapTokens()
        let store = FileTokenStore(url: URL(fileURLWithPath: folder.path("tokens.json")))
        // Already expired: the first call must refresh with the client secret, and save.
        try store.save(StoredTokens(accessToken: tokens.access, refreshToken: tokens.refresh, expiresAt: Date(timeIntervalSince1970: 0)))
        let config = VigieConfig(api: VigieConfig.API(
            kind: .b2c, baseURL: URL(string: "http://127.0.0.1:\(sim.port)/connectedcar/v4")!, clientID: sim.config.clientId,
            clientSecret: Secret(sim.config.clientSecret), brand: .peugeot,
            tokenURL: URL(string: "http://127.0.0.1:\(sim.port)/oauth2/access_token")!, tokenStorePath: folder.path("tokens.json")))
        let client = try config.makeAPIClient()
        guard case .b2c = client else { return XCTFail("expected a B2C client") }
        let vehicles = try await client.vehicles()
        XCTAssertFalse(vehicles.isEmpty)
        let saved = try XCTUnwrap(try store.load())
        XCTAssertNotEqual(saved.accessToken, tokens.access, "the refreshed token was saved")
        XCTAssertGreaterThan(saved.expiresAt, Date())
        try await client.shutdown()
    }

    func testB2BClientAndResolver() async throws {
        let sim = await startSim()
        let config = VigieConfig(api: VigieConfig.API(
            kind: .b2b, baseURL: URL(string: "http://127.0.0.1:\(sim.port)/connectedcar/v3")!, clientID: sim.config.clientId,
            clientSecret: Secret(sim.config.clientSecret), fleetID: sim.config.fleetId))
        let client = try makeAPIClient(config: config)
        guard case .fleet(let fleet) = client else { return XCTFail("expected a fleet client") }
        XCTAssertEqual(fleet.fleetID, sim.config.fleetId)
        let vehicles = try await client.vehicles()
        XCTAssertEqual(vehicles.count, 3)
        let callbacks = try await client.callbacks()
        XCTAssertTrue(callbacks.isEmpty)
        let found = try await client.findCallback(label: "vigie")
        XCTAssertNil(found)
        try await client.shutdown()

        let wrong = VigieConfig(api: VigieConfig.API(
            kind: .b2b, baseURL: config.api.baseURL, clientID: sim.config.clientId, clientSecret: Secret("not-the-secret"),
            fleetID: sim.config.fleetId))
        let refused = try wrong.makeAPIClient()
        do {
            _ = try await refused.vehicles()
            XCTFail("wrong credentials were accepted")
        } catch {
            XCTAssertFalse("\(error)".contains("not-the-secret"))
        }
        try await refused.shutdown()
    }

    func testResolverListsOnceAndPrefersConfiguredIDs() async throws {
        final class Counter: Sendable {
            let count = Mutex(0)
            var calls: Int { count.withLock { $0 } }
        }
        let counter = Counter()
        let resolver = VehicleResolver(known: ["VIN-A": "configured-a"]) {
            counter.count.withLock { $0 += 1 }
            return [Vehicle(id: "listed-a", vin: "VIN-A"), Vehicle(id: "id-b", vin: "VIN-B"), Vehicle(id: "id-c", vin: "VIN-C")]
        }
        let a = try await resolver.vehicleID(vin: "VIN-A")
        XCTAssertEqual(a, "configured-a")
        XCTAssertEqual(counter.calls, 0)
        let b = try await resolver.vehicleID(vin: "VIN-B")
        let c = try await resolver.vehicleID(vin: "VIN-C")
        XCTAssertEqual([b, c], ["id-b", "id-c"])
        XCTAssertEqual(counter.calls, 1)
        do {
            _ = try await resolver.vehicleID(vin: "VIN-Z")
            XCTFail("an unknown VIN resolved")
        } catch let error as VehicleResolverError {
            XCTAssertEqual(error, .unknownVIN("VIN-Z"))
        }
        XCTAssertEqual(counter.calls, 1, "no second listing within relistAfter")
    }

    func testMissingPiecesAreConfigurationErrors() {
        XCTAssertThrowsError(try VigieConfig(api: VigieConfig.API(kind: .b2b, clientID: "c", clientSecret: Secret("s"))).makeAPIClient())
        XCTAssertThrowsError(try VigieConfig(api: VigieConfig.API(kind: .b2c, clientID: "c")).makeAPIClient())
    }

    func testMutualTLSFilesRealmAndTimeoutReachTheClient() async throws {
        let folder = try ConfigFolder()
        defer { folder.remove() }
        try folder.write("certs/client.pem", "not a certificate")
        try folder.write("certs/client.key", "not a key")
        let config = try folder.load(ConfigFolder.minimal.replacingOccurrences(
            of: "  brand: peugeot", with: "  brand: opel\n  certificate: certs/client.pem\n  key: certs/client.key\n  request_timeout: 12s"))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = try config.makeAPIClient(httpClient: http)
        let configuration = client.base.configuration
        XCTAssertEqual(configuration.mutualTLS, MutualTLSFiles(certificatePath: folder.path("certs/client.pem"),
                                                               privateKeyPath: folder.path("certs/client.key")))
        XCTAssertEqual(configuration.requestTimeout, 12)
        XCTAssertEqual(configuration.clientID, "my-client")
        XCTAssertTrue("\(configuration.authentication)".contains("realm: clientsB2COpel/OTPOpel"))
        try await http.shutdown()
        // Without a shared HTTP client the PEM files are loaded at once: bad ones are a clear error.
        XCTAssertThrowsError(try config.makeAPIClient()) { error in
            XCTAssertTrue("\(error)".contains("client.pem"), "\(error)")
            XCTAssertFalse("\(error)".contains("not a key"))
        }
    }
}
