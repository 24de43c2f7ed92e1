import Foundation
import GRDB

extension OutcomeDatabase {
    /// Notifications not yet processed with an id above `id`, oldest first: the engine
    /// loop reads on past the rows it already holds (its reorder buffer keeps rows whose
    /// `date` is newer than its watermark unprocessed, so they are not read twice).
    package func unprocessedInbox(after id: Int64, limit: Int = 1000) throws -> [InboxRecord] {
        try writer.read { db in
            try InboxRecord
                .filter(InboxRecord.Columns.processed == false && InboxRecord.Columns.id > id)
                .order(InboxRecord.Columns.id)
                .limit(limit)
                .fetchAll(db)
        }
    }
}
