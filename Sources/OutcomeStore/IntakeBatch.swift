/// What one receiver request hands to the store: the notifications it understood and
/// the items it could not. Stored in one transaction, before the answer.
public struct IntakeBatch: Sendable, Hashable {
    public struct Notification: Sendable, Hashable {
        /// Equal for the API's retries of the same notification.
        public var dedupKey: String
        public var vin: String?
        public var type: String?
        public var eventDate: String?
        /// The message as received (one item of a batch), JSON.
        public var body: String

        public init(dedupKey: String, vin: String?, type: String?, eventDate: String?, body: String) {
            self.dedupKey = dedupKey
            self.vin = vin
            self.type = type
            self.eventDate = eventDate
            self.body = body
        }
    }

    public struct DeadLetter: Sendable, Hashable {
        public var source: String
        public var body: String
        public var error: String

        public init(source: String, body: String, error: String) {
            self.source = source
            self.body = body
            self.error = error
        }
    }

    public var notifications: [Notification]
    public var deadLetters: [DeadLetter]

    public init(notifications: [Notification] = [], deadLetters: [DeadLetter] = []) {
        self.notifications = notifications
        self.deadLetters = deadLetters
    }
}

/// What the store did with an `IntakeBatch`.
public struct IntakeReceipt: Sendable, Hashable {
    /// Inbox ids of the notifications stored now (duplicates excluded), in batch order.
    public var storedIds: [Int64]
    /// Notifications already in the inbox (an API retry), not stored again.
    public var duplicates: Int
    public var deadLetters: Int

    public init(storedIds: [Int64] = [], duplicates: Int = 0, deadLetters: Int = 0) {
        self.storedIds = storedIds
        self.duplicates = duplicates
        self.deadLetters = deadLetters
    }
}
