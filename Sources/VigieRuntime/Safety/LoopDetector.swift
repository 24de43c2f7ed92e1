import RuleEngine

/// Loop detection (docs/safety.md "Loops"), as pure bookkeeping over instants: the rise
/// firings of a rule on a vehicle that went out (not suppressed) are counted in a sliding
/// window `(t − window, t]`; a firing that would make the count exceed `maxFirings` is a
/// loop (and is not counted).
struct LoopDetector {
    let window: Millis
    let maxFirings: Int
    private var firings: [SafetyKey: [Millis]] = [:]

    init(window: Millis, maxFirings: Int) {
        self.window = max(1, window)
        self.maxFirings = max(1, maxFirings)
    }

    /// How many firings of `key` are in the window ending at `t`.
    func count(_ key: SafetyKey, at t: Millis) -> Int {
        (firings[key] ?? []).filter { $0 > t - window }.count
    }

    /// A firing of `key` at `t`: false when it may go (it is then counted), true when it
    /// would exceed the limit.
    mutating func fire(_ key: SafetyKey, at t: Millis) -> Bool {
        var list = (firings[key] ?? []).filter { $0 > t - window }
        if list.count + 1 > maxFirings {
            firings[key] = list
            return true
        }
        list.append(t)
        firings[key] = list
        return false
    }

    /// Forgets the firings of `key` (its loop stop was lifted: it starts afresh).
    mutating func reset(_ key: SafetyKey) {
        firings[key] = nil
    }

    /// Forgets firings older than the window at `now`.
    mutating func sweep(now: Millis) {
        for (key, list) in firings where (list.last ?? .min) <= now - window {
            firings[key] = nil
        }
    }
}
