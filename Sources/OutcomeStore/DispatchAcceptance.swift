import Foundation

/// The API accepted one command: what `RuntimeStore.recordDispatchAccepted` records, for
/// several commands at once (`recordDispatchAcceptances`).
package struct DispatchAcceptance: Sendable, Hashable {
    package var actionId: Int64
    package var remoteActionId: String
    package var httpStatus: Int?
    /// When the API answered (the command's `sentAt`).
    package var at: Date

    package init(actionId: Int64, remoteActionId: String, httpStatus: Int? = nil, at: Date) {
        self.actionId = actionId
        self.remoteActionId = remoteActionId
        self.httpStatus = httpStatus
        self.at = at
    }
}
