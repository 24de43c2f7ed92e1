import AsyncHTTPClient
import Foundation
import StellantisAPI
import VigieKit
import VigieRuntime
import XCTest

/// `vigie login` / `vigie logout` in process against the simulator of a `PlanTestWorld`
/// (its `tokens.json` removed: no session yet), with a browser that follows the printed URL.
final class LoginTestWorld: Sendable {
    let world: PlanTestWorld
    /// A browser: stops at the redirect, as the user's address bar would show it.
    let browser = HTTPClient(eventLoopGroupProvider: .singleton,
                             configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    init(world: PlanTestWorld) { self.world = world }

    var tokenStore: URL { world.folder.appendingPathComponent("tokens.json") }
    var pendingFile: URL { world.folder.appendingPathComponent("tokens.json.login") }

    func options(code: String? = nil, redirectURL: String? = nil, noInput: Bool = false, status: Bool = false) -> LoginOptions {
        LoginOptions(configPath: world.configPath, code: code, redirectURL: redirectURL, noInput: noInput, status: status,
                     environment: world.environment)
    }

    /// The authorization URL in what `vigie login` printed.
    static func authorizationURL(in output: String) -> String? {
        output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("http") && $0.contains("/oauth2/authorize?") }
    }

    /// Opens `url` as the browser would: the redirect's `Location`.
    func approve(_ url: String) async throws -> String {
        let response = try await browser.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        XCTAssertEqual(response.status, .found)
        return try XCTUnwrap(response.headers.first(name: "location"))
    }

    /// Runs `body` with a console whose input is `answer(printed output)` (nil: end of input).
    func run(_ options: LoginOptions,
             answer: (@Sendable (String) async throws -> String?)? = nil,
             _ body: (LoginOptions, LoginConsole) async -> Int32) async -> (code: Int32, out: String, err: String) {
        let out = PlanTestWorld.Captured(), err = PlanTestWorld.Captured()
        let console = LoginConsole(out: { out.append($0) }, err: { err.append($0) }, readLine: {
            guard let answer else { return nil }
            return try? await answer(out.text)
        })
        let code = await body(options, console)
        return (code, out.text, err.text)
    }

    /// `vigie login` answered with the redirect the browser reached, `edit`ed first.
    func login(edit: @escaping @Sendable (String) -> String = { $0 }) async -> (code: Int32, out: String, err: String) {
        await run(options(), answer: { printed in
            guard let url = Self.authorizationURL(in: printed) else { return nil }
            return edit(try await self.approve(url))
        }) { await Login.login($0, console: $1) }
    }

    /// Starts a sign-in without finishing it (standard input closed): the redirect it leads to.
    func startSignIn() async throws -> String {
        let started = await run(options()) { await Login.login($0, console: $1) }
        XCTAssertEqual(started.code, 1)
        let url = try XCTUnwrap(Self.authorizationURL(in: started.out))
        return try await approve(url)
    }

    func stop() async { try? await browser.shutdown() }
}

extension XCTestCase {
    func startLoginWorld() async throws -> LoginTestWorld {
        let world = try await startPlanWorld(vehicles: 2)
        try world.writeConfig()
        try world.removeFile("tokens.json")
        let login = LoginTestWorld(world: world)
        addTeardownBlock { await login.stop() }
        return login
    }
}
