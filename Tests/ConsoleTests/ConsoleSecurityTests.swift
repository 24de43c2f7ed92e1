import Console
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import XCTest

/// Authentication, CSRF, security headers, and the token never rendered (SSE included).
final class ConsoleSecurityTests: XCTestCase {
    static let pages = ["/console", "/console/vehicles", "/console/vehicles/\(ConsoleFixture.vin(1))", "/console/rules",
                        "/console/rules?bundle=fleet&rule=charging", "/console/holds", "/console/decisions/1"]

    func testEveryPageNeedsTheToken() async throws {
        let h = try ConsoleHarness()
        try await h.app.test(.router) { client in
            for page in Self.pages {
                let anonymous = try await client.execute(uri: page, method: .get)
                XCTAssertEqual(anonymous.status, .seeOther, page)
                XCTAssertEqual(anonymous.headers[.location], "/console/login", page)
                XCTAssertFalse(String(buffer: anonymous.body).contains("VF3BENCH"), page)
                let wrong = try await client.execute(uri: page, method: .get, headers: [.authorization: "Bearer nope"])
                XCTAssertEqual(wrong.status, .unauthorized, page)
                let forged = try await client.execute(uri: page, method: .get, headers: [.cookie: "vigie_console=forged"])
                XCTAssertEqual(forged.status, .seeOther, page)
                let bearer = try await client.execute(uri: page, method: .get,
                                                      headers: [.authorization: "Bearer \(ConsoleHarness.token)"])
                XCTAssertEqual(bearer.status, .ok, page)
            }
            let events = try await client.execute(uri: "/console/events", method: .get)
            XCTAssertEqual(events.status, .unauthorized)
            let pause = try await ConsoleHarness.post(client, "/console/holds/pause", cookie: nil, form: "vin=X")
            XCTAssertEqual(pause.status, .unauthorized)
        }
        XCTAssertTrue(try h.database.activeHolds().isEmpty)
    }

    func testLoginSetsAStrictHttpOnlyCookieAndAWrongTokenIsRefused() async throws {
        let h = try ConsoleHarness()
        try await h.app.test(.router) { client in
            let wrong = try await ConsoleHarness.post(client, "/console/login", cookie: nil, form: "token=guess")
            XCTAssertEqual(wrong.status, .unauthorized)
            XCTAssertNil(wrong.headers[.setCookie])
            let response = try await ConsoleHarness.post(client, "/console/login", cookie: nil,
                                                         form: "token=\(ConsoleFormEncoding.encode(ConsoleHarness.token))")
            XCTAssertEqual(response.status, .seeOther)
            let cookie = try XCTUnwrap(response.headers[.setCookie])
            XCTAssertTrue(cookie.contains("HttpOnly"), cookie)
            XCTAssertTrue(cookie.contains("SameSite=Strict"), cookie)
            XCTAssertFalse(cookie.contains(ConsoleHarness.token))
            let session = String(cookie.split(separator: ";")[0])
            let page = try await ConsoleHarness.get(client, "/console", cookie: session)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(String(buffer: page.body).contains("Overview"))
            // Logging out ends the session.
            let csrf = try ConsoleHarness.csrf(in: String(buffer: page.body))
            let out = try await ConsoleHarness.post(client, "/console/logout", cookie: session, form: "csrf=\(csrf)")
            XCTAssertEqual(out.status, .seeOther)
            let after = try await ConsoleHarness.get(client, "/console", cookie: session)
            XCTAssertEqual(after.status, .seeOther)
        }
    }

    func testNoTokenConfiguredTurnsTheConsoleOff() async throws {
        let h = try ConsoleHarness(token: nil)
        try await h.app.test(.router) { client in
            for page in Self.pages + ["/console/login", "/console/events"] {
                let response = try await client.execute(uri: page, method: .get)
                XCTAssertEqual(response.status, .forbidden, page)
            }
            let login = try await ConsoleHarness.post(client, "/console/login", cookie: nil, form: "token=")
            XCTAssertEqual(login.status, .forbidden)
        }
    }

