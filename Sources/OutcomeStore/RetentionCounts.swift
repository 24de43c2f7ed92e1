import Foundation

/// Rows deleted by one pruning pass, per kind.
package struct RetentionCounts: Sendable, Hashable {
    package var inbox = 0
    package var decisions = 0
    package var attempts = 0

    package init(inbox: Int = 0, decisions: Int = 0, attempts: Int = 0) {
        self.inbox = inbox
        self.decisions = decisions
        self.attempts = attempts
    }
}
