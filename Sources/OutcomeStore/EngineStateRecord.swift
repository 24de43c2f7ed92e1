import Foundation
import GRDB

/// One row of `engineState`: the engine's snapshot of one vehicle's rule state
/// (opaque bytes the engine encodes and decodes), per scope (`serve`, `dry-run`, …).
public struct EngineStateRecord: Sendable, Hashable, Codable {
    public var scope: String
    public var vin: String
    public var state: Data
    public var updatedAt: Date

    public init(scope: String, vin: String, state: Data, updatedAt: Date) {
        self.scope = scope
        self.vin = vin
        self.state = state
        self.updatedAt = updatedAt
    }
}

extension EngineStateRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "engineState"

    public enum Columns {
        public static let scope = Column(CodingKeys.scope)
        public static let vin = Column(CodingKeys.vin)
        public static let state = Column(CodingKeys.state)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
}
