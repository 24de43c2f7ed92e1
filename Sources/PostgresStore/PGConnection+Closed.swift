import NIOCore
import PostgresNIO
import Synchronization

/// The server closed the connection while a statement was running on it (a
/// `pg_terminate_backend`, a restart, a network cut): the statement's outcome is unknown —
/// in a transaction, nothing of it was committed.
package struct ConnectionClosedError: Error, CustomStringConvertible {
    package var description: String { "the PostgreSQL connection closed while a statement was running" }
}

extension PGConnection {
    /// Runs one statement on this connection, failing with `ConnectionClosedError` as soon
    /// as the connection closes. postgres-nio (1.33) can leave a statement waiting forever
    /// when the server closes the connection under it: the chaos harness's server-side
    /// kills (`pg_terminate_backend`) left engine steps and intake commits waiting, and a
    /// SIGTERM then waited for them without end. The statement runs in a task of its own;
    /// the caller's cancellation reaches it; when it is left waiting on a closed connection,
    /// only that task stays behind (it holds no pool lease: the caller's returns).
    func untilClosed<T: Sendable>(_ statement: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await statement() }
        let outcome = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let finish: @Sendable (Result<T, any Error>) -> Void = { result in
            outcome.withLock { pending -> CheckedContinuation<T, any Error>? in
                defer { pending = nil }
                return pending
            }?.resume(with: result)
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                outcome.withLock { $0 = continuation }
                let watch = ConnectionCloseWatch.shared.watch(connection) { finish(.failure(ConnectionClosedError())) }
                Task {
                    let result = await task.result
                    ConnectionCloseWatch.shared.unwatch(watch)
                    finish(result)
                }
            }
        } onCancel: {
            task.cancel()
        }
    }
}
