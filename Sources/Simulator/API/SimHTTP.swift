import Foundation
import HTTPTypes
import Hummingbird
import VehicleData

/// The parts of a request a simulated endpoint needs.
package struct SimCall: Sendable {
    package var principal: SimPrincipal
    package var parameters: [String: String]
    package var body: JSONValue?

    func param(_ name: String) -> String { parameters[name] ?? "" }

    func requireBody() throws -> JSONValue {
        guard let body else { throw SimAPIError.badJSON("a JSON body is required") }
        return body
    }
}

/// An endpoint's answer: a status and a JSON body (nil for 204).
package struct SimReply: Sendable {
    package var status: Int
    package var json: JSONValue?
    /// The media type of `json` (`application/vnd.geo+json` for positions).
    package var contentType = "application/hal+json"
    package static func ok(_ json: JSONValue) -> SimReply { SimReply(status: 200, json: json) }
    /// A GeoJSON answer (`lastPosition`).
    package static func geo(_ json: JSONValue) -> SimReply {
        SimReply(status: 200, json: json, contentType: "application/vnd.geo+json")
    }
    package static func accepted(_ json: JSONValue) -> SimReply { SimReply(status: 202, json: json) }
    package static let noContent = SimReply(status: 204, json: nil)
}

/// What every API call goes through: latency, `client_id`, rate limits, injected 500s,
/// authentication (Bearer for B2C, Basic for B2B), the JSON body, and error rendering.
struct SimHTTP: Sendable {
    enum Auth: Sendable { case bearer, basic }

    let core: SimCore
    let config: SimConfiguration

    func respond(_ request: Request, _ context: some RequestContext, auth: Auth, names: [String],
                 handler: @Sendable (SimCall) async throws -> SimReply) async -> Response {
        if config.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(config.latencyMs)) }
        var headers: [String: String] = [:]
        do {
            guard let clientId = request.uri.queryParameters.get("client_id"), !clientId.isEmpty else {
                throw SimAPIError.missingClientId()
            }
            let decision = await core.rateLimit(client: clientId)
            headers = decision.headers
            if let error = decision.error { throw error }
            if await core.rollFault(config.failRate) { throw SimAPIError.injected() }
            let principal = try await authenticate(request, auth: auth, clientId: clientId)
            var parameters: [String: String] = [:]
            for name in names { parameters[name] = context.parameters.get(name) }
            let body = try await readBody(request)
            let reply = try await handler(SimCall(principal: principal, parameters: parameters, body: body))
            if request.method != .get, await core.rollFault(config.loseRate) { throw SimAPIError.injected() }
            return Self.response(reply.status, reply.json, headers: headers, contentType: reply.contentType)
        } catch let error as SimAPIError {
            return await errorResponse(error, headers: headers)
        } catch {
            return await errorResponse(SimAPIError(500, 1, "Internal error: \(error)"), headers: headers)
        }
    }

    private func authenticate(_ request: Request, auth: Auth, clientId: String) async throws -> SimPrincipal {
        guard clientId == config.clientId else { throw SimAPIError.unauthorized("Unknown client_id") }
        let header = request.headers[.authorization] ?? ""
        switch auth {
        case .bearer:
            guard header.lowercased().hasPrefix("bearer ") else { throw SimAPIError.unauthorized("Missing Bearer token") }
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            return .user(try await core.authenticate(bearer: token, clientId: clientId).get(), clientId: clientId)
        case .basic:
            guard header.lowercased().hasPrefix("basic "),
                  let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  String(decoding: data, as: UTF8.self) == "\(config.clientId):\(config.clientSecret)" else {
                throw SimAPIError.unauthorized("Invalid Basic credentials")
            }
            return .fleet(config.fleetId, clientId: clientId)
        }
    }

    private func readBody(_ request: Request) async throws -> JSONValue? {
        guard request.method == .post || request.method == .put else { return nil }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: 1 << 20) } catch {
            throw SimAPIError.invalid("the request body is larger than 1 MiB")
        }
        guard buffer.readableBytes > 0 else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: String(decoding: buffer.readableBytesView, as: UTF8.self))
        } catch let e as JSONParseError {
            throw SimAPIError.badJSON(e.description)
        }
        if let path = SimJSON.firstInexactNumber(value) { throw SimAPIError.numberTooLarge(path) }
        if let path = SimJSON.firstNull(value) {
            throw SimAPIError.invalid("\(path): null is not a valid value (no field of the API is nullable)")
        }
        return value
    }

    private func errorResponse(_ error: SimAPIError, headers: [String: String]) async -> Response {
        let uuid = await core.newErrorId()
        let now = await core.now
        var all = headers
        all.merge(error.headers) { $1 }
        return Self.response(error.status, error.body(uuid: uuid, at: now), headers: all, contentType: "application/json")
    }

    static func response(_ status: Int, _ json: JSONValue?, headers: [String: String] = [:],
                         contentType: String = "application/hal+json") -> Response {
        var fields = HTTPFields()
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPField.Name(k) { fields[name] = v }
        }
        guard let json else { return Response(status: .init(code: status), headers: fields) }
        fields[.contentType] = contentType
        let data = SimJSON.encode(json)
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
