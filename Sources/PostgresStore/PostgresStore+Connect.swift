import Foundation
import Logging
import NIOCore
import PostgresNIO

// The operator commands' first connection (docs/cluster.md "Operator commands").
extension PostgresStore {
    /// Opens ONE connection to `settings`' server (not through the pool), then closes it:
    /// throws `PostgresConnectError` at once when the server cannot be used — the port
    /// refuses connections, the host is unknown, the server refuses the user, password or
    /// database, TLS is required but not offered — or after `timeout` seconds when nothing
    /// answers. A short-lived command (`pause`, `doctor`, `migrate`) calls it before using
    /// the store: the pool (`PostgresClient`) retries a refused connection without end and
    /// keeps the reason to itself, which suits `vigie serve` (it waits for the database to
    /// come back), not a command an operator waits on.
    package static func connectOnce(_ settings: PostgresSettings, timeout: Double, logger: Logger) async throws {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try settings.connectionConfiguration(connectTimeout: timeout)
        } catch {
            throw PostgresConnectError(reason: "TLS cannot be set up: \(error)")
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw PostgresConnectError(reason: Self.connectFailure(error, timeout: timeout))
        }
        try? await connection.close()
    }

    /// Why a connection could not be opened, in a few words (never the password: the
    /// server's messages name the user at most).
    static func connectFailure(_ error: any Error, timeout: Double) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "the server refused the connection: \(message)"
            }
            if error.code == .sslUnsupported {
                return "the server does not offer TLS (sslmode=require)"
            }
            if let underlying = error.underlying {
                return connectFailure(underlying, timeout: timeout)
            }
            return String(reflecting: error)
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return "no answer within \(Self.seconds(timeout))"
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "cannot resolve host \(error.host)"
            }
            if let first = error.connectionErrors.first {
                return connectFailure(first.error, timeout: timeout)
            }
            return "cannot connect to \(error.host):\(error.port)"
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        return String(reflecting: error)
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
