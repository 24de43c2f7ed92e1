import Foundation

/// What `vigie demo` can be told (docs/demo.md).
package struct DemoOptions: Sendable {
    /// The SQLite log written (replaced if it exists); `vigie log --db` reads it.
    package var databasePath = "./vigie-demo.sqlite"
    /// Simulated vehicles the rules are applied to.
    package var vehicles = 5
    /// Same seed ⇒ same vehicles, places and physics.
    package var seed: UInt64 = 1
    /// Simulated seconds per real second (a day in 30 s at 2880).
    package var speed: Double = 2880
    /// Simulated start: Monday 23 November 2026, 00:00 in Paris.
    package var start = Date(timeIntervalSince1970: 1_795_388_400)
    /// Simulated duration, seconds.
    package var duration: TimeInterval = 24 * 3600
    /// Observations older than this (simulated seconds) never trigger a command, and a
    /// remote waits this long for its `Done`. Longer than `vigie serve`'s 5 and 10
    /// minutes: at ×2880 a tenth of a real second of scheduling delay is already five
    /// simulated minutes.
    package var staleAfter: TimeInterval = 1800
    /// Rule files or folders.
    package var rules = ["Rules"]
    /// Print the live timeline (the summary is always printed).
    package var timeline = true

    package init() {}

    /// Usage errors (the command exits 64 on any).
    package func problems() -> [String] {
        var out: [String] = []
        if !(1...50).contains(vehicles) { out.append("--vehicles must be 1…50") }
        if !(speed >= 1 && speed <= 20_000) { out.append("--speed must be between 1 and 20000") }
        if !(duration > 0 && duration <= 7 * 86_400) { out.append("--hours must be above 0 and at most 168") }
        if databasePath.isEmpty { out.append("--db must name a file") }
        return out
    }
}
