import Foundation
import StellantisAPI
import VigieTestSupport
import XCTest

/// `vigie serve --config FILE` as a process against the in-process simulator: starts from
/// a real `vigie.yaml` (callback found by its label, tokens from the token store), serves
/// `/healthz`, and exits 0 on SIGTERM after a graceful shutdown; usage and configuration
/// errors exit 64 and 1.
final class ServeCommandTests: XCTestCase {
    static func binary() throws -> URL {
        let url = CommandRunner.vigieBinary
        // `swift build --build-tests` builds it: its absence fails the test.
        return try XCTUnwrap(FileManager.default.isExecutableFile(atPath: url.path) ? url : nil,
                             "vigie binary not built at \(url.path)")
    }

    func testUsageAndConfigurationErrors() throws {
        _ = try Self.binary()
        let usage = try CommandRunner.vigie(["serve", "--config", "x.yaml", "--log-level", "loud"])
        XCTAssertEqual(usage.exitCode, 64)
        XCTAssertTrue(usage.stderr.contains("--log-level"), usage.stderr)
        let missing = try CommandRunner.vigie(["serve", "--config", "/nonexistent/vigie.yaml"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/vigie.yaml"), missing.stderr)
    }

    func testServeStartsFromAConfigurationAndStopsGracefullyOnSIGTERM() async throws {
        _ = try Self.binary()
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-serve-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let port = try Self.freePort()
        let adminPort = try Self.freePort()
        try await Self.writeConfig(h, folder: folder, port: port, adminPort: adminPort)

        let serve = try ServeProcess(h, folder: folder)
        defer { serve.terminateIfRunning() }
        let healthy = try await serve.waitHealthy(h, adminPort: adminPort)
        XCTAssertTrue(healthy, "serve answers /healthz")
        let metrics = try await Self.status(h, "http://127.0.0.1:\(adminPort)/metrics")
        XCTAssertEqual(metrics, 200)
        serve.signal(SIGTERM)
        try await serve.waitForExit(seconds: 10)
        XCTAssertFalse(serve.isRunning)
        let log = serve.errorLog()
        XCTAssertEqual(serve.process.terminationStatus, 0, log)
        XCTAssertTrue(log.contains("vigie serve stopped"), log)
        XCTAssertFalse(log.contains(h.secret), "the webhook secret is never logged")
        XCTAssertFalse(log.contains(h.simConfig.clientSecret), "the client secret is never logged")
    }

    /// Where a written `vigie.yaml` takes the client and webhook secrets from.
    enum SecretSource {
        /// `VIGIE_CLIENT_SECRET` and `VIGIE_WEBHOOK_SECRET` (what `ServeProcess` sets).
        case environment
        /// `client_secret` and `webhook_secret` in `${CREDENTIALS_DIRECTORY}` (systemd's `LoadCredential=`).
        case credentials
    }

    /// Writes `vigie.yaml`, the horn rule and the token store in `folder` for the harness's
    /// simulator and vehicles.
    /// - Parameters:
    ///   - port: the webhook listener's port (0: any free one), also the callback's public URL
    ///     unless `publicURL` is given.
    ///   - adminPort: the admin listener's port (0: any free one).
    static func writeConfig(_ h: ServeHarness, folder: URL, port: Int, adminPort: Int = 0, publicURL: String? = nil,
                            secrets: SecretSource = .environment, logLevel: String = "info") async throws {
        let rules = folder.appendingPathComponent("rules.yaml")
        try ServeRuntimeTests.hornRule.write(to: rules, atomically: true, encoding: .utf8)
        let store = FileTokenStore(url: folder.appendingPathComponent("tokens.json"))
        let t = await h.core.bootstrapTokens()
        try store.save(StoredTokens(accessToken: t.access, refreshToken: t.refresh,
                                    expiresAt: Date().addingTimeInterval(Double(t.expiresIn))))
        let (clientSecret, webhookSecret) = switch secrets {
        case .environment: ("{env: VIGIE_CLIENT_SECRET}", "{env: VIGIE_WEBHOOK_SECRET}")
        case .credentials: (#"{file: "${CREDENTIALS_DIRECTORY}/client_secret"}"#, #"{file: "${CREDENTIALS_DIRECTORY}/webhook_secret"}"#)
        }
        let yaml = """
            api:
              kind: b2c
              base_url: http://127.0.0.1:\(h.simPort)/connectedcar/v4
              client_id: \(h.simConfig.clientId)
              client_secret: \(clientSecret)
              brand: peugeot
              token_url: http://127.0.0.1:\(h.simPort)/oauth2/access_token
              token_store: tokens.json
            callback:
              public_url: \(publicURL ?? "http://127.0.0.1:\(port)")
              webhook_secret: \(webhookSecret)
            listen: 127.0.0.1:\(port)
            admin: {listen: "127.0.0.1:\(adminPort)"}
            database: vigie.sqlite
            rules: [rules.yaml]
            vehicles:
            \(h.vins.map { "  - {vin: \($0), id: \(h.vehicleIDs[$0]!)}" }.joined(separator: "\n"))
            log_level: \(logLevel)
            """
        try yaml.write(to: folder.appendingPathComponent("vigie.yaml"), atomically: true, encoding: .utf8)
    }

    static func status(_ h: ServeHarness, _ url: String) async throws -> Int {
        let response = try await h.http.execute(.init(url: url), timeout: .seconds(2))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// A port free now (bound to 0 and released).
    static func freePort() throws -> Int { try LoopbackPort.free() }
}
