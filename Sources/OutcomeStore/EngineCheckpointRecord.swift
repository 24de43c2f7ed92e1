import Foundation
import GRDB

/// One row of `engineCheckpoint`: how far a scope's input was consumed when its state
/// was last saved (a replay line count, an inbox id…), the engine's clock then, and
/// the engine-wide part of its snapshot (timers, …) if it keeps one.
public struct EngineCheckpointRecord: Sendable, Hashable, Codable {
    public var scope: String
    public var position: Int64
    public var at: Date?
    public var state: Data?
    public var updatedAt: Date

    public init(scope: String, position: Int64, at: Date? = nil, state: Data? = nil, updatedAt: Date) {
        self.scope = scope
        self.position = position
        self.at = at
        self.state = state
        self.updatedAt = updatedAt
    }
}

extension EngineCheckpointRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "engineCheckpoint"

    public enum Columns {
        public static let scope = Column(CodingKeys.scope)
        public static let position = Column(CodingKeys.position)
        public static let at = Column(CodingKeys.at)
        public static let state = Column(CodingKeys.state)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
}
