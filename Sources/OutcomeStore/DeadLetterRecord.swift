import Foundation
import GRDB

/// One row of `deadLetter`: an item that could not be understood, kept with the reason.
package struct DeadLetterRecord: Sendable, Hashable, Codable {
    package var id: Int64?
    package var receivedAt: Date
    /// Where it came from: `webhook`, `engine`, …
    package var source: String
    package var body: String
    package var error: String

    package init(id: Int64? = nil, receivedAt: Date, source: String, body: String, error: String) {
        self.id = id
        self.receivedAt = receivedAt
        self.source = source
        self.body = body
        self.error = error
    }
}

extension DeadLetterRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "deadLetter"

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let receivedAt = Column(CodingKeys.receivedAt)
        package static let source = Column(CodingKeys.source)
        package static let body = Column(CodingKeys.body)
        package static let error = Column(CodingKeys.error)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
