import Foundation

/// The options of `vigie send VIN ACTION` (docs/console.md "Manual commands").
package struct SendOptions: Sendable {
    /// The SQLite database of the `vigie serve` that sends it (`--db`), or its configuration
    /// (`--config`: its `database:` or `store:`).
    package var databasePath: String?
    package var configPath: String?
    package var vin: String
    /// An action of the rule language: `charge: start`, `charge:start`, `doors: lock`, …
    package var action: String
    /// `--allow-unlock`: the explicit opt-in `doors: unlock` needs.
    package var allowUnlock: Bool
    /// The IANA zone of `charge: {at: "HH:MM"}` (`--timezone`, default UTC).
    package var timeZone: String
    /// Who asks (the OS user by default).
    package var requestedBy: String
    /// Where `--config`'s secrets (the PostgreSQL URL) are read from.
    package var environment: [String: String]

    package init(databasePath: String? = nil, configPath: String? = nil, vin: String, action: String,
                allowUnlock: Bool = false, timeZone: String = "UTC", requestedBy: String = SendOptions.osUser(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        self.databasePath = databasePath
        self.configPath = configPath
        self.vin = vin
        self.action = action
        self.allowUnlock = allowUnlock
        self.timeZone = timeZone
        self.requestedBy = requestedBy
    }

    /// The name of the user running this process (`uid N` when it has none).
    package static func osUser() -> String {
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(uid)"
    }
}
