import Foundation
import StellantisModels

/// An error answer: HTTP status, the error body's fields, and the rate-limit advice.
public struct APIFailure: Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var method: String
    /// The request path without query (the query may hold the client id).
    public var path: String
    public var body: APIErrorBody?
    /// `Retry-After` of a 429, in seconds from the answer.
    public var retryAfter: Double?

    public init(status: Int, method: String, path: String, body: APIErrorBody?, retryAfter: Double? = nil) {
        self.status = status
        self.method = method
        self.path = path
        self.body = body
        self.retryAfter = retryAfter
    }

    public var code: Int? { body?.code }
    public var uuid: String? { body?.uuid }
    public var message: String? { body?.message }

    public var kind: Kind { Kind(status: status) }

    public enum Kind: Sendable, Equatable {
        case badRequest, unauthorized, forbidden, notFound, conflict, tooManyRequests, server, other

        init(status: Int) {
            switch status {
            case 400: self = .badRequest
            case 401: self = .unauthorized
            case 403: self = .forbidden
            case 404: self = .notFound
            case 409: self = .conflict
            case 429: self = .tooManyRequests
            case 500...599: self = .server
            default: self = .other
            }
        }
    }

    public var description: String {
        var text = "\(method) \(path): HTTP \(status)"
        if let code = body?.code { text += ", code \(code)" }
        if let message = body?.message { text += ": \(message)" }
        if let uuid = body?.uuid { text += " (uuid \(uuid))" }
        return text
    }
}
