import Foundation
import Logging
import OutcomeStore
import StellantisAPI
import StellantisModels

extension Dispatcher {
    /// One command of one vehicle: stale-after-hold and budget checks, then `sending`
    /// (durable), the POST, and what its answer means.
    func handle(_ item: DispatchItem, stale: Bool) async {
        let now = runtime.clock.now()
        do {
            if stale {
                runtime.logger.warning("held command dropped: its decision is stale", metadata: meta(item))
                report([try runtime.database.finishDispatch(actionId: item.actionId, status: .skipped, failureCause: "stale",
                                                             detail: "held until its decision was stale", at: now)])
                return
            }
            if let exceeded = try budget.check(item, now: now, database: runtime.database) {
                try skipForBudget(item, exceeded, now: now)
                return
            }
            guard let remote = try? JSONDecoder().decode(Remote.self, from: Data(item.body.utf8)) else {
                report([try runtime.database.finishDispatch(actionId: item.actionId, status: .failed,
                                                             failureCause: "invalid body", at: now)])
                return
            }
            let attempt = try runtime.database.beginAttempt(outboxId: item.outboxId, at: now)
            await post(remote, item, attempt: attempt)
        } catch {
            runtime.logger.error("command could not be handled", metadata: meta(item, ["error": "\(error)"]))
        }
    }

    private func skipForBudget(_ item: DispatchItem, _ exceeded: DispatchBudget.Exceeded, now: Date) throws {
        let limit = budget.limit(exceeded)
        let detail = exceeded.detail(limit: limit)
        let period = exceeded == .wakeUpsPerMonth ? "monthly" : "daily"
        runtime.logger.warning("command skipped: \(period) budget spent", metadata: meta(item, [
            "budget": "\(exceeded.rawValue)", "limit": "\(limit)",
        ]))
        runtime.metrics.increment(RuntimeMetrics.budgetExceeded, ["budget": exceeded.rawValue])
        runtime.decisionGuard.recordBudgetStop(vin: item.vin, at: now, detail: detail)
        report([try runtime.database.finishDispatch(actionId: item.actionId, status: .skipped, failureCause: "budget",
                                                     detail: detail, at: now)])
    }

    /// The POST and its outcome: accepted; not applied (retry later, if attempts are
    /// left); refused (failed); unknown (reconciled by listing, never re-POSTed blindly).
    private func post(_ remote: Remote, _ item: DispatchItem, attempt: Int) async {
        do {
            let id = try await api.postRemote(vin: item.vin, body: remote)
            runtime.metrics.increment(RuntimeMetrics.apiCalls, ["operation": "postRemote", "result": "ok"])
            runtime.metrics.increment(RuntimeMetrics.commandAttempts, ["result": "accepted"])
            let now = runtime.clock.now()
            runtime.logger.info("command sent", metadata: meta(item, ["remoteActionId": "\(id)", "attempt": "\(attempt)"]))
            report(try runtime.database.recordDispatchAccepted(actionId: item.actionId, remoteActionId: id, httpStatus: nil,
                                                               at: now, retry: runtime.retryRule(now: now)))
        } catch {
            runtime.metrics.increment(RuntimeMetrics.apiCalls, ["operation": "postRemote", "result": "error"])
            do {
                try await failed(item, attempt: attempt, error: error)
            } catch {
                runtime.logger.error("command outcome could not be recorded", metadata: meta(item, ["error": "\(error)"]))
            }
        }
    }

    private func failed(_ item: DispatchItem, attempt: Int, error: Error) async throws {
        let now = runtime.clock.now()
        let status = (error as? StellantisAPIError)?.status
        switch CommandRetry.verdict(for: error) {
        case .retry(let after) where attempt < runtime.settings.maxAttempts:
            let retryAt = now.addingTimeInterval(after ?? runtime.settings.backoff(retry: attempt - 1))
            runtime.metrics.increment(RuntimeMetrics.commandAttempts, ["result": "retry"])
            runtime.logger.notice("command not applied; will retry", metadata: meta(item, [
                "attempt": "\(attempt)", "error": "\(error)", "retryAt": "\(Timestamp.format(retryAt))",
            ]))
            try runtime.database.requeueDispatch(actionId: item.actionId, httpStatus: status, detail: "\(error)",
                                                 retryAt: retryAt, at: now)
        case .retry, .reject:
            runtime.metrics.increment(RuntimeMetrics.commandAttempts, ["result": "rejected"])
            runtime.logger.warning("command failed", metadata: meta(item, ["attempt": "\(attempt)", "error": "\(error)"]))
            report([try runtime.database.finishDispatch(actionId: item.actionId, status: .failed,
                                                         failureCause: status.map { "HTTP \($0)" } ?? "not applied",
                                                         detail: "\(error)", httpStatus: status, at: now)])
        case .unknown:
            runtime.metrics.increment(RuntimeMetrics.commandAttempts, ["result": "unknown"])
            runtime.logger.warning("command outcome unknown; reconciling by listing", metadata: meta(item, ["error": "\(error)"]))
            var sending = item
            sending.status = .sending
            sending.attempts = attempt
            sending.attemptStartedAt = now
            try await reconcileSending(sending)
        }
    }

    func meta(_ item: DispatchItem, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var m: Logger.Metadata = ["vin": "\(item.vin)", "rule": "\(item.bundle)/\(item.rule)", "actionId": "\(item.actionId)"]
        m.merge(extra) { _, new in new }
        return m
    }
}
