import Foundation
import PostgresNIO

/// Where the PostgreSQL store connects, read from a `postgres://` URL
/// (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require`).
/// The password is kept for the connection only: `description` never shows it.
package struct PostgresSettings: Sendable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var username: String
    var password: String?
    package var database: String?
    package var sslMode: SSLMode
    /// Connections the pool may open.
    package var maximumConnections: Int = 20
    /// Connections the pool keeps open even when idle.
    package var minimumConnections: Int = 0
    /// The `application_name` the server shows for these connections (`pg_stat_activity`).
    package var applicationName = "vigie"
    /// Seconds a session may stay inside a transaction without sending anything before the
    /// server ends it (`idle_in_transaction_session_timeout`; nil: the server's default).
    /// `vigie serve` sets it from the lease (`forLease`): a frozen instance (SIGSTOP, a
    /// partition) keeps its open transaction's locks — the lease row `FOR KEY SHARE` of a
    /// fenced step, the inbox counter — until the server ends that session.
    package var idleInTransactionTimeout: Double?

    /// The idle-in-transaction bound for a lease of `lease` seconds: a fifth of it, at
    /// least 1 s, so a frozen owner delays a takeover by at most that after its lease expired.
    package static func idleInTransactionTimeout(forLease lease: Double) -> Double {
        max(1, lease / 5)
    }

    package enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    /// Parses a URL; throws `PostgresSettingsError` naming what is wrong (without the password).
    package init(url text: String) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw PostgresSettingsError.invalid("not a postgres:// URL")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresSettingsError.invalid("no host") }
        guard let user = components.user, !user.isEmpty else { throw PostgresSettingsError.invalid("no user name") }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? nil : path
        self.sslMode = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                    throw PostgresSettingsError.invalid(
                        "sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                self.sslMode = mode
            default:
                throw PostgresSettingsError.invalid("unknown URL parameter '\(item.name)' (only sslmode is read)")
            }
        }
    }

    /// `postgres://user@host:port/database` (no password).
    package var description: String {
        "postgres://\(username)@\(host):\(port)/\(database ?? "")"
    }

    /// The client's configuration: commits wait for the WAL flush (`synchronous_commit = on`,
    /// set on every connection whatever the server's default).
    package var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: tls)
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", applicationName)]
        if let idle = idleInTransactionTimeout {
            configuration.options.additionalStartupParameters.append(
                ("idle_in_transaction_session_timeout", "\(max(1, Int((idle * 1000).rounded())))"))
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = min(minimumConnections, maximumConnections)
        return configuration
    }
}

extension PostgresSettings {
    /// One connection's configuration (`PostgresStore.connectOnce`): the same server, user,
    /// database, TLS and startup parameters as the pool's, giving up after `connectTimeout`
    /// seconds when nothing answers.
    func connectionConfiguration(connectTimeout: Double) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username,
                                                             password: password, database: database, tls: tls)
        configuration.options.additionalStartupParameters = clientConfiguration.options.additionalStartupParameters
        configuration.options.connectTimeout = .milliseconds(Int64(max(0.001, connectTimeout) * 1000))
        return configuration
    }
}

/// A `postgres://` URL that cannot be used.
package enum PostgresSettingsError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    package var description: String {
        switch self {
        case .invalid(let why): return "invalid PostgreSQL URL: \(why)"
        }
    }
}
