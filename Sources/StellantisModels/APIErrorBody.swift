/// The error body (`xError`): the prose documents `{code, uuid, message, timestamp}`,
/// the B2C schema `{code, debug, message}`; a faithful server sends the union.
/// `code` is the HTTP status × 100 plus two API-specific digits (e.g. 40499).
public struct APIErrorBody: Sendable, Hashable, Codable {
    public var code: Int?
    public var uuid: String?
    public var message: String?
    public var timestamp: String?
    public var debug: String?

    public init(code: Int? = nil, uuid: String? = nil, message: String? = nil, timestamp: String? = nil,
                debug: String? = nil) {
        self.code = code
        self.uuid = uuid
        self.message = message
        self.timestamp = timestamp
        self.debug = debug
    }
}
