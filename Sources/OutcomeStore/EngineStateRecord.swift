import Foundation
import GRDB

/// One row of `engineState`: the engine's snapshot of one vehicle's rule state
/// (opaque bytes the engine encodes and decodes), per scope (`serve`, `dry-run`, …).
package struct EngineStateRecord: Sendable, Hashable, Codable {
    package var scope: String
    package var vin: String
    package var state: Data
    package var updatedAt: Date

    package init(scope: String, vin: String, state: Data, updatedAt: Date) {
        self.scope = scope
        self.vin = vin
        self.state = state
        self.updatedAt = updatedAt
    }
}

extension EngineStateRecord: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "engineState"

    package enum Columns {
        package static let scope = Column(CodingKeys.scope)
        package static let vin = Column(CodingKeys.vin)
        package static let state = Column(CodingKeys.state)
        package static let updatedAt = Column(CodingKeys.updatedAt)
    }
}
