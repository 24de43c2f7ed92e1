import Foundation
import GRDB

/// One row of `deadLetter`: an item that could not be understood, kept with the reason.
public struct DeadLetterRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var receivedAt: Date
    /// Where it came from: `webhook`, `engine`, …
    public var source: String
    public var body: String
    public var error: String

    public init(id: Int64? = nil, receivedAt: Date, source: String, body: String, error: String) {
        self.id = id
        self.receivedAt = receivedAt
        self.source = source
        self.body = body
        self.error = error
    }
}

extension DeadLetterRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "deadLetter"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let receivedAt = Column(CodingKeys.receivedAt)
        public static let source = Column(CodingKeys.source)
        public static let body = Column(CodingKeys.body)
        public static let error = Column(CodingKeys.error)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
