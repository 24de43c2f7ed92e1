import Foundation
import GRDB

extension OutcomeDatabase {
    /// Decisions matching `filter`, oldest first (ties in insertion order), each with
    /// its actions' outcomes.
    package func loggedDecisions(_ filter: LogFilter = LogFilter()) throws -> [LoggedDecision] {
        try writer.read { db in
            var request = FiringRecord.all()
            if let vin = filter.vin { request = request.filter(FiringRecord.Columns.vin == vin) }
            if let rule = filter.rule { request = request.filter(FiringRecord.Columns.rule == rule) }
            if let bundle = filter.bundle { request = request.filter(FiringRecord.Columns.bundle == bundle) }
            if let since = filter.since { request = request.filter(FiringRecord.Columns.at >= since) }
            if let until = filter.until { request = request.filter(FiringRecord.Columns.at < until) }
            let withActions = request.including(all: FiringRecord.actionRecords.order(ActionRecord.Columns.position))
            if let limit = filter.limit {
                let newest = try withActions
                    .order(FiringRecord.Columns.at.desc, FiringRecord.Columns.id.desc)
                    .limit(limit)
                    .asRequest(of: LoggedDecision.self).fetchAll(db)
                return newest.reversed()
            }
            return try withActions
                .order(FiringRecord.Columns.at, FiringRecord.Columns.id)
                .asRequest(of: LoggedDecision.self).fetchAll(db)
        }
    }

    /// Number of decisions recorded (all of them).
    package func decisionCount() throws -> Int {
        try writer.read { db in try FiringRecord.fetchCount(db) }
    }
}
