import Foundation
import GRDB

/// One row of `engineCheckpoint`: how far a scope's input was consumed when its state
/// was last saved (a replay line count, an inbox id…), the engine's clock then, and
/// the engine-wide part of its snapshot (timers, …) if it keeps one.
package struct EngineCheckpointRecord: Sendable, Hashable, Codable {
    package var scope: String
    package var position: Int64
    package var at: Date?
    package var state: Data?
    package var updatedAt: Date

    package init(scope: String, position: Int64, at: Date? = nil, state: Data? = nil, updatedAt: Date) {
        self.scope = scope
        self.position = position
        self.at = at
        self.state = state
        self.updatedAt = updatedAt
    }
}

extension EngineCheckpointRecord: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "engineCheckpoint"

    package enum Columns {
        package static let scope = Column(CodingKeys.scope)
        package static let position = Column(CodingKeys.position)
        package static let at = Column(CodingKeys.at)
        package static let state = Column(CodingKeys.state)
        package static let updatedAt = Column(CodingKeys.updatedAt)
    }
}
