import Foundation
import Logging
import OutcomeStore
import RuleEngine

// The guard's bookkeeping under its lock: re-reading holds, journalling flapping, loop
// stops and budget stops (each also logged).
extension SafetyCore {
    /// Re-reads the holds when the control version changed (checked at most every
    /// `refreshInterval` unless forced); ends the flapping holds quiet since a full window.
    func refreshLocked(now: Date?, force: Bool) {
        if let now, !flaps.held.isEmpty { journal(flaps.endQuietHolds(now: Timestamp.millis(now))) }
        let instant = ContinuousClock.now
        if !force, let lastCheck, lastCheck.duration(to: instant) < SafetyGuard.refreshInterval { return }
        lastCheck = instant
        if let now, lastCompaction.map({ $0.duration(to: instant) >= .seconds(60) }) ?? true {
            lastCompaction = instant
            flaps.compact(now: Timestamp.millis(now))
            loops.sweep(now: Timestamp.millis(now))
        }
        do {
            let version = try database.controlVersion()
            guard force || version != viewVersion else { return }
            let since = Date().addingTimeInterval(-(86_400 + policy.staleAfter))
            let next = ControlView(holds: try database.holds(activeOrResumedSince: since))
            announce(from: view, to: next)
            view = next
            viewVersion = version
        } catch {
            logger.error("cannot read the pauses and stops: \(error)")
        }
    }

    /// Logs holds that appeared or went away, and lets a resumed rule count afresh.
    private func announce(from old: ControlView, to new: ControlView) {
        let oldIDs = Set(old.active.compactMap(\.id)), newIDs = Set(new.active.compactMap(\.id))
        for hold in new.active where !oldIDs.contains(hold.id ?? -1) && viewVersion >= 0 {
            if hold.kind != .loop {
                logger.notice("pause in force: \(hold.scopeDescription)\(hold.reason.map { " (\($0))" } ?? "")")
            }
        }
        for hold in old.active where !newIDs.contains(hold.id ?? -1) {
            if hold.kind == .loop, let key = ControlView.key(of: hold) {
                loops.reset(key)
                unrecordedStops.remove(key)
            }
            logger.notice("resumed: \(hold.kind.rawValue) on \(hold.scopeDescription)")
        }
    }

    /// Records and logs flapping holds that began or ended.
    func journal(_ changes: [FlapDetector.Change]) {
        for change in changes {
            switch change {
            case .started(let key, let at, let rises):
                let detail = "\(rises) rises within \(Self.seconds(policy.flapWindow)) (limit \(policy.flapMaxRises)): firings held back"
                logger.warning("flapping: \(key): \(detail)")
                record(ControlEventRecord(at: Timestamp.date(at), kind: .flapStarted, vin: key.vin,
                                          bundle: key.bundle, rule: key.rule, detail: detail))
            case .ended(let key, let at):
                let detail = "quiet for \(Self.seconds(policy.flapWindow)): firings resume"
                logger.info("flapping over: \(key): \(detail)")
                record(ControlEventRecord(at: Timestamp.date(at), kind: .flapEnded, vin: key.vin,
                                          bundle: key.bundle, rule: key.rule, detail: detail))
            }
        }
    }

    /// Stops `key` durably after a firing that exceeded the loop limit.
    func stopLoop(_ key: SafetyKey, at: Millis, now: Date) {
        let reason = "fired more than \(policy.loopMaxFirings) times within \(Self.seconds(policy.loopWindow))"
        logger.error("loop: \(key) \(reason): stopped for this vehicle until `vigie resume --vin \(key.vin) --rule \(key.bundle)/\(key.rule)`")
        let hold = ControlHoldRecord(kind: .loop, vin: key.vin, bundle: key.bundle, rule: key.rule,
                                     reason: reason, createdAt: Timestamp.date(at))
        do {
            let added = try database.addHold(hold).hold
            view = ControlView(holds: view.active + view.lifted + [added])
        } catch {
            logger.error("cannot record the loop stop of \(key) (enforced until restart): \(error)")
            unrecordedStops.insert(key)
        }
    }

    /// Flapping counts live in memory: the holds an earlier run left open are over.
    func closeLeftoverFlapHolds() {
        do {
            for open in try database.openFlapHolds() {
                record(ControlEventRecord(at: Date(), kind: .flapEnded, vin: open.vin, bundle: open.bundle,
                                          rule: open.rule, detail: "vigie serve restarted"))
            }
        } catch {
            logger.error("cannot read the control journal: \(error)")
        }
    }

    func recordBudgetStopLocked(vin: String, at: Date, detail: String?) {
        let day = Timestamp.millis(at) / 86_400_000
        // The monthly wake-up cap is journalled apart from the daily budgets: a vehicle
        // stopped by both on one day has both reasons in the journal.
        let monthly = detail?.hasPrefix("monthly") == true
        let key = monthly ? vin + "\u{0}monthly" : vin
        if budgetDays[key] == day { return }
        budgetDays[key] = day
        let dayStart = Timestamp.date(day * 86_400_000)
        do {
            let already = try database.controlEvents(kind: .budgetStopped, vin: vin, since: dayStart)
            if already.contains(where: { ($0.detail?.hasPrefix("monthly") == true) == monthly }) { return }
        } catch {
            logger.error("cannot read the control journal: \(error)")
        }
        let text = detail ?? "daily command budget spent"
        logger.warning("budget: \(vin): \(text)")
        record(ControlEventRecord(at: at, kind: .budgetStopped, vin: vin, detail: text))
    }

    private func record(_ event: ControlEventRecord) {
        do {
            try database.recordControlEvent(event)
        } catch {
            logger.error("cannot record \(event.kind.rawValue) for \(event.vin ?? "-"): \(error)")
        }
    }

    /// `600 s`, `1 h`… for messages.
    static func seconds(_ value: TimeInterval) -> String {
        if value >= 3600, value.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(value / 3600)) h" }
        if value >= 60, value.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(value / 60)) min" }
        return "\(Int(value)) s"
    }
}
