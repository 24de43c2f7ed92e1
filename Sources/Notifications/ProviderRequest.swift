/// An HTTP request to a provider, built by a channel as its documentation says (a value:
/// tests read it without a socket). `url` may carry a secret (Telegram's bot token, an
/// incoming webhook's URL): it is never printed.
public struct ProviderRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    /// In order; names as the provider's documentation writes them.
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(method: String = "POST", url: String, headers: [Header] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A provider's answer: status, headers (names lower-cased) and the first bytes of the body.
public struct ProviderResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}
