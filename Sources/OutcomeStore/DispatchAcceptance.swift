import Foundation

/// The API accepted one command: what `RuntimeStore.recordDispatchAccepted` records, for
/// several commands at once (`recordDispatchAcceptances`).
public struct DispatchAcceptance: Sendable, Hashable {
    public var actionId: Int64
    public var remoteActionId: String
    public var httpStatus: Int?
    /// When the API answered (the command's `sentAt`).
    public var at: Date

    public init(actionId: Int64, remoteActionId: String, httpStatus: Int? = nil, at: Date) {
        self.actionId = actionId
        self.remoteActionId = remoteActionId
        self.httpStatus = httpStatus
        self.at = at
    }
}
