import Foundation
import GRDB

extension OutcomeDatabase {
    /// Notifications not yet processed with an id above `id`, oldest first: the engine
    /// loop reads on past the rows it already holds (its reorder buffer keeps rows whose
    /// `date` is newer than its watermark unprocessed, so they are not read twice).
    package func unprocessedInbox(after id: Int64, limit: Int = 1000) throws -> [InboxRecord] {
        try writer.read { db in
            // A cached statement (the engine reads at every step); `processed = 0` is the
            // partial index `inbox_unprocessed_id`'s condition.
            try InboxRecord.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM inbox WHERE processed = 0 AND id > ? ORDER BY id LIMIT ?
                """), arguments: [id, limit])
        }
    }
}
