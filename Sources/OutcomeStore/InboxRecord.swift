import Foundation
import GRDB

/// One row of `inbox`: a notification as received, committed before the receiver's 200.
public struct InboxRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var receivedAt: Date
    /// Recognises the API's retries of the same notification (unique).
    public var dedupKey: String
    /// The vehicle, when the notification names it (attributes, body or query).
    public var vin: String?
    /// `Monitor` or `Remote`.
    public var type: String?
    /// The message's own `date`, as sent.
    public var eventDate: String?
    /// The message, as received (one item of a batch).
    public var body: String
    public var processed: Bool
    public var processedAt: Date?

    public init(id: Int64? = nil, receivedAt: Date, dedupKey: String, vin: String?, type: String?,
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
    public static let databaseTableName = "inbox"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let receivedAt = Column(CodingKeys.receivedAt)
        public static let dedupKey = Column(CodingKeys.dedupKey)
        public static let vin = Column(CodingKeys.vin)
        public static let type = Column(CodingKeys.type)
        public static let eventDate = Column(CodingKeys.eventDate)
        public static let body = Column(CodingKeys.body)
        public static let processed = Column(CodingKeys.processed)
        public static let processedAt = Column(CodingKeys.processedAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
