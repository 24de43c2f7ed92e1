import Foundation
import OutcomeStore
import RuleLanguage

/// Per-vehicle daily budgets (default 10 commands and 2 wake-ups a day). The day is the
/// calendar day of the bundle whose rule sends the command, in its time zone. Every
/// command accepted by the API that day counts (whichever bundle sent it); a wake-up is
/// an explicit `wake_up` or a command whose progress reported `WakingUpVehicle`, and it
/// counts as a command too.
struct DispatchBudget {
    let commandsPerDay: Int
    let wakeUpsPerDay: Int
    let zones: [String: TimeZone]

    enum Exceeded: String {
        case commands, wakeUps
    }

    init(settings: RuntimeSettings, bundles: [CheckedBundle]) {
        commandsPerDay = settings.commandsPerDay
        wakeUpsPerDay = settings.wakeUpsPerDay
        var zones: [String: TimeZone] = [:]
        for b in bundles { zones[b.name] = TimeZone(identifier: b.timeZone) }
        self.zones = zones
    }

    /// `[start, end)` of the day holding `now` in the bundle's zone (UTC by default).
    func day(of now: Date, bundle: String) -> (start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zones[bundle] ?? TimeZone(identifier: "UTC")!
        let start = calendar.startOfDay(for: now)
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        return (start, end)
    }

    /// Which budget sending `item` now would exceed, if any.
    func check(_ item: DispatchItem, now: Date, database: OutcomeDatabase) throws -> Exceeded? {
        let (start, end) = day(of: now, bundle: item.bundle)
        let sent = try database.commandsSent(vin: item.vin, from: start, to: end)
        if item.isWakeUp && sent.wakeUps >= wakeUpsPerDay { return .wakeUps }
        if sent.commands >= commandsPerDay { return .commands }
        return nil
    }
}
