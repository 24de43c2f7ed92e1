import Foundation
import OutcomeStore
import StellantisModels

extension Dispatcher {
    /// At start: commands a previous process left `sending` (stopped between marking
    /// and recording the POST) are settled by listing the vehicle's remotes.
    func recover() async throws {
        for item in try runtime.database.inFlightDispatchItems() where item.status == .sending {
            do {
                try await reconcileSending(item)
            } catch {
                runtime.logger.warning("could not reconcile a command left sending; will try again",
                                       metadata: meta(item, ["error": "\(error)"]))
            }
        }
    }

    /// In-flight commands no task is handling: `sending` ones (outcome unknown) are
    /// reconciled again; sent ones whose `Done` is overdue are reconciled by listing.
    func followInFlight() async throws {
        let now = runtime.clock.now()
        for item in try runtime.database.inFlightDispatchItems() {
            let overdue: Bool
            switch item.status {
            case .sending?: overdue = now.timeIntervalSince(item.attemptStartedAt ?? now) >= min(runtime.settings.remoteTimeout, 30)
            case .sent?, .pending?: overdue = now.timeIntervalSince(item.sentAt ?? now) >= runtime.settings.remoteTimeout
            default: overdue = false
            }
            guard overdue, claim(item.vin) else { continue }
            defer { release(item.vin) }
            do {
                if item.status == .sending { try await reconcileSending(item) } else { try await reconcileOverdue(item) }
            } catch {
                runtime.logger.warning("reconciliation failed; will try again", metadata: meta(item, ["error": "\(error)"]))
            }
        }
    }

    /// A POST whose outcome is unknown: exactly one listed remote with its body that Vigie
    /// has not recorded is it; none means it was not applied (it may go again); several
    /// cannot be told apart, so the command fails rather than risk a second one.
    func reconcileSending(_ item: DispatchItem) async throws {
        let listed = try await api.remotes(vin: item.vin)
        runtime.metrics.increment(RuntimeMetrics.apiCalls, ["operation": "listRemotes", "result": "ok"])
        let known = try runtime.database.knownRemoteActionIds(vin: item.vin)
        let remote = try? JSONDecoder().decode(Remote.self, from: Data(item.body.utf8))
        let candidates = listed.filter { action in
            !known.contains(action.remoteActionId) && remote.map { Self.matches(action, $0) } == true
        }
        let now = runtime.clock.now()
        switch candidates.count {
        case 1:
            let found = candidates[0]
            runtime.logger.info("command found by listing", metadata: meta(item, ["remoteActionId": "\(found.remoteActionId)"]))
            report(try runtime.database.recordDispatchAccepted(actionId: item.actionId, remoteActionId: found.remoteActionId,
                                                               httpStatus: nil, at: now, retry: runtime.retryRule(now: now)))
            try applyListed(found, item)
        case 0 where item.attempts < runtime.settings.maxAttempts:
            runtime.logger.notice("command was not applied; it goes back to the queue", metadata: meta(item))
            try runtime.database.requeueDispatch(actionId: item.actionId, httpStatus: nil, detail: "not found by listing",
                                                 retryAt: now, at: now)
        case 0:
            report([try runtime.database.finishDispatch(actionId: item.actionId, status: .failed, failureCause: "not applied",
                                                         detail: "not found by listing; no attempt left", at: now)])
        default:
            runtime.logger.error("command outcome cannot be told; not sent again", metadata: meta(item, [
                "candidates": "\(candidates.map(\.remoteActionId))",
            ]))
            report([try runtime.database.finishDispatch(actionId: item.actionId, status: .failed, failureCause: "outcome unknown",
                                                         detail: "\(candidates.count) matching remotes listed", at: now)])
        }
    }

    /// A sent command with no `Done` after `remoteTimeout`: the listing's final state if
    /// it has one, else `timedOut` (the vehicle's next command may go).
    func reconcileOverdue(_ item: DispatchItem) async throws {
        let listed = try await api.remotes(vin: item.vin)
        runtime.metrics.increment(RuntimeMetrics.apiCalls, ["operation": "listRemotes", "result": "ok"])
        if let found = listed.first(where: { $0.remoteActionId == item.remoteActionId }), found.status?.known?.isDone == true {
            try applyListed(found, item)
            return
        }
        runtime.logger.warning("command timed out", metadata: meta(item, ["remoteActionId": "\(item.remoteActionId ?? "-")"]))
        report([try runtime.database.finishDispatch(actionId: item.actionId, status: .timedOut, failureCause: nil,
                                                     detail: "no Done within \(Int(runtime.settings.remoteTimeout)) s",
                                                     at: runtime.clock.now())])
    }

    /// Applies a listed remote's final state as if its `Done` notification had come.
    private func applyListed(_ action: RemoteAction, _ item: DispatchItem) throws {
        guard let status = action.status, status.known?.isDone == true else { return }
        let event = DispatchRemoteEvent(remoteActionId: action.remoteActionId, type: "Done", status: status.rawValue,
                                        failureCause: action.failureCause?.rawValue)
        let now = runtime.clock.now()
        let result = try runtime.database.commitDispatchStep(
            DispatchStep(commit: DecisionCommit(scope: runtime.settings.scope), remoteEvents: [event]),
            at: now, retry: runtime.retryRule(now: now))
        report(result.transitions)
    }

    /// A listed action is ours when its body equals ours (ignoring the label), or — when
    /// the listing gives no body — when its type is ours.
    static func matches(_ action: RemoteAction, _ remote: Remote) -> Bool {
        if let listed = action.remote { return listed.action == remote.action }
        return action.type == remote.remoteType
    }
}
