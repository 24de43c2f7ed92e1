import Foundation
import OutcomeStore

/// Per-vehicle budgets (default 10 commands and 2 wake-ups a day, no monthly wake-up cap),
/// per calendar day — and for `wakeUpsPerMonth` calendar month — in the budgets' time zone
/// (`budgets.timezone`, default UTC; docs/configuration.md `budgets:`). Every command the
/// API accepted in that period counts, whichever bundle sent it; a wake-up is an explicit
/// `wake_up` or a command whose progress reported `WakingUpVehicle`, and it counts as a
/// command too.
struct DispatchBudget {
    let commandsPerDay: Int
    let wakeUpsPerDay: Int
    let wakeUpsPerMonth: Int?
    let calendar: Calendar

    enum Exceeded: String {
        case commands, wakeUps, wakeUpsPerMonth

        /// The skipped command's detail and the journal's text.
        func detail(limit: Int) -> String {
            switch self {
            case .commands: return "daily commands budget of \(limit) spent"
            case .wakeUps: return "daily wakeUps budget of \(limit) spent"
            case .wakeUpsPerMonth: return "monthly wake-up budget of \(limit) spent"
            }
        }
    }

    init(settings: RuntimeSettings) {
        self.init(commandsPerDay: settings.commandsPerDay, wakeUpsPerDay: settings.wakeUpsPerDay,
                  wakeUpsPerMonth: settings.wakeUpsPerMonth, timeZone: settings.budgetTimeZone)
    }

    init(commandsPerDay: Int, wakeUpsPerDay: Int, wakeUpsPerMonth: Int?, timeZone: TimeZone) {
        self.commandsPerDay = commandsPerDay
        self.wakeUpsPerDay = wakeUpsPerDay
        self.wakeUpsPerMonth = wakeUpsPerMonth
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The limit an exceeded budget had.
    func limit(_ exceeded: Exceeded) -> Int {
        switch exceeded {
        case .commands: return commandsPerDay
        case .wakeUps: return wakeUpsPerDay
        case .wakeUpsPerMonth: return wakeUpsPerMonth ?? 0
        }
    }

    /// `[start, end)` of the calendar day holding `now` in the budgets' time zone (23 or
    /// 25 hours on a daylight-saving change).
    func day(of now: Date) -> (start: Date, end: Date) {
        period(.day, of: now)
    }

    /// `[start, end)` of the calendar month holding `now` in the budgets' time zone.
    func month(of now: Date) -> (start: Date, end: Date) {
        period(.month, of: now)
    }

    private func period(_ component: Calendar.Component, of now: Date) -> (start: Date, end: Date) {
        guard let interval = calendar.dateInterval(of: component, for: now) else {
            // Unreachable for the Gregorian calendar; a 24-hour day keeps the budget safe.
            return (now.addingTimeInterval(-86_400), now.addingTimeInterval(1))
        }
        return (interval.start, interval.end)
    }

    /// Which budget sending `item` now would exceed, if any, given the commands and
    /// wake-ups already sent to its vehicle in `[from, to)`.
    func check(_ item: DispatchItem, now: Date,
               sent: (_ from: Date, _ to: Date) throws -> (commands: Int, wakeUps: Int)) rethrows -> Exceeded? {
        let (start, end) = day(of: now)
        let today = try sent(start, end)
        if item.isWakeUp && today.wakeUps >= wakeUpsPerDay { return .wakeUps }
        if item.isWakeUp, let cap = wakeUpsPerMonth {
            let (monthStart, monthEnd) = month(of: now)
            if try sent(monthStart, monthEnd).wakeUps >= cap { return .wakeUpsPerMonth }
        }
        if today.commands >= commandsPerDay { return .commands }
        return nil
    }

    /// `check` against the commands recorded in `store`.
    func check(_ item: DispatchItem, now: Date, store: any RuntimeStore) async throws -> Exceeded? {
        let (start, end) = day(of: now)
        let today = try await store.commandsSent(vin: item.vin, from: start, to: end)
        var month: (commands: Int, wakeUps: Int)?
        if item.isWakeUp, wakeUpsPerMonth != nil {
            let (monthStart, monthEnd) = self.month(of: now)
            month = try await store.commandsSent(vin: item.vin, from: monthStart, to: monthEnd)
        }
        return check(item, now: now) { from, _ in from == start ? today : (month ?? today) }
    }
}
