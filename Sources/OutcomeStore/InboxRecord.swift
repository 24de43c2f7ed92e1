import Foundation
import GRDB

/// One row of `inbox`: a notification as received, committed before the receiver's 200.
package struct InboxRecord: Sendable, Hashable, Codable {
    package var id: Int64?
    package var receivedAt: Date
    /// Recognises the API's retries of the same notification (unique).
    package var dedupKey: String
    /// The vehicle, when the notification names it (attributes, body or query).
    package var vin: String?
    /// `Monitor` or `Remote`.
    package var type: String?
    /// The message's own `date`, as sent.
    package var eventDate: String?
    /// The message, as received (one item of a batch).
    package var body: String
    package var processed: Bool
    package var processedAt: Date?

    package init(id: Int64? = nil, receivedAt: Date, dedupKey: String, vin: String?, type: String?,
                eventDate: String?, body: String, processed: Bool = false, processedAt: Date? = nil) {
        self.id = id
        self.receivedAt = receivedAt
        self.dedupKey = dedupKey
        self.vin = vin
        self.type = type
        self.eventDate = eventDate
        self.body = body
        self.processed = processed
        self.processedAt = processedAt
    }
}

extension InboxRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "inbox"

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let receivedAt = Column(CodingKeys.receivedAt)
        package static let dedupKey = Column(CodingKeys.dedupKey)
        package static let vin = Column(CodingKeys.vin)
        package static let type = Column(CodingKeys.type)
        package static let eventDate = Column(CodingKeys.eventDate)
        package static let body = Column(CodingKeys.body)
        package static let processed = Column(CodingKeys.processed)
        package static let processedAt = Column(CodingKeys.processedAt)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
