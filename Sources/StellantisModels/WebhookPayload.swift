/// The body of one webhook POST: a single `Message`, or an array of them when the
/// callback batches.
public enum WebhookPayload: Sendable, Hashable {
    case single(WebhookMessage)
    case batch([WebhookMessage])

    /// The messages in arrival order.
    public var messages: [WebhookMessage] {
        switch self {
        case .single(let message): return [message]
        case .batch(let messages): return messages
        }
    }
}

extension WebhookPayload: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let messages = try? c.decode([WebhookMessage].self) {
            self = .batch(messages)
        } else {
            self = .single(try c.decode(WebhookMessage.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .single(let message): try c.encode(message)
        case .batch(let messages): try c.encode(messages)
        }
    }
}
