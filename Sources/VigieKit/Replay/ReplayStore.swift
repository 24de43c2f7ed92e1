import Foundation
import OutcomeStore
import RuleEngine
import VehicleData
import VigieRuntime

/// `vigie dry-run --db FILE`: every decision is committed to the OutcomeStore together
/// with the engine's state and how many events were consumed, in one transaction. A
/// run against a database that already holds a `dry-run` checkpoint restores that state
/// and resumes after the consumed events, so a replay stopped anywhere and run again
/// makes exactly the decisions of an uninterrupted run. Remote actions are recorded as
/// not sent.
package enum ReplayStore {
    package static let scope = "dry-run"

    package static func run(_ runner: ReplayRunner, events: [(at: Millis, vin: String, observation: Observation)],
                           until: Millis?, dbPath: String) throws -> ReplayRunner.Output {
        let database = try OutcomeDatabase(path: dbPath)
        let recorder = DecisionRecorder(database: database, scope: scope, dispatch: .recordOnly)
        let engine = runner.makeEngine()
        var position = 0
        if let saved = try recorder.savedSnapshot() {
            engine.restore(saved.snapshot)
            position = min(Int(saved.position), events.count)
        }
        var failure: Error?
        let output = runner.run(Array(events[position...]), until: until, on: engine) { engine, made in
            position = min(position + 1, events.count)
            guard failure == nil, !made.isEmpty || position == events.count else { return }
            do { try recorder.record(made, snapshot: engine.snapshot(), position: Int64(position)) } catch { failure = error }
        }
        if let failure { throw failure }
        return output
    }
}
