import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import OutcomeStore

/// The web console (docs/console.md): server-rendered pages under `/console` on the admin
/// listener, live updates by Server-Sent Events, pause and resume with a confirmation.
/// Every page needs the admin token — as `Authorization: Bearer`, or exchanged once on
/// the login form for an HttpOnly, SameSite=Strict session cookie; every state-changing
/// form carries the session's CSRF token. With no token configured the console is off (403).
package struct Console: Sendable {
    let source: ConsoleSource
    let settings: ConsoleSettings
    let library: MustacheLibrary
    let sessions = ConsoleSessions()
    let intake = IntakeRate()
    static let cookie = "vigie_console"

    package init(source: ConsoleSource, settings: ConsoleSettings) throws {
        self.source = source
        self.settings = settings
        library = try ConsoleTemplates.library()
    }

    /// How a request proved it knows the token.
    enum Access {
        case bearer
        /// `label`: a short random name of the session, not its secret id (who asked, in the log).
        case session(id: String, csrf: String, label: String)

        var csrf: String {
            if case .session(_, let csrf, _) = self { return csrf }
            return ""
        }

        /// Who is asking, as manual commands record it.
        var identity: String {
            switch self {
            case .bearer: return "console bearer token"
            case .session(_, _, let label): return "console session \(label)"
            }
        }
    }

    package func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/console/static/console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        router.get("/console/static/console.js") { _, _ in
            Self.asset(ConsoleAssets.js, type: "text/javascript; charset=utf-8")
        }
        router.get("/console/login") { _, _ in loginPage(error: nil, status: .ok) }
        router.post("/console/login") { request, _ in
            let form = try await Self.form(request)
            return login(form)
        }
        router.post("/console/logout") { request, _ in
            let form = try await Self.form(request)
            return await changing(request, form) { access in
                if case .session(let id, _, _) = access { sessions.remove(id) }
                var response = Self.redirect("/console/login")
                response.headers[.setCookie] = "\(Self.cookie)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
                return response
            }
        }
        router.get("/console") { request, _ in await page(request) { try await overview($0) } }
        router.get("/console/vehicles") { request, _ in await page(request) { try await vehicles(request, $0) } }
        router.get("/console/vehicles/:vin") { request, context in
            let vin = context.parameters.get("vin") ?? ""
            return await page(request) { try await vehicle(vin, $0) }
        }
        router.post("/console/vehicles/:vin/send/confirm") { request, context in
            let vin = context.parameters.get("vin") ?? ""
            let form = try await Self.form(request)
            return await changing(request, form) { try confirmSend(vin, form, $0) }
        }
        router.post("/console/vehicles/:vin/send") { request, context in
            let vin = context.parameters.get("vin") ?? ""
            let form = try await Self.form(request)
            return await changing(request, form) { try await send(vin, form, $0) }
        }
        router.get("/console/rules") { request, _ in await page(request) { try await rules(request, $0) } }
        router.get("/console/decisions/:id") { request, context in
            let id = context.parameters.get("id").flatMap { Int64($0) }
            return await page(request) { try await trace(id, $0) }
        }
        router.get("/console/holds") { request, _ in await page(request) { try await holds($0) } }
        router.get("/console/deployments") { request, _ in await page(request) { try await deployments(request, $0) } }
        router.post("/console/holds/confirm") { request, _ in
            let form = try await Self.form(request)
            return await changing(request, form) { try await confirm(form, $0) }
        }
        router.post("/console/holds/pause") { request, _ in
            let form = try await Self.form(request)
            return await changing(request, form) { try await pause(form, $0) }
        }
        router.post("/console/holds/resume") { request, _ in
            let form = try await Self.form(request)
            return await changing(request, form) { try await resume(form, $0) }
        }
        router.get("/console/events") { request, _ in stream(request) }
    }

    // MARK: Authentication

    func access(_ request: Request) -> Access? {
        guard let token = settings.token else { return nil }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return ConsoleSessions.constantTimeEquals(String(header.dropFirst(7)), token) ? .bearer : nil
        }
        if let id = request.cookies[Self.cookie]?.value, let session = sessions.lookup(id, now: source.now()) {
            return .session(id: id, csrf: session.csrf, label: session.label)
        }
        return nil
    }

    func login(_ form: [String: String]) -> Response {
        guard let token = settings.token else { return off() }
        guard let given = form["token"], ConsoleSessions.constantTimeEquals(given, token) else {
            return loginPage(error: "That is not the admin token.", status: .unauthorized)
        }
        let (id, _) = sessions.create(now: source.now(), lifetime: settings.sessionLifetime)
        var response = Self.redirect("/console")
        response.headers[.setCookie] = "\(Self.cookie)=\(id); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(Int(settings.sessionLifetime))"
        return response
    }

    /// A page: authenticated (else to the login form), rendered in the layout.
    func page(_ request: Request, _ build: (Access) async throws -> Response) async -> Response {
        guard settings.token != nil else { return off() }
        guard let access = access(request) else {
            if request.headers[.authorization] != nil { return unauthorized() }
            return Self.redirect("/console/login")
        }
        do {
            return try await build(access)
        } catch {
            return render(.internalServerError, title: "Error", template: "message",
                          ["kind": "error", "text": "The console could not read the store: \(error)"], access: access)
        }
    }

    /// A state-changing request: authenticated, and with the session's CSRF token.
    func changing(_ request: Request, _ form: [String: String], _ build: (Access) async throws -> Response) async -> Response {
        guard settings.token != nil else { return off() }
        guard let access = access(request) else { return unauthorized() }
        if case .session(_, let csrf, _) = access {
            guard let given = form["csrf"], ConsoleSessions.constantTimeEquals(given, csrf) else {
                return render(.forbidden, title: "Refused", template: "message",
                              ["kind": "error", "text": "The form's CSRF token is missing or wrong: reload the page and try again.",
                               "back": "/console/holds"], access: access)
            }
        }
        do {
            return try await build(access)
        } catch {
            return render(.internalServerError, title: "Error", template: "message",
                          ["kind": "error", "text": "The console could not write the store: \(error)"], access: access)
        }
    }

    func off() -> Response {
        Self.secured(Self.html(.forbidden, """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigie console</title></head>
            <body><p>The console is off: set <code>admin.token</code> in the configuration.</p></body></html>
            """))
    }

    func unauthorized() -> Response {
        var response = Self.secured(Self.html(.unauthorized, "unauthorized\n"))
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    func loginPage(error: String?, status: HTTPResponse.Status) -> Response {
        guard settings.token != nil else { return off() }
        var data: [String: Any] = [:]
        if let error { data["error"] = error }
        return render(status, title: "Log in", template: "login", data, access: nil)
    }

    // MARK: Responses

    /// A page in the layout, with the security headers and no-store.
    func render(_ status: HTTPResponse.Status = .ok, title: String, template: String, _ data: [String: Any],
                access: Access?, vin: String = "") -> Response {
        let content = library.render(data, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "page": template, "vin": vin, "content": content]
        if let access { layout["nav"] = ["csrf": access.csrf] }
        return Self.secured(Self.html(status, library.render(layout, withTemplate: "layout") ?? ""))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        secured(Response(status: .seeOther, headers: [.location: location]))
    }

    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The security headers of every console answer; data (everything but the static
    /// files) is never cached.
    static func secured(_ response: Response, cache: Bool = false) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = cache ? "private, max-age=300" : "no-store"
        return response
    }

    static func asset(_ text: String, type: String) -> Response {
        secured(Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text))),
                cache: true)
    }

    /// A form body (at most 16 KiB).
    static func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 16 * 1024)
        return ConsoleForm.parse(String(buffer: body))
    }

    static func query(_ request: Request) -> [String: String] {
        ConsoleForm.parse(request.uri.query ?? "")
    }
}
