import Foundation
import NIOHTTP1

/// One call to the API, relative to the base URL.
struct APIRequest: Sendable {
    var method: HTTPMethod
    /// Path below the base URL, e.g. `/user/vehicles/abc/status` (segments already escaped).
    var path: String
    var query: [(String, String)] = []
    var body: Data? = nil
    /// Whether sending it twice does no harm (GET, PUT, DELETE); only those are retried
    /// after an ambiguous failure. Every request is retried after a 429 or a 401 refresh,
    /// which tell that the server did not act on it.
    var idempotent: Bool
    /// Overrides the configured deadline (seconds).
    var timeout: Double? = nil

    init(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil, timeout: Double? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.idempotent = method != .POST && method != .PATCH
        self.timeout = timeout
    }
}

/// A 2xx answer.
struct APIResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
}

/// Escapes one path segment (an id given by the API or the user).
func segment(_ raw: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "/?#")
    return raw.addingPercentEncoding(withAllowedCharacters: allowed) ?? raw
}
