import Foundation
import OutcomeStore

/// A snapshot of the holds in the database (pauses, the configuration's pause, loop
/// stops) and of the ones lifted recently, indexed for the guard's per-decision and
/// per-command questions.
struct ControlView {
    /// Active `pause` and `config` holds.
    private(set) var pauses: [ControlHoldRecord] = []
    /// Active loop stops by rule and vehicle.
    private(set) var loopStops: [SafetyKey: ControlHoldRecord] = [:]
    /// Holds lifted recently (kept to drop commands that waited behind them too long).
    private(set) var lifted: [ControlHoldRecord] = []

    init(holds: [ControlHoldRecord] = []) {
        for hold in holds {
            if !hold.isActive {
                lifted.append(hold)
            } else if hold.kind == .loop {
                if let key = Self.key(of: hold) { loopStops[key] = hold }
            } else {
                pauses.append(hold)
            }
        }
    }

    static func key(of hold: ControlHoldRecord) -> SafetyKey? {
        guard let vin = hold.vin, let bundle = hold.bundle, let rule = hold.rule else { return nil }
        return SafetyKey(vin: vin, bundle: bundle, rule: rule)
    }

    var active: [ControlHoldRecord] {
        (pauses + loopStops.values).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }

    /// The first active pause covering this vehicle and bundle.
    func pause(vin: String, bundle: String) -> ControlHoldRecord? {
        pauses.first { ($0.vin == nil || $0.vin == vin) && ($0.bundle == nil || $0.bundle == bundle) }
    }

    func loopStop(_ key: SafetyKey) -> ControlHoldRecord? {
        loopStops[key]
    }

    /// True when a hold covering this command was lifted at or after `queuedAt`: the
    /// command waited behind it.
    func waitedBehindHold(_ key: SafetyKey, queuedAt: Date) -> Bool {
        lifted.contains { hold in
            guard let resumedAt = hold.resumedAt, resumedAt >= queuedAt else { return false }
            if hold.kind == .loop { return Self.key(of: hold) == key }
            return (hold.vin == nil || hold.vin == key.vin) && (hold.bundle == nil || hold.bundle == key.bundle)
        }
    }
}
