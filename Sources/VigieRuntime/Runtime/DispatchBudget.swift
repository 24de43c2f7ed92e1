import Foundation
import OutcomeStore

/// Per-vehicle daily budgets (default 10 commands and 2 wake-ups a day), per UTC
/// calendar day (docs/configuration.md `budgets:`). Every command the API accepted that
/// day counts, whichever bundle sent it; a wake-up is an explicit `wake_up` or a command
/// whose progress reported `WakingUpVehicle`, and it counts as a command too.
struct DispatchBudget {
    let commandsPerDay: Int
    let wakeUpsPerDay: Int

    enum Exceeded: String {
        case commands, wakeUps
    }

    init(settings: RuntimeSettings) {
        commandsPerDay = settings.commandsPerDay
        wakeUpsPerDay = settings.wakeUpsPerDay
    }

    /// `[start, end)` of the UTC day holding `now`.
    static func day(of now: Date) -> (start: Date, end: Date) {
        let start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        return (start, start.addingTimeInterval(86_400))
    }

    /// Which budget sending `item` now would exceed, if any.
    func check(_ item: DispatchItem, now: Date, database: OutcomeDatabase) throws -> Exceeded? {
        let (start, end) = Self.day(of: now)
        let sent = try database.commandsSent(vin: item.vin, from: start, to: end)
        if item.isWakeUp && sent.wakeUps >= wakeUpsPerDay { return .wakeUps }
        if sent.commands >= commandsPerDay { return .commands }
        return nil
    }
}
