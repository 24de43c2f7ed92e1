/// The minutes of a week (Monday 00:00 = 0) during which a schedule is open, as a
/// bitset, for reasoning about schedule overlaps and window lengths.
struct WeekMask: Equatable {
    static let minutes = 7 * 1440
    private(set) var words: [UInt64]

    init(full: Bool) {
        words = [UInt64](repeating: full ? ~0 : 0, count: (Self.minutes + 63) / 64)
        if full { trim() }
    }

    init(_ s: Schedule) {
        self.init(full: false)
        let length = s.toMinute > s.fromMinute ? s.toMinute - s.fromMinute
            : s.toMinute == s.fromMinute ? 1440 : 1440 - s.fromMinute + s.toMinute
        for day in s.days {
            let open = (day.rawValue - 1) * 1440 + s.fromMinute
            for m in open..<(open + length) { set(m % Self.minutes) }
        }
    }

    private mutating func trim() {
        let extra = words.count * 64 - Self.minutes
        if extra > 0 { words[words.count - 1] &= ~0 >> UInt64(extra) }
    }

    mutating func set(_ m: Int) { words[m / 64] |= 1 << UInt64(m % 64) }
    func contains(_ m: Int) -> Bool { words[m / 64] & (1 << UInt64(m % 64)) != 0 }
    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }
    var isFull: Bool { self == WeekMask(full: true) }

    func intersection(_ o: WeekMask) -> WeekMask {
        var r = self
        for i in words.indices { r.words[i] &= o.words[i] }
        return r
    }

    func union(_ o: WeekMask) -> WeekMask {
        var r = self
        for i in words.indices { r.words[i] |= o.words[i] }
        return r
    }

    func subtracting(_ o: WeekMask) -> WeekMask {
        var r = self
        for i in words.indices { r.words[i] &= ~o.words[i] }
        return r
    }

    /// The longest run of open minutes, wrapping from Sunday to Monday; nil when always open.
    var longestRun: Int? {
        if isFull { return nil }
        guard let closed = (0..<Self.minutes).first(where: { !contains($0) }) else { return nil }
        var best = 0, run = 0
        for k in 1...Self.minutes {
            if contains((closed + k) % Self.minutes) { run += 1; best = max(best, run) } else { run = 0 }
        }
        return best
    }
}
