import Foundation
import StellantisModels

/// How a `StellantisClient` reaches and authenticates to the API.
public struct ClientConfiguration: Sendable {
    /// E.g. `https://api.groupe-psa.com/connectedcar/v4` (B2C) or `…/v3` (B2B).
    public var baseURL: URL
    /// Sent as the `client_id` query parameter on every call.
    public var clientID: String
    public var authentication: Authentication
    /// Client certificate and key for mutual TLS (nil: plain TLS, or plain HTTP to a local simulator).
    public var mutualTLS: MutualTLSFiles?
    /// Deadline of one operation, retries and waits included, in seconds.
    public var requestTimeout: Double
    public var retry: RetryPolicy
    /// The clock (token expiry, `Retry-After` dates).
    public var now: @Sendable () -> Date

    public init(baseURL: URL, clientID: String, authentication: Authentication, mutualTLS: MutualTLSFiles? = nil,
                requestTimeout: Double = 30, retry: RetryPolicy = RetryPolicy(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.baseURL = baseURL
        self.clientID = clientID
        self.authentication = authentication
        self.mutualTLS = mutualTLS
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.now = now
    }

    public static let productionB2C = URL(string: "https://api.groupe-psa.com/connectedcar/v4")!
    public static let productionB2B = URL(string: "https://api.groupe-psa.com/connectedcar/v3")!
}

/// How requests are authorised. Descriptions never show a secret.
public enum Authentication: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// B2C: `Authorization: Bearer <token>` from the session, plus `x-introspect-realm`.
    case bearer(TokenManager, realm: String)
    /// B2B: HTTP Basic.
    case basic(username: String, password: String)
    /// No authorization header (tests of unauthenticated paths).
    case none

    /// B2C for a brand: its realm from the portal's table.
    public static func bearer(_ tokens: TokenManager, brand: Brand) -> Authentication {
        .bearer(tokens, realm: brand.realm)
    }

    public var description: String {
        switch self {
        case .bearer(_, let realm): return "bearer(realm: \(realm), token: <redacted>)"
        case .basic(let username, _): return "basic(username: \(username), password: <redacted>)"
        case .none: return "none"
        }
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

/// PEM files for mutual TLS: the client certificate (chain) and its private key, and
/// optionally the CA bundle to trust instead of the system's.
public struct MutualTLSFiles: Sendable, Equatable {
    public var certificatePath: String
    public var privateKeyPath: String
    public var trustRootsPath: String?

    public init(certificatePath: String, privateKeyPath: String, trustRootsPath: String? = nil) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
    }
}
