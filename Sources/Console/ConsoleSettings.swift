import Foundation

/// How the console behaves (docs/console.md "Security").
package struct ConsoleSettings: Sendable {
    /// The admin token (`admin.token`). nil: the console answers 403 on every page.
    package var token: String?
    /// How long a login lasts.
    package var sessionLifetime: TimeInterval = 12 * 3600
    /// Seconds between two live-update events.
    package var tick: Double = 1
    /// A live stream ends after this many events (the browser reconnects by itself), so
    /// no stream holds a shutdown for long.
    package var streamEvents = 120
    /// Vehicles per page.
    package var pageSize = 50

    package init(token: String?) {
        self.token = token
    }
}
