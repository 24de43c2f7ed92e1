/// What one receiver request hands to the store: the notifications it understood and
/// the items it could not. Stored in one transaction, before the answer.
package struct IntakeBatch: Sendable, Hashable {
    package struct Notification: Sendable, Hashable {
        /// Equal for the API's retries of the same notification.
        package var dedupKey: String
        package var vin: String?
        package var type: String?
        package var eventDate: String?
        /// The message as received (one item of a batch), JSON.
        package var body: String

        package init(dedupKey: String, vin: String?, type: String?, eventDate: String?, body: String) {
            self.dedupKey = dedupKey
            self.vin = vin
            self.type = type
            self.eventDate = eventDate
            self.body = body
        }
    }

    package struct DeadLetter: Sendable, Hashable {
        package var source: String
        package var body: String
        package var error: String

        package init(source: String, body: String, error: String) {
            self.source = source
            self.body = body
            self.error = error
        }
    }

    package var notifications: [Notification]
    package var deadLetters: [DeadLetter]

    package init(notifications: [Notification] = [], deadLetters: [DeadLetter] = []) {
        self.notifications = notifications
        self.deadLetters = deadLetters
    }
}

/// What the store did with an `IntakeBatch`.
package struct IntakeReceipt: Sendable, Hashable {
    /// Inbox ids of the notifications stored now (duplicates excluded), in batch order.
    package var storedIds: [Int64]
    /// Notifications already in the inbox (an API retry), not stored again.
    package var duplicates: Int
    package var deadLetters: Int

    package init(storedIds: [Int64] = [], duplicates: Int = 0, deadLetters: Int = 0) {
        self.storedIds = storedIds
        self.duplicates = duplicates
        self.deadLetters = deadLetters
    }
}
