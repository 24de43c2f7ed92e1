import Foundation
import RuleEngine
import StellantisModels
import VigieRuntime
import VigieTestSupport
import XCTest

/// `vigie.yaml`: every key, defaults, relative paths, and errors with file:line:column.
final class ConfigLoadingTests: XCTestCase {
    var folder: ConfigFolder!

    override func setUpWithError() throws { folder = try ConfigFolder() }
    override func tearDown() { folder.remove() }

    func testMinimalConfigurationGetsTheDocumentedDefaults() throws {
        let config = try folder.load(ConfigFolder.minimal)
        XCTAssertEqual(config.api.kind, .b2c)
        XCTAssertEqual(config.api.baseURL.absoluteString, "https://api.groupe-psa.com/connectedcar/v4")
        XCTAssertEqual(config.api.clientID, "my-client")
        XCTAssertEqual(config.api.clientSecret?.reveal(), ConfigFolder.clientSecret)
        XCTAssertEqual(config.api.effectiveRealm, "clientsB2CPeugot/OTPPeugeot")
        XCTAssertEqual(config.api.tokenStorePath, folder.path("tokens.json"))
        XCTAssertEqual(config.callback.webhookTarget(), "https://vigie.example.com/webhook/\(ConfigFolder.webhookSecret)")
        XCTAssertEqual(config.rules, [folder.path("rules")])
        XCTAssertEqual(config.databasePath, folder.path("vigie.sqlite"))
        XCTAssertEqual(config.listen, VigieConfig.Listen(host: "127.0.0.1", port: 8080))
        XCTAssertEqual(config.budgets, VigieConfig.Budgets(commandsPerDay: 10, wakeUpsPerDay: 2))
        XCTAssertEqual(config.staleAfter, 300)
        XCTAssertEqual(config.safety, VigieConfig.Safety(paused: false, flapWindow: 600, flapMaxRises: 4,
                                                         loopWindow: 3600, loopMaxFirings: 6))
        XCTAssertEqual(config.logLevel, "info")
        XCTAssertTrue(config.inventory.vehicles.isEmpty)
    }

    func testEveryKeyIsRead() throws {
        try folder.write("certs/client.pem", "cert")
        try folder.write("certs/client.key", "key")
        try folder.write("secrets/client", "from-a-file\n")
        try folder.write("secrets/hook", "0123456789abcdefXYZ\n")
        let config = try folder.load("""
            api:
              kind: b2b
              base_url: http://127.0.0.1:9000/connectedcar/v3
              client_id: fleet-client
              client_secret: {file: secrets/client}
              certificate: certs/client.pem
              key: certs/client.key
              fleet_id: fleet-7
              request_timeout: 45s
            callback:
              public_url: https://hooks.example.com/vigie/
              webhook_secret: {file: secrets/hook}
              label: vigie-prod
              batch: false
            listen: {host: 0.0.0.0, port: 9090}
            database: /var/lib/vigie/vigie.sqlite
            rules: [Rules, more/extra.yaml]
            vehicles:
              - {vin: VIN1, id: vid-1, brand: Citroën, tags: [ev, paris]}
              - vin: VIN2
                tags: ev
            budgets: {commands_per_day: 20, wake_ups_per_day: 1}
            stale_after: 2m
            remote_timeout: 1h
            safety: {paused: true, flap_window: 5m, flap_max_rises: 3, loop_window: 2h, loop_max_firings: 10}
            log_level: DEBUG

            """)
        XCTAssertEqual(config.api.kind, .b2b)
        XCTAssertEqual(config.api.baseURL.absoluteString, "http://127.0.0.1:9000/connectedcar/v3")
        XCTAssertEqual(config.api.clientSecret?.reveal(), "from-a-file")
        XCTAssertEqual(config.api.clientSecret?.source, .file(folder.path("secrets/client")))
        XCTAssertEqual(config.api.certificatePath, folder.path("certs/client.pem"))
        XCTAssertEqual(config.api.keyPath, folder.path("certs/client.key"))
        XCTAssertEqual(config.api.fleetID, "fleet-7")
        XCTAssertEqual(config.api.requestTimeout, 45)
        XCTAssertEqual(config.callback.webhookTarget(), "https://hooks.example.com/vigie/webhook/0123456789abcdefXYZ")
        XCTAssertEqual(config.callback.label, "vigie-prod")
        XCTAssertFalse(config.callback.batch)
        XCTAssertEqual(config.listen, VigieConfig.Listen(host: "0.0.0.0", port: 9090))
        XCTAssertEqual(config.databasePath, "/var/lib/vigie/vigie.sqlite")
        XCTAssertEqual(config.rules, [folder.path("Rules"), folder.path("more/extra.yaml")])
        XCTAssertEqual(config.inventory, Inventory(vehicles: [
            Inventory.Vehicle(vin: "VIN1", tags: ["ev", "paris"], brand: "citroen"),
            Inventory.Vehicle(vin: "VIN2", tags: ["ev"]),
        ]))
        XCTAssertEqual(config.vehicleIDs, ["VIN1": "vid-1"])
        XCTAssertEqual(config.budgets, VigieConfig.Budgets(commandsPerDay: 20, wakeUpsPerDay: 1))
        XCTAssertEqual(config.staleAfter, 120)
        XCTAssertEqual(config.remoteTimeout, 3600)
        XCTAssertEqual(config.safety, VigieConfig.Safety(paused: true, flapWindow: 300, flapMaxRises: 3,
                                                         loopWindow: 7200, loopMaxFirings: 10))
        XCTAssertEqual(config.logLevel, "debug")
    }

