import RuleEngine

/// Flap detection (docs/safety.md "Flapping"), as pure bookkeeping over instants.
///
/// Every rise of a rule on a vehicle (fired or suppressed by the engine, repeats excluded)
/// is counted in a sliding window `(t − window, t]`. When a rise makes the count exceed
/// `maxRises`, the rule is held from that rise on. The hold ends once the rule has been
/// quiet (no rise) for a full window: at the instant `last rise + window`. After the end
/// counting starts afresh.
struct FlapDetector {
    enum Change: Equatable {
        case started(SafetyKey, at: Millis, rises: Int)
        case ended(SafetyKey, at: Millis)
    }

    let window: Millis
    let maxRises: Int
    private var rises: [SafetyKey: [Millis]] = [:]
    private var heldSince: [SafetyKey: Millis] = [:]

    init(window: Millis, maxRises: Int) {
        self.window = max(1, window)
        self.maxRises = max(1, maxRises)
    }

    /// Counts a rise at `t`; returns whether the rule is held at `t` and what changed
    /// (a hold that ended before this rise, a hold that began with it).
    mutating func rise(_ key: SafetyKey, at t: Millis) -> (held: Bool, changes: [Change]) {
        var changes: [Change] = []
        var list = rises[key] ?? []
        if heldSince[key] != nil, let last = list.last, last + window <= t {
            heldSince[key] = nil
            changes.append(.ended(key, at: last + window))
            list.removeAll()
        }
        if let cut = list.firstIndex(where: { $0 > t - window }) {
            list.removeFirst(cut)
        } else {
            list.removeAll()
        }
        list.append(t)
        rises[key] = list
        if heldSince[key] == nil, list.count > maxRises {
            heldSince[key] = t
            changes.append(.started(key, at: t, rises: list.count))
        }
        return (heldSince[key] != nil, changes)
    }

    /// Ends the holds whose rule has been quiet for a full window by `now` (looks at the
    /// held rules only: cheap enough for every call).
    mutating func endQuietHolds(now: Millis) -> [Change] {
        var changes: [Change] = []
        for key in heldSince.keys.sorted() {
            guard let last = rises[key]?.last, last + window <= now else { continue }
            heldSince[key] = nil
            rises[key] = nil
            changes.append(.ended(key, at: last + window))
        }
        return changes
    }

    /// Forgets the counts of rules not held whose rises have all left the window.
    mutating func compact(now: Millis) {
        for (key, list) in rises where heldSince[key] == nil && (list.last ?? .min) <= now - window {
            rises[key] = nil
        }
    }

    /// The rules held now, with the instant each hold began.
    var held: [SafetyKey: Millis] { heldSince }

}
