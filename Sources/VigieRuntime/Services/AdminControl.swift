import Foundation
import VehicleData
import Hummingbird
import NIOCore
import OutcomeStore
import WebhookServer

/// The admin listener's control API (docs/serve.md "Admin listener"): the holds in force,
/// pause and resume with the selectors of `vigie pause` / `vigie resume`, written to the
/// store like those commands do and applied at once (the dispatcher is woken). Every
/// route requires `Authorization: Bearer <token>`; with no token configured it answers
/// 403. Bodies and answers are JSON with sorted keys.
struct AdminControl: Sendable {
    let store: any RuntimeStore
    let token: SecretMatcher?
    let clock: any VigieClock
    /// Called after a hold changed (re-reads the holds, wakes the dispatcher).
    let changed: @Sendable () -> Void

    /// What `POST /api/v1/pause` and `/resume` accept; `rule` is `bundle/rule` (resume only).
    struct Selection: Decodable {
        var vin: String?
        var bundle: String?
        var rule: String?
        var reason: String?
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/holds") { request, _ in
            try await authorized(request) { try await holds() }
        }
        router.post("/api/v1/pause") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try await authorized(request) { try await pause(body) }
        }
        router.post("/api/v1/resume") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try await authorized(request) { try await resume(body) }
        }
    }

    private func authorized(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        guard let token else {
            return Self.json(.forbidden, ["error": "the control API is off: set admin.token in the configuration"])
        }
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), token.matches(String(header.dropFirst(prefix.count))) else {
            var response = Self.json(.unauthorized, ["error": "unauthorized"])
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        do {
            return try await body()
        } catch let error as SelectionError {
            return Self.json(.badRequest, ["error": error.message])
        }
    }

    private func holds() async throws -> Response {
        let holds = try await store.activeHolds()
        return Self.json(.ok, ["holds": holds.map(Self.describe)])
    }

    private func pause(_ body: ByteBuffer) async throws -> Response {
        let selection = try Self.selection(body, allowed: ["vin", "bundle", "reason"])
        let hold = ControlHoldRecord(kind: .pause, vin: selection.vin, bundle: selection.bundle,
                                     reason: selection.reason, createdAt: clock.now())
        let result = try await store.addHold(hold, detail: "admin API")
        changed()
        return Self.json(result.isNew ? .created : .ok, ["hold": Self.describe(result.hold), "new": result.isNew])
    }

    private func resume(_ body: ByteBuffer) async throws -> Response {
        let selection = try Self.selection(body, allowed: ["vin", "bundle", "rule"])
        var selector = ControlSelector(vin: selection.vin, bundle: selection.bundle)
        if let rule = selection.rule {
            guard let slash = rule.firstIndex(of: "/") else { throw SelectionError(message: "rule must be bundle/rule") }
            selector.bundle = String(rule[..<slash])
            selector.rule = String(rule[rule.index(after: slash)...])
        }
        let lifted = try await store.resumeHolds(matching: selector, kinds: [.pause, .loop], at: clock.now(), detail: "admin API")
        if !lifted.isEmpty { changed() }
        guard !lifted.isEmpty else { return Self.json(.notFound, ["error": "nothing to resume", "resumed": [Any]()]) }
        return Self.json(.ok, ["resumed": lifted.map(Self.describe)])
    }

    struct SelectionError: Error {
        var message: String
    }

    /// Decodes a selection, refusing unknown keys (empty body: everything).
    static func selection(_ body: ByteBuffer, allowed: Set<String>) throws -> Selection {
        let data = Data(buffer: body)
        guard !data.isEmpty else { return Selection() }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SelectionError(message: "the body must be a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw SelectionError(message: "unknown key \"\(unknown)\" (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        do {
            return try JSONDecoder().decode(Selection.self, from: data)
        } catch {
            throw SelectionError(message: "every value must be a string")
        }
    }

    static func describe(_ hold: ControlHoldRecord) -> [String: Any] {
        var out: [String: Any] = ["id": hold.id ?? 0, "kind": hold.kind.rawValue, "scope": hold.scopeDescription,
                                  "createdAt": Timestamp.format(hold.createdAt)]
        if let vin = hold.vin { out["vin"] = vin }
        if let bundle = hold.bundle { out["bundle"] = bundle }
        if let rule = hold.rule { out["rule"] = rule }
        if let reason = hold.reason { out["reason"] = reason }
        return out
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