    func testListenAsHostPortString() throws {
        let config = try folder.load(ConfigFolder.minimal + "listen: 0.0.0.0:0\n")
        XCTAssertEqual(config.listen, VigieConfig.Listen(host: "0.0.0.0", port: 0))
    }

    func testUnknownKeyIsAnErrorWithPositionAndSuggestion() throws {
        let error = try folder.refuse(ConfigFolder.minimal + "stale_aftr: 5m\n")
        XCTAssertEqual(error.issues.count, 1)
        XCTAssertEqual(error.line, 10)
        XCTAssertEqual(error.column, 1)
        XCTAssertTrue(error.message.contains("unknown key `stale_aftr`"), error.message)
        XCTAssertTrue(error.message.contains("did you mean `stale_after`?"), error.message)
        XCTAssertEqual(error.description.split(separator: ":").prefix(3).joined(separator: ":"),
                       "\(folder.path("vigie.yaml")):10:1")
    }

    func testNestedUnknownKeyPointsAtTheKey() throws {
        let text = ConfigFolder.minimal.replacingOccurrences(of: "  brand: peugeot", with: "  brnad: peugeot")
        let error = try folder.refuse(text)
        XCTAssertEqual(error.issues.first.map { [$0.line, $0.column] }, [4, 3])
        XCTAssertTrue(error.message.contains("did you mean `brand`?"), error.message)
    }

    func testMistakesAreCollectedInOnePass() throws {
        let error = try folder.refuse("""
            api:
              kind: b2x
              client_id: c
              client_secret: {env: VIGIE_CLIENT_SECRET}
              brand: peugeot
              token_store: t.json
            callback:
              public_url: not a url
              webhook_secret: {env: VIGIE_WEBHOOK_SECRET}
            rules: [r]
            stale_after: soon
            safety: {paused: yes}

            """)
        let positions = error.issues.map { "\($0.line):\($0.column)" }
        XCTAssertEqual(positions, ["2:9", "8:15", "11:14", "12:18"], error.description)
        XCTAssertTrue(error.issues[2].message.contains("positive duration"))
        XCTAssertTrue(error.issues[3].message.contains("true or false"))
    }

    func testMissingRequiredSectionsAndKinds() throws {
        let error = try folder.refuse("listen: 0.0.0.0:8080\n")
        XCTAssertEqual(error.issues.map(\.message), [
            "the configuration: missing `api`", "the configuration: missing `callback`", "the configuration: missing `rules`",
        ])
        let b2b = try folder.refuse(ConfigFolder.minimal.replacingOccurrences(of: "  brand: peugeot", with: "  kind: b2b"))
        XCTAssertTrue(b2b.issues.contains { $0.message.contains("needs `fleet_id`") }, b2b.description)
    }

    func testSyntaxErrorsAndDuplicateKeysHavePositions() throws {
        let syntax = try folder.refuse("api:\n  client_id: [unclosed\n")
        XCTAssertGreaterThan(syntax.line, 0)
        XCTAssertTrue(syntax.message.hasPrefix("YAML syntax"), syntax.message)
        let duplicate = try folder.refuse(ConfigFolder.minimal + "rules: [again]\n")
        XCTAssertTrue(duplicate.message.contains("duplicate key `rules`"), duplicate.description)
        XCTAssertGreaterThan(duplicate.line, 0)
    }

    func testUnreadableFilesAreReported() throws {
        XCTAssertThrowsError(try VigieConfig.load(path: folder.path("absent.yaml"))) { error in
            XCTAssertTrue("\(error)".contains("cannot read the configuration file"))
        }
        let error = try folder.refuse(ConfigFolder.minimal.replacingOccurrences(
            of: "  brand: peugeot", with: "  brand: peugeot\n  certificate: missing.pem\n  key: missing.key"))
        XCTAssertTrue(error.description.contains("api.certificate: cannot read"), error.description)
    }

    func testUnknownBrandAndDuplicateVIN() throws {
        let error = try folder.refuse(ConfigFolder.minimal + """
            vehicles:
              - {vin: V1, brand: Fiat}
              - {vin: V1}

            """)
        XCTAssertEqual(error.issues.map { "\($0.line):\($0.column)" }, ["11:22", "12:11"], error.description)
        XCTAssertTrue(error.issues[0].message.contains("unknown brand `Fiat`"))
        XCTAssertTrue(error.issues[1].message.contains("duplicate VIN V1 (already vehicles[0])"))
    }

    func testTheShippedExampleLoads() throws {
        let example = try String(contentsOf: SharedFiles.repoFile("examples/deploy/vigie.yaml"), encoding: .utf8)
        try folder.write("certs/client.pem", "cert")
        try folder.write("certs/client.key", "key")
        let config = try folder.load(example)
        XCTAssertEqual(config.inventory.vehicles.map(\.vin), ["VR3UHZKXZMT000001", "VR3UHZKXZMT000002"])
        XCTAssertEqual(config.vehicleIDs, ["VR3UHZKXZMT000002": "7f3c9a2e-vehicle-id"])
        XCTAssertEqual(config.listen.port, 8080)
    }
}