    func testAStateChangingFormWithoutTheCSRFTokenIsRefused() async throws {
        let h = try ConsoleHarness()
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let page = try await ConsoleHarness.get(client, "/console/holds", cookie: cookie)
            let csrf = try ConsoleHarness.csrf(in: String(buffer: page.body))
            XCTAssertEqual(csrf.count, 64)
            for form in ["vin=\(ConsoleFixture.vin(1))", "vin=\(ConsoleFixture.vin(1))&csrf=", "vin=\(ConsoleFixture.vin(1))&csrf=\(String(csrf.reversed()))"] {
                let refused = try await ConsoleHarness.post(client, "/console/holds/pause", cookie: cookie, form: form)
                XCTAssertEqual(refused.status, .forbidden, form)
                let confirm = try await ConsoleHarness.post(client, "/console/holds/confirm", cookie: cookie,
                                                            form: form + "&action=pause")
                XCTAssertEqual(confirm.status, .forbidden, form)
            }
            XCTAssertTrue(try h.database.activeHolds().isEmpty)
            // Another session's CSRF token does not do either.
            let other = try await ConsoleHarness.login(client)
            let otherPage = try await ConsoleHarness.get(client, "/console/holds", cookie: other)
            let otherCSRF = try ConsoleHarness.csrf(in: String(buffer: otherPage.body))
            XCTAssertNotEqual(otherCSRF, csrf)
            let crossed = try await ConsoleHarness.post(client, "/console/holds/pause", cookie: cookie,
                                                        form: "vin=X&csrf=\(otherCSRF)")
            XCTAssertEqual(crossed.status, .forbidden)
            XCTAssertTrue(try h.database.activeHolds().isEmpty)
            let done = try await ConsoleHarness.post(client, "/console/holds/pause", cookie: cookie,
                                                     form: "vin=\(ConsoleFixture.vin(1))&csrf=\(csrf)")
            XCTAssertEqual(done.status, .ok)
            XCTAssertEqual(try h.database.activeHolds().map(\.vin), [ConsoleFixture.vin(1)])
        }
    }

    func testSecurityHeadersOnEveryAnswer() async throws {
        let h = try ConsoleHarness()
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            for page in Self.pages + ["/console/login", "/console/events"] {
                let response = try await ConsoleHarness.get(client, page, cookie: cookie)
                XCTAssertEqual(response.status, .ok, page)
                let csp = try XCTUnwrap(response.headers[.contentSecurityPolicy], page)
                XCTAssertTrue(csp.contains("script-src 'self'"), csp)
                XCTAssertFalse(csp.contains("unsafe-inline"), csp)
                XCTAssertTrue(csp.contains("frame-ancestors 'none'"), csp)
                XCTAssertEqual(response.headers[HTTPField.Name("X-Frame-Options")!], "DENY", page)
                XCTAssertEqual(response.headers[.xContentTypeOptions], "nosniff", page)
                XCTAssertEqual(response.headers[.cacheControl], "no-store", page)
                let body = String(buffer: response.body)
                // No inline script: every <script> has a src, and no on…= handler attribute.
                for tag in body.components(separatedBy: "<script").dropFirst() {
                    XCTAssertTrue(tag.hasPrefix(" src=\"/console/static/"), page)
                }
                XCTAssertNil(body.range(of: #" on[a-z]+=""#, options: .regularExpression), page)
            }
            let js = try await ConsoleHarness.get(client, "/console/static/console.js", cookie: cookie)
            XCTAssertEqual(js.headers[.xContentTypeOptions], "nosniff")
        }
    }

    func testTheTokenIsNeverRenderedNorStreamed() async throws {
        let h = try ConsoleHarness()
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let bearer: HTTPFields = [.authorization: "Bearer \(ConsoleHarness.token)"]
            var bodies: [String] = []
            for page in Self.pages + ["/console/login", "/console/events"] {
                bodies.append(String(buffer: try await ConsoleHarness.get(client, page, cookie: cookie).body))
                bodies.append(String(buffer: try await client.execute(uri: page, method: .get, headers: bearer).body))
            }
            let failed = try await ConsoleHarness.post(client, "/console/login", cookie: nil,
                                                       form: "token=\(ConsoleHarness.token)x")
            bodies.append(String(buffer: failed.body))
            let events = bodies[bodies.count - 2]
            XCTAssertTrue(events.contains("event: tick"), events)
            for body in bodies {
                XCTAssertFalse(body.contains(ConsoleHarness.token))
                XCTAssertFalse(body.contains("s3cret"))
            }
            // The session id (the cookie) never appears in a page either.
            let session = String(cookie.split(separator: "=")[1])
            for body in bodies { XCTAssertFalse(body.contains(session)) }
        }
    }
}
