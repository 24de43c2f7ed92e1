import NIOCore
import PostgresNIO
import Synchronization

/// The statements running on each open connection, failed together when it closes.
///
/// A connection's `closeFuture` keeps every callback given to it until the connection
/// closes, and the pool's connections live for hours: one callback per statement would
/// grow without bound. Here each connection gets one callback, the first time a statement
/// runs on it, and each statement's waiter is removed when the statement ends.
package final class ConnectionCloseWatch: Sendable {
    package static let shared = ConnectionCloseWatch()

    /// A statement's place in the watch, to remove it when the statement ends.
    struct Token: Sendable {
        fileprivate let connection: ObjectIdentifier
        fileprivate let id: UInt64
    }

    private struct State {
        var nextID: UInt64 = 0
        /// Per open connection seen, the waiters of its running statements.
        var connections: [ObjectIdentifier: [UInt64: @Sendable () -> Void]] = [:]
    }

    private let state = Mutex(State())

    /// Connections watched (open ones that ran a statement) and statements waiting.
    package var counts: (connections: Int, statements: Int) {
        state.withLock { s in (s.connections.count, s.connections.values.reduce(0) { $0 + $1.count }) }
    }

    /// Calls `onClose` (once) if `connection` closes before `unwatch`.
    func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> Token {
        let key = ObjectIdentifier(connection)
        let (token, first) = state.withLock { s -> (Token, Bool) in
            let first = s.connections[key] == nil
            let token = Token(connection: key, id: s.nextID)
            s.nextID += 1
            s.connections[key, default: [:]][token.id] = onClose
            return (token, first)
        }
        // A closed connection completes at once: its waiters are failed and the key
        // forgotten, so a later statement on it registers (and fails) again.
        if first { connection.closeFuture.whenComplete { [self] _ in closed(key) } }
        return token
    }

    func unwatch(_ token: Token) {
        state.withLock { s in _ = s.connections[token.connection]?.removeValue(forKey: token.id) }
    }

    private func closed(_ key: ObjectIdentifier) {
        let waiters = state.withLock { s in s.connections.removeValue(forKey: key) ?? [:] }
        for onClose in waiters.values { onClose() }
    }
}
