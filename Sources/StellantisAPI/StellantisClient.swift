import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import StellantisModels

/// The HTTP client of the Stellantis connected-car API (B2C `/connectedcar/v4`, B2B
/// `/connectedcar/v3`): authentication, mutual TLS, deadlines, rate-limit tracking and
/// retries. `B2CClient` and `FleetClient` give it typed operations.
public final class StellantisClient: Sendable {
    public let configuration: ClientConfiguration
    let http: HTTPClient
    private let ownsHTTP: Bool
    let logger: Logger
    private let rateLimits = RateLimitTracker()

    /// - Parameter httpClient: a shared client to use (its TLS settings then apply);
    ///   by default one is made from `configuration.mutualTLS` and shut down by `shutdown()`.
    public init(configuration: ClientConfiguration, httpClient: HTTPClient? = nil,
                logger: Logger = Logger(label: "vigie.stellantis-api")) throws {
        self.configuration = configuration
        self.logger = logger
        if let httpClient {
            http = httpClient
            ownsHTTP = false
        } else {
            var config = HTTPClient.Configuration()
            config.tlsConfiguration = try configuration.mutualTLS?.tlsConfiguration()
            config.redirectConfiguration = .disallow
            http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
            ownsHTTP = true
        }
    }

    /// Releases the connections (only of an HTTP client this object made).
    public func shutdown() async throws {
        if ownsHTTP { try await http.shutdown() }
    }

    /// The limits as the last answer reported them.
    public var rateLimitStatus: RateLimitStatus { rateLimits.current }

    // MARK: - Typed helpers

    func get<T: Decodable>(_ type: T.Type, _ path: String, query: [(String, String)] = []) async throws -> T {
        try decode(T.self, try await send(APIRequest(.GET, path, query: query)), path: path)
    }

    func send<Body: Encodable, T: Decodable>(_ method: HTTPMethod, _ path: String, body: Body,
                                             as type: T.Type) async throws -> T {
        try decode(T.self, try await send(APIRequest(method, path, body: try encode(body))), path: path)
    }

    func encode<Body: Encodable>(_ body: Body) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(body)
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: APIResponse, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw StellantisAPIError.invalidResponse("\(path): not a \(T.self): \(Self.summary(of: error))")
        }
    }

    /// Every page of a HAL collection, following `next` links (their `pageToken`/`indexRange`).
    func allPages<Item: HALCollectionItem>(_ item: Item.Type, _ path: String, pageSize: Int = 60) async throws -> [Item] {
        var items: [Item] = []
        var query = [("pageSize", String(pageSize))]
        for _ in 0 ..< 10_000 {
            let page = try await get(Page<Item>.self, path, query: query)
            items += page.items
            guard let next = page.nextHref, page.currentPage < page.totalPage || page.totalPage == 0,
                  let following = Self.pagingQuery(next, pageSize: pageSize), following != query.map({ [$0.0, $0.1] })
            else { return items }
            query = following.map { ($0[0], $0[1]) }
        }
        return items
    }

    /// The paging parameters of a `next` href (absolute or relative), without `client_id`.
    static func pagingQuery(_ href: String, pageSize: Int) -> [[String]]? {
        guard let components = URLComponents(string: href) else { return nil }
        let kept = (components.queryItems ?? []).filter { $0.name != "client_id" }.map { [$0.name, $0.value ?? ""] }
        guard kept.contains(where: { $0[0] == "pageToken" || $0[0] == "indexRange" }) else { return nil }
        return kept.contains(where: { $0[0] == "pageSize" }) ? kept : kept + [["pageSize", String(pageSize)]]
    }

    static func summary(of error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(context.codingPath.map(\.stringValue).joined(separator: "."))\(context.codingPath.isEmpty ? "" : ".")\(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default:
            return "\(type(of: error))"
        }
    }

    // MARK: - Sending

    /// Sends `request`, retrying as the policy allows, within the request's deadline.
    func send(_ request: APIRequest) async throws -> APIResponse {
        let timeout = request.timeout ?? configuration.requestTimeout
        let deadline = Date().addingTimeInterval(timeout)
        var attempt = RequestAttempt(request: request, deadline: deadline, policy: configuration.retry)
        while true {
            let token = try await bearerToken()
            let outcome: AttemptOutcome
            do {
                outcome = .answer(try await execute(request, token: token, deadline: deadline))
            } catch let error as StellantisAPIError {
                outcome = .failure(error)
            }
            switch try await attempt.next(after: outcome, token: token, client: self) {
            case .done(let response): return response
            case .retry: continue
            }
        }
    }

    private func bearerToken() async throws -> String? {
        guard case .bearer(let manager, _) = configuration.authentication else { return nil }
        return try await manager.accessToken()
    }

    /// One HTTP exchange; maps transport errors, never retries.
    private func execute(_ request: APIRequest, token: String?, deadline: Date) async throws -> RawAnswer {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { throw StellantisAPIError.deadlineExceeded }
        var http = HTTPClientRequest(url: url(for: request))
        http.method = request.method
        http.headers = headers(for: request, token: token)
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
        logger.debug("request", metadata: ["method": "\(request.method.rawValue)", "path": "\(request.path)"])
        do {
            let response = try await self.http.execute(http, deadline: .now() + .nanoseconds(Int64(remaining * 1e9)),
                                                       logger: logger)
            let body = try await response.body.collect(upTo: 16 << 20)
            rateLimits.record(response.headers, at: configuration.now())
            logger.debug("answer", metadata: ["method": "\(request.method.rawValue)", "path": "\(request.path)",
                                              "status": "\(response.status.code)"])
            return RawAnswer(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw StellantisAPIError.deadlineExceeded
        } catch let error as StellantisAPIError {
            throw error
        } catch {
            if deadline.timeIntervalSinceNow <= 0 { throw StellantisAPIError.deadlineExceeded }
            throw StellantisAPIError.transport("\(request.method.rawValue) \(request.path): \(Self.describe(error))")
        }
    }

    private func url(for request: APIRequest) -> String {
        var components = URLComponents(url: configuration.baseURL, resolvingAgainstBaseURL: false)!
        let base = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast())
            : components.percentEncodedPath
        components.percentEncodedPath = base + request.path
        components.queryItems = [URLQueryItem(name: "client_id", value: configuration.clientID)]
            + request.query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is a space to form decoders: escape it in values.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string!
    }

    private func headers(for request: APIRequest, token: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/hal+json, application/json")
        if request.body != nil { headers.add(name: "Content-Type", value: "application/json") }
        switch configuration.authentication {
        case .bearer(_, let realm):
            if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
            headers.add(name: "x-introspect-realm", value: realm)
        case .basic(let username, let password):
            let credentials = Data("\(username):\(password)".utf8).base64EncodedString()
            headers.add(name: "Authorization", value: "Basic \(credentials)")
        case .none:
            break
        }
        return headers
    }

    /// A transport error's kind, without anything that could echo a URL's query.
    static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError { return error.description }
        if let error = error as? IOError { return "I/O error \(error.errnoCode)" }
        return "\(type(of: error))"
    }
}
