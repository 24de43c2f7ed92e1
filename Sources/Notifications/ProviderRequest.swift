/// An HTTP request to a provider, built by a channel as its documentation says (a value:
/// tests read it without a socket). `url` may carry a secret (Telegram's bot token, an
/// incoming webhook's URL): it is never printed.
package struct ProviderRequest: Sendable, Hashable {
    package var method: String
    package var url: String
    /// In order; names as the provider's documentation writes them.
    package var headers: [Header]
    package var body: [UInt8]

    package struct Header: Sendable, Hashable {
        package var name: String
        package var value: String
        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(method: String = "POST", url: String, headers: [Header] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A provider's answer: status, headers (names lower-cased) and the first bytes of the body.
package struct ProviderResponse: Sendable, Hashable {
    package var status: Int
    package var headers: [String: String]
    package var body: [UInt8]

    package init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package var text: String { String(decoding: body, as: UTF8.self) }
}
