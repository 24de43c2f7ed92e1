import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Simulator
import StellantisAPI
import StellantisModels
import Synchronization
import VigieKit
import XCTest

/// The simulator on a loopback port (0: any free one) with a folder holding a
/// `vigie.yaml` pointing at it, its rules, the webhook secret and (B2C) a token store.
final class PlanTestWorld: Sendable {
    let core: SimCore
    let config: SimConfiguration
    let folder: URL
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    /// The simulator's server task and port, set by `start()`.
    private let server = Mutex<(task: Task<Void, Error>?, port: Int)>((nil, 0))
    var port: Int { server.withLock { $0.port } }
    static let webhookSecret = "plan-test-Secret_0123456789"
    static let clientSecretVariable = "VIGIE_PLAN_TEST_CLIENT_SECRET"

    init(vehicles: Int = 3) {
        var config = SimConfiguration()
        config.vehicles = vehicles
        config.seed = 11
        self.config = config
        core = SimCore(config: config, start: Date())
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-plan-\(UUID().uuidString)")
    }

    var environment: [String: String] { [Self.clientSecretVariable: config.clientSecret] }
    var configPath: String { folder.appendingPathComponent("vigie.yaml").path }

    func start() async throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "plan-test-sim")
        logger.logLevel = .error
        let core = self.core
        let app = Application(router: buildSimRouter(core: core),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  let bound = channel.localAddress?.port ?? 0
                                  await core.setBaseURL("http://127.0.0.1:\(bound)")
                                  continuation.yield(bound)
                              },
                              logger: logger)
        let task = Task { try await app.run() }
        server.withLock { $0.task = task }
        for await bound in ports {
            server.withLock { $0.port = bound }
            break
        }
        let tokens = await core.bootstrapTokens()
        try FileTokenStore(url: folder.appendingPathComponent("tokens.json")).save(StoredTokens(
            accessToken: tokens.access, refreshToken: tokens.refresh, expiresAt: Date().addingTimeInterval(Double(tokens.expiresIn))))
        try write("webhook.secret", Self.webhookSecret + "\n")
    }

    func stop() async {
        let task = server.withLock { $0.task }
        task?.cancel()
        _ = try? await task?.value
        try? await http.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func removeFile(_ name: String) throws { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }

    /// Writes `vigie.yaml` for `kind`; `vehicles` is the YAML of the inventory (empty: none).
    func writeConfig(kind: String = "b2c", vehicles: [String] = []) throws {
        let version = kind == "b2c" ? "v4" : "v3"
        var text = """
            api:
              kind: \(kind)
              base_url: http://127.0.0.1:\(port)/connectedcar/\(version)
              client_id: \(config.clientId)
              client_secret: {env: \(Self.clientSecretVariable)}

            """
        text += kind == "b2c"
            ? "  brand: peugeot\n  token_url: http://127.0.0.1:\(port)/oauth2/access_token\n  token_store: tokens.json\n"
            : "  fleet_id: \(config.fleetId)\n"
        text += """
            callback:
              public_url: http://127.0.0.1:9/hooks
              webhook_secret: {file: webhook.secret}
            rules: [rules]

            """
        if !vehicles.isEmpty { text += "vehicles:\n" + vehicles.map { "  - {vin: \($0), tags: [ev]}\n" }.joined() }
        try write("vigie.yaml", text)
    }

    /// A bundle `name` with one rule per threshold: `low-<n>` fires under n %.
    func writeBundle(_ name: String, thresholds: [Int], selector: String = "all") throws {
        var text = "vigie: 1\nbundle: \(name)\nvehicles: \(selector)\nrules:\n"
        for n in thresholds {
            text += "  - id: low-\(n)\n    when: battery.level < \(n) % and charging.plugged\n    then:\n"
                + "      - notify: \"{{vin}} under \(n) %\"\n"
        }
        try write("rules/\(name).yaml", text)
    }

    /// A B2C client of the simulator's first user (to look at what is deployed).
    func b2c() async throws -> B2CClient {
        let tokens = await core.bootstrapTokens()
        let refresher = OAuthRefresher(tokenURL: URL(string: "http://127.0.0.1:\(port)/oauth2/access_token")!,
                                       clientID: config.clientId, clientSecret: config.clientSecret, httpClient: http)
        let manager = try TokenManager(store: MemoryTokenStore(StoredTokens(
            accessToken: tokens.access, refreshToken: tokens.refresh, expiresAt: Date().addingTimeInterval(3000))),
            refresher: refresher)
        return B2CClient(client: try StellantisClient(configuration: ClientConfiguration(
            baseURL: URL(string: "http://127.0.0.1:\(port)/connectedcar/v4")!, clientID: config.clientId,
            authentication: .bearer(manager, brand: .peugeot)), httpClient: http))
    }

    /// Every monitor label deployed under callbacks of the first user, per VIN.
    func deployedLabels() async throws -> [String: [String]] {
        let client = try await b2c()
        var out: [String: [String]] = [:]
        for vehicle in try await client.vehicles() {
            for callback in try await client.callbacks() {
                let labels = try await client.monitors(vehicle: vehicle.id, callback: callback.id).map(\.monitor.label)
                if !labels.isEmpty { out[vehicle.vin ?? vehicle.id, default: []] += labels }
            }
        }
        return out.mapValues { $0.sorted() }
    }

    /// `Deploy.plan` / `Deploy.apply` in process, with captured output.
    func run(_ command: (DeployOptions, DeployConsole) async -> Int32, detailed: Bool = false, format: DeployOptions.Format = .text,
             autoApprove: Bool = true, terminal: Bool = false, answer: String? = nil) async -> (code: Int32, out: String, err: String) {
        let out = Captured(), err = Captured()
        let console = DeployConsole(out: { out.append($0) }, err: { err.append($0) }, readLine: { answer }, isTerminal: terminal)
        let options = DeployOptions(configPath: configPath, format: format, detailedExitCode: detailed,
                                    autoApprove: autoApprove, environment: environment)
        let code = await command(options, console)
        return (code, out.text, err.text)
    }

    final class Captured: Sendable {
        private let parts = Mutex<[String]>([])
        func append(_ text: String) { parts.withLock { $0.append(text) } }
        var text: String { parts.withLock { $0.joined() } }
    }
}

extension XCTestCase {
    /// A started world, stopped when the test ends.
    func startPlanWorld(vehicles: Int = 3) async throws -> PlanTestWorld {
        let world = PlanTestWorld(vehicles: vehicles)
        try await world.start()
        addTeardownBlock { await world.stop() }
        return world
    }

    /// A started world of two vehicles with bundles `ev` (rule `low-20`) and `alerts`
    /// (`low-5`) applied: where the update and record tests begin.
    func startAppliedPlanWorld(file: StaticString = #filePath, line: UInt = #line) async throws -> PlanTestWorld {
        let world = try await startPlanWorld(vehicles: 2)
        try world.writeBundle("ev", thresholds: [20])
        try world.writeBundle("alerts", thresholds: [5])
        try world.writeConfig()
        let first = await world.run(Deploy.apply)
        XCTAssertEqual(first.code, 0, first.err, file: file, line: line)
        return world
    }
}
