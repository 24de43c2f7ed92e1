import Foundation
import Logging
import OutcomeStore
import RuleEngine

/// The metrics and log lines of what the services commit: decisions and the commands'
/// moves. A value shared by the engine and the dispatcher (the metrics are a shared
/// registry; the logger a value).
struct RuntimeReporter: Sendable {
    let metrics: RuntimeMetrics
    let logger: Logger
    /// Told of the actions that reached a final state (Vigie's alerts: a command failed).
    var finished: (@Sendable ([DispatchTransition]) -> Void)? = nil

    /// Metrics and logs of one committed engine step.
    func committed(_ decisions: [Decision], transitions: [DispatchTransition]) {
        for d in decisions {
            metrics.increment(RuntimeMetrics.decisions, ["event": d.event.rawValue, "reason": d.reason?.rawValue ?? "none"])
            var meta: Logger.Metadata = ["vin": "\(d.vin)", "rule": "\(d.bundle)/\(d.rule)", "at": "\(RFC3339.formatUTC(d.at))"]
            if d.event == .fired {
                meta["actions"] = "\(d.actions.count)"
                logger.info("rule fired", metadata: meta)
                for case .notify(let text) in d.actions {
                    logger.info("notify", metadata: ["vin": "\(d.vin)", "rule": "\(d.bundle)/\(d.rule)", "text": "\(text)"])
                }
            } else {
                meta["reason"] = "\(d.reason?.rawValue ?? "-")"
                logger.info("rule suppressed", metadata: meta)
            }
        }
        moved(transitions)
    }

    /// Metrics and logs of actions the store moved.
    func moved(_ transitions: [DispatchTransition]) {
        if let finished, transitions.contains(where: { $0.status.isFinal }) {
            finished(transitions.filter { $0.status.isFinal })
        }
        for t in transitions {
            var meta: Logger.Metadata = ["vin": "\(t.vin)", "actionId": "\(t.actionId)", "status": "\(t.status.rawValue)",
                                         "rule": "\(t.bundle)/\(t.rule)"]
            if let cause = t.failureCause { meta["failureCause"] = "\(cause)" }
            if let retryAt = t.retryAt { meta["retryAt"] = "\(Timestamp.format(retryAt))" }
            if t.status.isFinal {
                metrics.increment(RuntimeMetrics.commands, ["outcome": t.status.rawValue])
                logger.log(level: t.status == .succeeded || t.status == .alreadyDone ? .info : .warning,
                           "command finished", metadata: meta)
            } else {
                logger.debug("command progress", metadata: meta)
            }
        }
    }
}

extension RuntimeSettings {
    /// When a `Done / Failed` with `cause` after `attempts` tries goes again: worth-retrying
    /// causes with attempts left, after the back-off.
    func retryRule(now: Date) -> DispatchRetryRule {
        let settings = self
        return { cause, attempts in
            guard CommandRetry.isRetriable(cause: cause), attempts < settings.maxAttempts else { return nil }
            return now.addingTimeInterval(settings.backoff(retry: max(0, attempts - 1)))
        }
    }
}
