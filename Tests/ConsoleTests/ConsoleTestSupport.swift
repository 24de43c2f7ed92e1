import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import RuleLanguage
import XCTest

/// A console over an in-memory outcome log seeded with `ConsoleFixture`, served by an
/// in-process Hummingbird router.
struct ConsoleHarness {
    static let token = "s3cret-admin-token-\(UUID().uuidString)"
    static let rules = """
        vigie: 1
        bundle: fleet
        rules:
          - id: low-battery
            when: battery.level < 20
            for: 5m
            then:
              - horn: on
          - id: charging
            when: charging.status == InProgress
            then:
              - notify: "{{vin}} charging"
        """

    let database: OutcomeDatabase
    let app: Application<RouterResponder<BasicRequestContext>>

    init(token: String? = ConsoleHarness.token, vehicles: Int = 12, configure: (inout ConsoleSettings) -> Void = { _ in })
        throws {
        database = try OutcomeDatabase.inMemory()
        let result = RuleValidator.validate([SourceFile(path: "rules.yaml", text: Self.rules)])
        XCTAssertFalse(result.hasErrors, result.diagnostics.map { "\($0)" }.joined(separator: "\n"))
        let now = Date()
        try ConsoleFixture.seed(database, vehicles: vehicles, bundle: "fleet", rules: ["low-battery", "charging"],
                                decisionsPerVehicle: 3, now: now)
        var settings = ConsoleSettings(token: token)
        settings.tick = 0.05
        settings.streamEvents = 2
        configure(&settings)
        let console = try Console(source: ConsoleSource(database: database, bundles: result.bundles), settings: settings)
        let router = Router()
        console.addRoutes(to: router)
        app = Application(router: router)
    }

    /// Logs in with the token; returns the session cookie (`name=value`).
    static func login(_ client: some TestClientProtocol, token: String = ConsoleHarness.token) async throws -> String {
        let response = try await client.execute(uri: "/console/login", method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "token=\(ConsoleFormEncoding.encode(token))"))
        XCTAssertEqual(response.status, .seeOther)
        let cookie = try XCTUnwrap(response.headers[.setCookie])
        return String(cookie.split(separator: ";")[0])
    }

    /// The CSRF token in a page's forms.
    static func csrf(in html: String) throws -> String {
        let marker = #"name="csrf" value=""#
        let start = try XCTUnwrap(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, cookie: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, cookie: String?, form: String) async throws
        -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
    }
}

enum ConsoleFormEncoding {
    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
