import Foundation

/// What the web console reads beyond `RuntimeStore` (docs/console.md "What it reads"): the
/// same queries on SQLite (`OutcomeDatabase+Console`, synchronous, which satisfies these
/// `async` requirements) and PostgreSQL (`PostgresStore+Console`), so the console serves
/// either store.
package protocol ConsoleStore: RuntimeStore {
    /// How many vehicles have saved state in `scope`.
    func consoleVehicleCount(scope: String) async throws -> Int
    /// A page of vehicles (ordered by VIN) with their saved state; `vin` keeps only that one.
    func consoleVehicles(scope: String, vin: String?, offset: Int, limit: Int) async throws -> [ConsoleRows.VehicleState]
    /// VINs whose saved state changed after `since` (newest first) and the newest change.
    func consoleVehiclesChanged(scope: String, since: Date?, limit: Int) async throws -> (vins: [String], newest: Date?)
    /// The last fired and last suppressed decision per `bundle/rule` for each of `vins`.
    func consoleRuleHistory(vins: [String]) async throws -> [String: [String: ConsoleRows.RuleHistory]]
    /// The latest decisions (of one vehicle when given), newest first.
    func consoleRecentDecisions(vin: String?, limit: Int) async throws -> [ConsoleRows.Decision]
    /// The overview's figures.
    func consoleOverview(scope: String, now: Date) async throws -> ConsoleRows.Overview
    /// Commands queued or in flight, oldest first.
    func consoleOpenCommands(limit: Int) async throws -> [ActionRecord]
    /// A decision with its actions, attempts and remote events.
    func consoleTrace(firingId: Int64) async throws -> ConsoleRows.Trace?
    /// How many monitors are deployed (on one vehicle when given), on how many vehicles,
    /// and when the latest was deployed.
    func deploymentSummary(vin: String?) async throws -> (monitors: Int, vehicles: Int, latest: Date?)
}

extension OutcomeDatabase: ConsoleStore {}
