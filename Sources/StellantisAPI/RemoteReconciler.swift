import Foundation
import StellantisModels

/// Posts one remote so that it is never sent twice by accident. Only one remote action
/// can run per vehicle and a repeated one may do harm (a second horn, a lock after an
/// unlock), so a POST whose answer is lost is not repeated. Instead:
/// 1. before the POST, the remotes already listed for the vehicle and callback are noted;
/// 2. after an ambiguous failure (deadline, transport error, 500/502/503/504), they are
///    listed again: exactly one new action with the same body (or the same type when the
///    listing omits bodies) is the POST's — its id is returned as if the answer had come;
/// 3. no new match: `remoteNotApplied` (safe to send again); several, or a failed
///    listing: `remoteOutcomeUnknown`.
/// Definite answers (4xx) are returned as they are.
struct RemoteReconciler {
    let client: StellantisClient
    /// The remotes collection, e.g. `/user/vehicles/{id}/callbacks/{cbid}/remotes`.
    let path: String

    func post(_ remote: Remote) async throws -> RemotePostResponse {
        let before = Set(try await client.allPages(RemoteAction.self, path).map(\.remoteActionId))
        do {
            return try await client.send(.POST, path, body: remote, as: RemotePostResponse.self)
        } catch let error as StellantisAPIError where Self.isAmbiguous(error) {
            client.logger.warning("remote POST outcome unknown; reconciling by listing",
                                  metadata: ["path": "\(path)", "error": "\(error)"])
            return try await reconcile(remote, before: before, cause: error)
        }
    }

    private func reconcile(_ remote: Remote, before: Set<String>, cause: StellantisAPIError) async throws -> RemotePostResponse {
        let after: [RemoteAction]
        do {
            after = try await client.allPages(RemoteAction.self, path)
        } catch {
            throw StellantisAPIError.remoteOutcomeUnknown(cause: "\(cause); listing remotes failed: \(error)")
        }
        let candidates = after.filter { !before.contains($0.remoteActionId) && Self.matches($0, remote) }
        switch candidates.count {
        case 1:
            let found = candidates[0]
            client.logger.info("remote POST reconciled", metadata: ["remoteActionId": "\(found.remoteActionId)"])
            var response = RemotePostResponse(remoteActionId: found.remoteActionId)
            response.type = found.type ?? remote.remoteType
            return response
        case 0:
            throw StellantisAPIError.remoteNotApplied(cause: "\(cause)")
        default:
            throw StellantisAPIError.remoteOutcomeUnknown(
                cause: "\(cause); \(candidates.count) new matching remotes: "
                    + candidates.map(\.remoteActionId).joined(separator: ", "))
        }
    }

    /// A listed action is ours when its body equals ours, ignoring the label, or — when
    /// the listing gives no body — when its type is ours.
    static func matches(_ action: RemoteAction, _ remote: Remote) -> Bool {
        if let listed = action.remote { return listed.action == remote.action }
        return action.type == remote.remoteType
    }

    static func isAmbiguous(_ error: StellantisAPIError) -> Bool {
        switch error {
        case .deadlineExceeded, .transport: return true
        case .api(let failure): return [500, 502, 503, 504].contains(failure.status)
        default: return false
        }
    }
}
