import Foundation

/// Decides where a parked vehicle goes next, and when: commutes for private cars
/// (home ⇄ work, errands, weekend outings), client rounds for fleet vans (depot → clients
/// → depot on working days). Local time is Europe/Paris.
struct TripPlanner: Sendable {
    static let timeZone = TimeZone(identifier: "Europe/Paris")!
    private var calendar: Calendar

    init() {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TripPlanner.timeZone
        calendar = c
    }

    /// SimPlace indices of a vehicle's own place list: private cars [home, work, shop, leisure],
    /// vans [depot, client1, client2, client3].
    func nextTrip(van: Bool, at place: Int, now: Date, using rng: inout SimRandom) -> (to: Int, at: Date) {
        van ? vanTrip(at: place, now: now, using: &rng) : carTrip(at: place, now: now, using: &rng)
    }

    private func carTrip(at place: Int, now: Date, using rng: inout SimRandom) -> (to: Int, at: Date) {
        let hour = localHour(now)
        switch place {
        case 1: // work → home in the evening
            let leave = at(now, dayOffset: 0, hour: rng.uniform(17...18.5))
            return (0, max(leave, now.addingTimeInterval(rng.uniform(300...1800))))
        case 2, 3: // errand or outing → home
            return (0, now.addingTimeInterval(rng.uniform(1800...7200)))
        default: // home
            if isWorkingDay(now) && hour < 6.5 { return (1, at(now, dayOffset: 0, hour: rng.uniform(7...8.5))) }
            if hour < 18.5 && rng.chance(isWorkingDay(now) ? 0.3 : 0.6) {
                let leave = now.addingTimeInterval(rng.uniform(1800...7200))
                return (rng.chance(0.6) ? 2 : 3, leave)
            }
            let tomorrow = at(now, dayOffset: 1, hour: 0)
            if isWorkingDay(tomorrow) { return (1, at(now, dayOffset: 1, hour: rng.uniform(7...8.5))) }
            return (rng.chance(0.5) ? 3 : 2, at(now, dayOffset: 1, hour: rng.uniform(10...14)))
        }
    }

    private func vanTrip(at place: Int, now: Date, using rng: inout SimRandom) -> (to: Int, at: Date) {
        let hour = localHour(now)
        let client = 1 + Int(rng.next() % 3)
        if place != 0 { // at a client
            let leave = now.addingTimeInterval(rng.uniform(1200...3600))
            let next = (localHour(leave) > 16.5) ? 0 : (client == place ? 1 + place % 3 : client)
            return (next, leave)
        }
        if isWorkingDay(now) && hour < 8 { return (client, at(now, dayOffset: 0, hour: rng.uniform(8...9))) }
        if isWorkingDay(now) && hour < 16 { return (client, now.addingTimeInterval(rng.uniform(1200...3600))) }
        var day = 1
        while !isWorkingDay(at(now, dayOffset: day, hour: 12)) { day += 1 }
        return (client, at(now, dayOffset: day, hour: rng.uniform(8...9)))
    }

    func localHour(_ date: Date) -> Double {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return Double(c.hour ?? 0) + Double(c.minute ?? 0) / 60
    }

    func isWorkingDay(_ date: Date) -> Bool {
        let weekday = calendar.component(.weekday, from: date) // 1 = Sunday
        return weekday != 1 && weekday != 7
    }

    /// Local midnight `dayOffset` days after `date`'s day, plus `hour` hours.
    private func at(_ date: Date, dayOffset: Int, hour: Double) -> Date {
        let start = calendar.startOfDay(for: date)
        let day = calendar.date(byAdding: .day, value: dayOffset, to: start) ?? start
        return day.addingTimeInterval(hour * 3600)
    }
}
